// UNIT ALGEBRA
//
// What each operator does to units. A function returns the result unit, or a reason in plain
// words (plus the diagnostic code) when the combination is meaningless. Number, Count and Score
// form the dimensionless family: they mix with each other, and scale any unit.

import type { BinaryOp, Unit } from "../../../grammar/src";
import type { DiagnosticCode } from "../../../grammar/src";

export type UnitResult = { ok: true; unit: Unit } | { ok: false; code: DiagnosticCode; message: string; hint?: string };

const dimensionless = new Set<Unit>(["Number", "Count", "Score"]);
const numeric = new Set<Unit>(["Money", "Percent", "Rate", "Count", "MemberMonths", "Number", "Score"]);

export function isDimensionless(u: Unit): boolean {
  return dimensionless.has(u);
}

export function isNumeric(u: Unit): boolean {
  return numeric.has(u);
}

export const unitWords: Record<Unit, string> = {
  Money: "Money",
  Percent: "a Percent",
  Rate: "a Rate (money per member-month)",
  Count: "a Count",
  MemberMonths: "Member months",
  Number: "a Number",
  Score: "a Score",
  Date: "a Date",
  Period: "a Period",
  Bool: "true/false",
  Text: "Text",
};

/** Whether a value of unit `actual` may stand where `expected` is required. */
export function fits(actual: Unit, expected: Unit): boolean {
  return actual === expected || (isDimensionless(actual) && isDimensionless(expected));
}

function sameFamily(a: Unit, b: Unit): Unit | undefined {
  if (a === b) return a;
  if (isDimensionless(a) && isDimensionless(b)) return a === "Number" || b === "Number" ? "Number" : a === "Score" || b === "Score" ? "Score" : "Count";
  return undefined;
}

const ok = (unit: Unit): UnitResult => ({ ok: true, unit });

export function addUnits(op: "+" | "-" | "capped at" | "floored at", a: Unit, b: Unit): UnitResult {
  const same = sameFamily(a, b);
  if (same && isNumeric(same)) return ok(same);
  if (same === "Date" && (op === "capped at" || op === "floored at")) return ok("Date");
  const verb = op === "+" ? "add" : op === "-" ? "subtract" : op === "capped at" ? "cap" : "floor";
  const pct = (a === "Percent" && b === "Money") || (a === "Money" && b === "Percent");
  return {
    ok: false,
    code: "PCMH0301",
    // `a + b` adds b to a and `a - b` subtracts b from a; `a capped at b` caps a at b.
    message: op === "+" || op === "-" ? `I can't ${verb} ${unitWords[b]} ${op === "+" ? "to" : "from"} ${unitWords[a]}.` : `I can't ${verb} ${unitWords[a]} at ${unitWords[b]}.`,
    ...(pct ? { hint: "A percentage of an amount is written `12% of allowed`." } : a === "Rate" || b === "Rate" ? { hint: "Multiply a Rate by `member months` to get Money." } : {}),
  };
}

export function multiplyUnits(op: "*" | "times" | "of", a: Unit, b: Unit): UnitResult {
  if (!isNumeric(a) || !isNumeric(b)) return { ok: false, code: "PCMH0302", message: `I can't multiply ${unitWords[a]} by ${unitWords[b]}.` };
  if (op === "of" && a !== "Percent" && !isDimensionless(a))
    return { ok: false, code: "PCMH0302", message: `\`of\` takes a share on its left, but this is ${unitWords[a]}.`, hint: "Write `12% of allowed`; to multiply two amounts use `times`." };
  if (a === "Money" && b === "Money") return { ok: false, code: "PCMH0308", message: "I can't multiply Money by Money.", hint: "One side should be a Percent, a Number or a Count." };
  if ((a === "Rate" && b === "MemberMonths") || (a === "MemberMonths" && b === "Rate")) return ok("Money");
  if (a === "Rate" || b === "Rate") {
    const other = a === "Rate" ? b : a;
    if (other === "Percent" || other === "Number" || other === "Score") return ok("Rate");
    return {
      ok: false,
      code: "PCMH0303",
      message: `A Rate is paid per member-month, so it multiplies \`member months\`, not ${unitWords[other]}.`,
      hint: "Write `$6.00 pmpm times member months`.",
    };
  }
  if (a === "Percent") return b === "Count" ? ok("Number") : ok(b);
  if (b === "Percent") return a === "Count" ? ok("Number") : ok(a);
  if (isDimensionless(a) && isDimensionless(b)) return ok(sameFamily(a, b)!);
  if (isDimensionless(a)) return ok(b);
  if (isDimensionless(b)) return ok(a);
  return { ok: false, code: "PCMH0302", message: `I can't multiply ${unitWords[a]} by ${unitWords[b]}.` };
}

export function divideUnits(a: Unit, b: Unit): UnitResult {
  if (!isNumeric(a) || !isNumeric(b)) return { ok: false, code: "PCMH0302", message: `I can't divide ${unitWords[a]} by ${unitWords[b]}.` };
  if (a === b && (a === "Money" || a === "Rate" || a === "MemberMonths")) return ok("Percent");
  if (a === "Money" && b === "MemberMonths") return ok("Rate");
  if (a === "Percent" && b === "Percent") return ok("Number");
  if (isDimensionless(b) || b === "Percent") return ok(a === "Count" ? "Number" : a);
  if ((a === "Count" || a === "Number") && b === "MemberMonths") return ok("Number");
  return { ok: false, code: "PCMH0302", message: `I can't divide ${unitWords[a]} by ${unitWords[b]}.` };
}

export function compareUnits(op: BinaryOp, a: Unit, b: Unit): UnitResult {
  if (sameFamily(a, b)) {
    if ((op === "=" || op === "!=") || isNumeric(a) || a === "Date") return ok("Bool");
    return { ok: false, code: "PCMH0305", message: `${unitWords[a]} values can be compared only for equality.` };
  }
  const hint =
    (a === "Percent" && isDimensionless(b)) || (b === "Percent" && isDimensionless(a))
      ? { hint: "Write percentages with a % sign: 70%, not 0.7." }
      : {};
  return { ok: false, code: "PCMH0305", message: `I can't compare ${unitWords[a]} with ${unitWords[b]}.`, ...hint };
}
