// EXACT SETTLEMENT AND EXPORT, OFF THE MAIN THREAD
//
// Reads a data folder's tables (CSV or JSON text) with the compiler's reader, settles them through
// the reference interpreter of the contract, and emits the contract's TypeScript module. Every
// failure comes back as data (diagnostics or a settlement error naming file, row and field), never
// as a partial statement.

import { compile, emitModule, interpret } from "../../../compiler/src";
import { readSettlementData, type DataFiles } from "../../../compiler/src/data/read";
import { settle } from "../../../runtime/src/engine";
import { SettlementError } from "../../../runtime/src/errors";
import type { Statement } from "../../../runtime/src/statement";
import { serve } from "../lib/rpc";

export type SettleOutcome =
  | { readonly ok: true; readonly statement: Statement; readonly ms: number }
  | { readonly ok: false; readonly error: string; readonly code?: string };

const api = {
  settle(text: string, data: DataFiles, parameters: Record<string, string>): SettleOutcome {
    const started = performance.now();
    const compiled = compile(text);
    if (!compiled.ok) {
      const first = compiled.diagnostics.find((d) => d.severity === "error");
      return { ok: false, error: `The contract has errors${first ? ` (${first.code}: ${first.message})` : ""}; fix them to settle.` };
    }
    try {
      const input = { ...readSettlementData(data), parameters };
      const statement = settle(interpret(compiled.ir), input);
      return { ok: true, statement, ms: performance.now() - started };
    } catch (e) {
      if (e instanceof SettlementError) return { ok: false, error: e.describe(), code: e.code };
      throw e;
    }
  },
  emitTypeScript(text: string): { ok: true; file: string; source: string } | { ok: false; error: string } {
    const compiled = compile(text);
    if (!compiled.ok) return { ok: false, error: "The contract has errors; fix them to export the module." };
    const file = `${compiled.ir.meta.contractId || "contract"}.ts`;
    return { ok: true, file, source: emitModule(compiled.ir, { typescript: true }) };
  },
};

export type SettleApi = typeof api;

serve(api);
