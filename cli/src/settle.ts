// `pcmh settle FILE --data DIR [--out statement.json] [--set name=value]…`: exact settlement of
// one period through the compiled contract module (or `--engine interpreter`), with a summary
// table per recipient and clause. Nothing is written when anything fails.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { emitModule, interpret } from "../../compiler/src";
import { SettlementError } from "../../runtime/src/errors";
import { settle, type SettleOptions as EngineOptions } from "../../runtime/src/engine";
import type { AnyInput } from "../../runtime/src/columns";
import type { Statement } from "../../runtime/src/statement";
import { readDataFolder } from "./data";
import { compileContractFile } from "./files";
import type { Io } from "./main";

export interface SettleOptions {
  readonly data: string;
  readonly out?: string;
  readonly set: readonly string[];
  readonly engine: "compiled" | "interpreter";
}

/** Imports the emitted JavaScript module of a contract, resolving its runtime to this checkout's. */
export async function loadCompiled(js: string): Promise<{ settle(input: AnyInput, options?: EngineOptions): Statement }> {
  const dir = mkdtempSync(join(tmpdir(), "pcmh-module-"));
  const path = join(dir, "contract.mjs");
  writeFileSync(path, js);
  return (await import(pathToFileURL(path).href)) as { settle(input: AnyInput, options?: EngineOptions): Statement };
}

export const runtimeUrl = pathToFileURL(resolve(import.meta.dirname, "../../runtime/src/index.ts")).href;

export function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new SettlementError("PCMH0512", `--set ${s}: write --set name=value, like --set uplift=15%.`);
    out[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
  }
  return out;
}

/** Errors of data drawn for another contract: outside the term, another payer, panels of another size. */
const dataForAnotherContract = new Set(["PCMH0505", "PCMH0506", "PCMH0507"]);

export async function settleCommand(file: string, options: SettleOptions, io: Io): Promise<number> {
  const ir = compileContractFile(file, io, "not settled");
  if (!ir) return 1;
  let statement: Statement;
  try {
    const input = { ...readDataFolder(options.data), parameters: parseSets(options.set) };
    if (options.engine === "interpreter") statement = settle(interpret(ir), input);
    else statement = (await loadCompiled(emitModule(ir, { typescript: false, runtime: runtimeUrl }))).settle(input);
  } catch (e) {
    if (e instanceof SettlementError) {
      io.err(`error ${e.describe()}\n`);
      io.err("No statement was produced.\n");
      if (dataForAnotherContract.has(e.code))
        io.err(`(To draw synthetic data that fits this contract: pcmh population PRESET --members N --out DIR --contract ${file})\n`);
      return 1;
    }
    throw e;
  }
  io.out(summary(statement));
  if (options.out) {
    writeFileSync(options.out, JSON.stringify(statement, null, 2) + "\n");
    io.out(`\nwrote ${options.out} (${statement.lines.length} lines)\n`);
  }
  return 0;
}

function table(rows: string[][], rightAligned: number[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

export function summary(s: Statement): string {
  const byPair = new Map<string, { recipient: string; clause: string; amount: bigint; lines: number }>();
  const cents = (a: string) => BigInt(a.replace(".", ""));
  const show = (c: bigint) => {
    const negative = c < 0n;
    const abs = (negative ? -c : c).toString().padStart(3, "0");
    return `${negative ? "-" : ""}${abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${abs.slice(-2)}`;
  };
  for (const l of s.lines) {
    const key = `${l.recipient}\u0000${l.clause}`;
    const entry = byPair.get(key) ?? { recipient: l.recipient, clause: l.clause, amount: 0n, lines: 0 };
    entry.amount += cents(l.amount);
    entry.lines++;
    byPair.set(key, entry);
  }
  const rows = [["recipient", "clause", "lines", "amount"]];
  for (const e of [...byPair.values()].sort((a, b) => (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0))) rows.push([e.recipient, e.clause, String(e.lines), show(e.amount)]);
  rows.push(["", "", "", ""]);
  for (const [recipient, amount] of Object.entries(s.totals.byRecipient)) rows.push([recipient, "(total)", "", show(cents(amount))]);
  rows.push(["all recipients", "", String(s.lines.length), show(cents(s.totals.total))]);
  const head = `${s.contract.title} ${s.contract.version} — settlement of ${s.period.from} to ${s.period.to}\n\n`;
  const notes = s.notes.length ? `\n${s.notes.map((n) => `note: ${n}`).join("\n")}\n` : "";
  return head + table(rows, [2, 3]) + notes;
}
