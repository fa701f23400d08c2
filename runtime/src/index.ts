// @pcmh/runtime: what compiled contracts and payment engines import. Depends on decimal.js only.
export { RUNTIME_ABI } from "./program.js";
export type * from "./program.js";
export type * from "./input.js";
export type * from "./statement.js";
export type * from "./columns.js";
export { columnsOf, checkColumns, exactSum, decAt, ExactColumnBuilder, Dictionary, monthNumber, monthText } from "./columns.js";
export { settle, lookupRow, type SettleOptions } from "./engine.js";
export { SettlementError, type SettlementErrorCode } from "./errors.js";
export { Dec, dec, allocate, roundTo, formatAmount, plain, parseDecimal, type RoundingMode } from "./money.js";
export * as ops from "./ops.js";

import { RUNTIME_ABI } from "./program.js";
import { SettlementError } from "./errors.js";

/** Called by every compiled module when it loads. */
export function checkAbi(moduleAbi: number, contract: string): void {
  if (moduleAbi !== RUNTIME_ABI)
    throw new SettlementError("PCMH0511", `${contract} was compiled for runtime ABI ${moduleAbi}, but this runtime is ABI ${RUNTIME_ABI}. Recompile it with this version of pcmh.`);
}
