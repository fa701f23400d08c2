// NEGOTIABLE PARAMETERS AS CONTROLS
//
// A parameter's value is exact text. The engine takes overrides written as a contract writes them
// ("15%", "$6.50", "0.5"), and the slider moves over a whole number of steps between the declared
// bounds, each step an exact decimal; no value passes through floating point.

import { Dec } from "../../../runtime/src/money";
import type { ParameterSpec } from "../../../runtime/src/program";

/** The value as a contract writes it: fractions of percent parameters shown as percentages. */
export function display(spec: ParameterSpec, plain: string): string {
  switch (spec.unit) {
    case "Percent":
      return `${trim(new Dec(plain).mul(100).toFixed())}%`;
    case "Money":
    case "Rate":
      return `$${cents(plain)}`;
    default:
      return plain;
  }
}

/** An amount with at least two decimals: "3" is "3.00", "129.5" is "129.50". */
function cents(plain: string): string {
  const [whole, frac = ""] = plain.split(".");
  return `${whole}.${frac.padEnd(2, "0")}`;
}

/** The number the slider and the text box speak in (percent points for percentages). */
function scaled(spec: ParameterSpec, plain: string): InstanceType<typeof Dec> {
  return spec.unit === "Percent" ? new Dec(plain).mul(100) : new Dec(plain);
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function decimals(d: InstanceType<typeof Dec>): number {
  return d.decimalPlaces();
}

export interface SliderModel {
  readonly steps: number;
  readonly places: number;
  indexOf(text: string): number;
  textAt(index: number): string;
}

export const isNumeric = (spec: ParameterSpec) => ["Percent", "Money", "Rate", "Count", "Number", "Score", "MemberMonths"].includes(spec.unit);

/** A slider over the declared range, or undefined when the parameter has no numeric range. */
export function sliderFor(spec: ParameterSpec): SliderModel | undefined {
  if (!spec.range || !isNumeric(spec)) return undefined;
  const low = scaled(spec, spec.range[0]);
  const high = scaled(spec, spec.range[1]);
  if (!high.gt(low)) return undefined;
  let places = Math.max(decimals(low), decimals(high), spec.unit === "Money" || spec.unit === "Rate" ? 2 : 0);
  const count = (p: number) => high.sub(low).mul(new Dec(10).pow(p)).floor().toNumber();
  while (count(places) < 50 && places < 4) places++;
  while (count(places) > 2000 && places > 0) places--;
  const step = new Dec(10).pow(-places);
  const steps = count(places);
  const unscale = (d: InstanceType<typeof Dec>) => (spec.unit === "Percent" ? `${trim(d.toFixed(places))}%` : spec.unit === "Money" || spec.unit === "Rate" ? `$${d.toFixed(places)}` : trim(d.toFixed(places)));
  return {
    steps,
    places,
    indexOf(text) {
      const value = parseDisplay(spec, text);
      if (value === undefined) return 0;
      const i = scaled(spec, value).sub(low).div(step).round().toNumber();
      return Math.max(0, Math.min(steps, i));
    },
    textAt(index) {
      return unscale(low.add(step.mul(index)));
    },
  };
}

/** Parses what a user typed into the plain value the IR uses; undefined when it is not a value of the unit. */
export function parseDisplay(spec: ParameterSpec, text: string): string | undefined {
  const t = text.trim().replace(/,/g, "");
  const number = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? s : undefined);
  switch (spec.unit) {
    case "Percent": {
      const n = number(t.replace(/%$/, ""));
      return n === undefined ? undefined : new Dec(n).div(100).toFixed();
    }
    case "Money":
    case "Rate":
      return number(t.replace(/^(-?)\$/, "$1").replace(/\s*pmpm$/, ""));
    case "Bool":
      return t === "true" || t === "false" ? t : undefined;
    case "Date":
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : undefined;
    case "Text":
      return t;
    default:
      return number(t);
  }
}

/** Why a typed value cannot be used, or undefined when it can. */
export function problemWith(spec: ParameterSpec, text: string): string | undefined {
  const value = parseDisplay(spec, text);
  if (value === undefined) return spec.unit === "Percent" ? "Write a percentage like 12%." : spec.unit === "Money" || spec.unit === "Rate" ? "Write an amount like $6.50." : spec.unit === "Bool" ? "Write true or false." : spec.unit === "Date" ? "Write a date like 2026-01-31." : "Write a number.";
  if (spec.range && isNumeric(spec)) {
    const v = new Dec(value);
    if (v.lt(new Dec(spec.range[0])) || v.gt(new Dec(spec.range[1]))) return `The contract allows ${display(spec, spec.range[0])} to ${display(spec, spec.range[1])}.`;
  }
  return undefined;
}

/** The override text the engine takes for a value typed in the playground. */
export function overrideText(spec: ParameterSpec, text: string): string {
  const plain = parseDisplay(spec, text);
  return plain === undefined ? text : display(spec, plain);
}
