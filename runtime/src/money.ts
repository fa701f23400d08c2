// MONEY AND EXACT NUMBERS
//
// One decimal.js clone for the whole runtime (never `Decimal.set`: an embedding payment engine may
// use decimal.js itself). 40 significant digits for intermediates; rounding happens only where a
// contract says, through `roundTo`. Money crosses the API as decimal strings, `"-1234.50"`.

import Decimal from "decimal.js";

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40, minE: -9e15, maxE: 9e15 });
export type Dec = InstanceType<typeof Dec>;

export type RoundingMode = "half-even" | "half-up" | "half-down" | "up" | "down";

const modes: Record<RoundingMode, Decimal.Rounding> = {
  "half-even": Decimal.ROUND_HALF_EVEN,
  "half-up": Decimal.ROUND_HALF_UP,
  "half-down": Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
};

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

const decimalPattern = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a plain decimal string ("12", "-0.5", "1234.50"); undefined when it is not one. */
export function parseDecimal(text: string): Dec | undefined {
  const trimmed = text.trim();
  if (!decimalPattern.test(trimmed) || trimmed.length > 60) return undefined;
  return new Dec(trimmed);
}

/** A decimal from a literal the compiler already validated. */
export function dec(text: string): Dec {
  return new Dec(text);
}

export function roundTo(x: Dec, places: number, mode: RoundingMode): Dec {
  return x.toDecimalPlaces(places, modes[mode]);
}

/** A money amount as a string with exactly `places` decimals, "-0.00" normalised to "0.00". */
export function formatAmount(x: Dec, places = 2): string {
  const s = x.toFixed(places);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** formatAmount(units / 10^scale, 2) for a safe integer number of units and a scale of 0 to 15, in whole-number arithmetic. */
export function formatScaled(units: number, scale: number): string {
  const magnitude = Math.abs(units);
  let cents: string;
  if (scale <= 2) cents = String(magnitude) + "0".repeat(2 - scale);
  else {
    const unit = 10 ** (scale - 2);
    let whole = Math.floor(magnitude / unit);
    let rest = magnitude - whole * unit;
    if (rest < 0) {
      whole--;
      rest += unit;
    } else if (rest >= unit) {
      whole++;
      rest -= unit;
    }
    if (2 * rest > unit || (2 * rest === unit && whole % 2 === 1)) whole++;
    cents = String(whole);
  }
  cents = cents.padStart(3, "0");
  const text = `${cents.slice(0, -2)}.${cents.slice(-2)}`;
  return units < 0 && /[1-9]/.test(cents) ? `-${text}` : text;
}

/** Exact value as a plain decimal string without exponent. */
export function plain(x: Dec): string {
  const s = x.toFixed();
  return s === "-0" ? "0" : s;
}

/**
 * Splits `total` (already rounded to `places`) in proportion to `weights` so that the shares sum
 * exactly to the total: each share is rounded down (towards zero) and the leftover smallest units go
 * to the largest remainders, ties to the earlier index. Zero total weight splits equally.
 */
export function allocate(total: Dec, weights: readonly Dec[], places = 2): Dec[] {
  const n = weights.length;
  if (n === 0) return [];
  const sumWeights = weights.reduce((s, w) => s.add(w), ZERO);
  const effective = sumWeights.isZero() ? weights.map(() => ONE) : weights;
  const sum = sumWeights.isZero() ? new Dec(n) : sumWeights;
  const unit = new Dec(1).div(new Dec(10).pow(places));
  const negative = total.isNegative();
  const magnitude = total.abs();
  const exact = effective.map((w) => magnitude.mul(w).div(sum));
  const floors = exact.map((x) => x.toDecimalPlaces(places, Decimal.ROUND_DOWN));
  let leftover = magnitude.sub(floors.reduce((s, x) => s.add(x), ZERO)).div(unit).round().toNumber();
  const order = exact
    .map((x, i) => ({ i, remainder: x.sub(floors[i]!) }))
    .sort((a, b) => b.remainder.cmp(a.remainder) || a.i - b.i);
  const shares = [...floors];
  for (let k = 0; leftover > 0 && k < order.length; k++, leftover--) shares[order[k]!.i] = shares[order[k]!.i]!.add(unit);
  return negative ? shares.map((s) => s.neg()) : shares;
}
