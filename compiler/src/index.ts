// THE COMPILER'S FRONT HALF
//
//   text --parse--> SurfaceAst --check--> CheckedContract
//
// `check` never throws; it returns everything it could learn plus every diagnostic. Later phases
// (lowering, interpretation, emission) start from a CheckedContract without errors.

import { hasErrors, parse, type Diagnostic } from "../../grammar/src";
import { checkContract } from "./check/fromSurface";
import type { CheckedContract } from "./check/checked";

export interface CheckResult {
  readonly checked: CheckedContract;
  readonly diagnostics: Diagnostic[];
  readonly ok: boolean;
}

export function check(text: string): CheckResult {
  const parsed = parse(text);
  const { checked, diagnostics } = checkContract(parsed.ast);
  const all = [...parsed.diagnostics, ...(hasErrors(parsed.diagnostics) ? diagnostics.filter((d) => d.code !== "PCMH0409") : diagnostics)];
  all.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { checked, diagnostics: all, ok: !hasErrors(all) };
}

export type { CheckedContract, ContractSymbol, Reference } from "./check/checked";
export { builtins } from "./check/builtins";

// THE BACK HALF
//
//   CheckedContract --lower--> ProgramIr --interpret--> Program (reference)
//                                        --emit-------> TypeScript / JavaScript module

import { lowerContract } from "./lower/fromChecked";
import type { ProgramIr } from "./lower/ir";
import { interpret } from "./interpret/fromIr";
import { emitModule } from "./emit/fromIr";
import type { Program } from "../../runtime/src/program";

export type CompileResult = { ok: true; ir: ProgramIr; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Checks and lowers a contract; the IR exists only when there are no errors. */
export function compile(text: string): CompileResult {
  const result = check(text);
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
  return { ok: true, ir: lowerContract(result.checked, text), diagnostics: result.diagnostics };
}

/** The reference interpreter's program for a contract, or its diagnostics. */
export function interpretSource(text: string): { ok: true; program: Program } | { ok: false; diagnostics: Diagnostic[] } {
  const compiled = compile(text);
  return compiled.ok ? { ok: true, program: interpret(compiled.ir) } : compiled;
}

export { lowerContract, interpret, emitModule, type ProgramIr };
