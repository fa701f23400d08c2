// @pcmh/runtime: what compiled contracts and payment engines import. Depends on decimal.js only.
export { RUNTIME_ABI } from "./program";
export type * from "./program";
export type * from "./input";
export type * from "./statement";
export { settle, lookupRow } from "./engine";
export { SettlementError, type SettlementErrorCode } from "./errors";
export { Dec, dec, allocate, roundTo, formatAmount, plain, parseDecimal, type RoundingMode } from "./money";
export * as ops from "./ops";

import { RUNTIME_ABI } from "./program";
import { SettlementError } from "./errors";

/** Called by every compiled module when it loads. */
export function checkAbi(moduleAbi: number, contract: string): void {
  if (moduleAbi !== RUNTIME_ABI)
    throw new SettlementError("PCMH0511", `${contract} was compiled for runtime ABI ${moduleAbi}, but this runtime is ABI ${RUNTIME_ABI}. Recompile it with this version of pcmh.`);
}
