// Settling a contract through both the reference interpreter and its emitted JavaScript module.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compile, emitModule, interpret } from "../../compiler/src";
import { readDataFolder } from "../../cli/src/data";
import { columnsOf, type AnyInput } from "../../runtime/src/columns";
import { settle } from "../../runtime/src/engine";
import type { SettlementInput } from "../../runtime/src/input";
import type { Statement } from "../../runtime/src/statement";

const runtime = pathToFileURL(resolve("runtime/src/index.ts")).href;
const dir = mkdtempSync(join(tmpdir(), "pcmh-test-modules-"));
let counter = 0;

export function compiled(text: string) {
  const result = compile(text);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return result.ir;
}

export async function loadModule(text: string): Promise<{ settle(input: AnyInput): Statement; meta: { title: string; contractId: string } }> {
  const path = join(dir, `contract-${counter++}.mjs`);
  writeFileSync(path, emitModule(compiled(text), { typescript: false, runtime }));
  return import(pathToFileURL(path).href);
}

export function interpreted(text: string, input: SettlementInput): Statement {
  return settle(interpret(compiled(text)), input);
}

/**
 * Both statements, or both errors as `CODE: message` text. The module also settles the same data
 * given as columns, which must give the identical statement or error.
 */
export async function settleBoth(text: string, input: SettlementInput): Promise<{ interpreter: Statement | string; module: Statement | string }> {
  const attempt = (f: () => Statement): Statement | string => {
    try {
      return f();
    } catch (e) {
      return (e as { describe?: () => string }).describe?.() ?? String(e);
    }
  };
  const mod = await loadModule(text);
  const module = attempt(() => mod.settle(input));
  const columns = attempt(() => mod.settle(columnsOf(input)));
  if (JSON.stringify(columns) !== JSON.stringify(module)) throw new Error(`the same data as rows and as columns settle differently:\n${JSON.stringify(module).slice(0, 400)}\n${JSON.stringify(columns).slice(0, 400)}`);
  return { interpreter: attempt(() => interpreted(text, input)), module };
}

export { readDataFolder };

/** Member-month rows for compact test data: "M1 2026-01 1.2 D1" per line (member, month, risk, physician). */
export function memberMonths(spec: string, payer = "Plan"): SettlementInput["members"] {
  return spec
    .trim()
    .split("\n")
    .map((line) => {
      const [member, month, riskScore, physician, linePayer] = line.trim().split(/\s+/) as [string, string, string, string?, string?];
      return { member, month, payer: linePayer ?? payer, riskScore, ...(physician && physician !== "-" ? { physician } : {}) };
    });
}
