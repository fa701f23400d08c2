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
