// OPERATIONS FOR EVALUATORS
//
// The arithmetic and comparisons that compiled expressions call. Values were type-checked at
// compile time, so these trust their operand kinds; what cannot be checked statically (division
// by zero) stops the settlement through `env.fail` with the expression's text.

import { Dec, ONE, ZERO } from "./money.js";
import type { Env, Value } from "./program.js";

const d = (v: Value) => v as Dec;

export const add = (a: Value, b: Value): Dec => d(a).add(d(b));
export const sub = (a: Value, b: Value): Dec => d(a).sub(d(b));
export const mul = (a: Value, b: Value): Dec => d(a).mul(d(b));
export const neg = (a: Value): Dec => d(a).neg();

export function div(env: Env, a: Value, b: Value, text: string): Dec {
  if (d(b).isZero()) env.fail("PCMH0510", `${text} divides by zero.`);
  return d(a).div(d(b));
}

export const min = (...xs: Value[]): Dec => Dec.min(...(xs as Dec[]));
export const max = (...xs: Value[]): Dec => Dec.max(...(xs as Dec[]));
export const clamp = (x: Value, lo: Value, hi: Value): Dec => Dec.min(Dec.max(d(x), d(lo)), d(hi));

export function eq(a: Value, b: Value): boolean {
  if (typeof a === "object" && typeof b === "object") return a.eq(b);
  return a === b;
}
export const ne = (a: Value, b: Value): boolean => !eq(a, b);

function cmp(a: Value, b: Value): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return d(a).cmp(d(b));
}
export const lt = (a: Value, b: Value): boolean => cmp(a, b) < 0;
export const le = (a: Value, b: Value): boolean => cmp(a, b) <= 0;
export const gt = (a: Value, b: Value): boolean => cmp(a, b) > 0;
export const ge = (a: Value, b: Value): boolean => cmp(a, b) >= 0;

/** `x grown p`: x × (1 + p). */
export const grown = (x: Value, p: Value): Dec => d(x).mul(ONE.add(d(p)));

/** `x adjusted by risk`: x × average risk score ÷ baseline risk score of the unit. */
export function riskAdjusted(env: Env, x: Value, text: string): Dec {
  const current = d(env.builtin("average risk score"));
  const baseline = d(env.builtin("baseline risk score"));
  if (baseline.isZero()) env.fail("PCMH0510", `${text}: the baseline risk score is zero.`);
  return d(x).mul(current).div(baseline);
}

/** `count per N`: events per N members a year, i.e. count × 12 × N ÷ member months. */
export function perN(env: Env, count: Value, n: string, text: string): Dec {
  const memberMonths = d(env.builtin("member months"));
  if (memberMonths.isZero()) env.fail("PCMH0510", `${text}: there are no member months.`);
  return d(count).mul(12).mul(new Dec(n)).div(memberMonths);
}

export const truthy = (v: Value): boolean => v === true;
export { ZERO };
