// UNIT RULES
//
// One line per rule of the unit algebra (compiler/src/check/units.ts and the expression cases of
// the checker): an expression and the unit it has, or the diagnostic code it earns. Each
// expression is checked as `value v = <expr>` in a minimal contract; rules where the level or the
// clause matters are checked as a whole clause further down. Operands of each unit:
//   Money `$5`, `total cost` · Percent `5%` · Rate `$5 pmpm` · MemberMonths `member months`
//   Count `attributed members` · Number `2`, `1.5` · Score `average risk score`
//   Date `2026-01-01` · Text `"a"` · Bool `true`
// (the data quantities used are all per-unit totals, so no case mixes levels by accident).

import { describe, expect, test } from "vitest";
import { check } from "../compiler/src";

const header = 'contract "Units"\nterm 2026-01-01 to 2026-12-31\n';

type Row = readonly [expr: string, expected: string];

const rows: Row[] = [
  // LITERALS AND DATA
  ["$5", "Money"],
  ["$1,250.50", "Money"],
  ["-$5", "Money"],
  ["5%", "Percent"],
  ["-2.5%", "Percent"],
  ["2", "Number"],
  ["1.5", "Number"],
  ["1,000", "Number"],
  ["2026-01-01", "Date"],
  ['"commercial"', "Text"],
  ["true", "Bool"],
  ["false", "Bool"],
  ["member months", "MemberMonths"],
  ["attributed members", "Count"],
  ["average risk score", "Score"],
  ["total cost", "Money"],
  ["baseline", "Rate"],
  ['rate of "BCS"', "Percent"],
  ["(5%)", "Percent"],

  // + AND -: like with like; Number, Count and Score mix
  ["$5 + $6", "Money"],
  ["$5 - $6", "Money"],
  ["5% + 6%", "Percent"],
  ["$5 pmpm + $6 pmpm", "Rate"],
  ["member months + member months", "MemberMonths"],
  ["attributed members + attributed members", "Count"],
  ["2 + 1.5", "Number"],
  ["average risk score + average risk score", "Score"],
  ["attributed members + 2", "Number"],
  ["attributed members + average risk score", "Score"],
  ["average risk score + 2", "Number"],
  ["$5 + 6%", "PCMH0301"],
  ["6% + $5", "PCMH0301"],
  ["$5 - 6%", "PCMH0301"],
  ["$5 + $6 pmpm", "PCMH0301"],
  ["$5 + 2", "PCMH0301"],
  ["5% + 0.5", "PCMH0301"],
  ["$5 pmpm + member months", "PCMH0301"],
  ["2026-01-01 + 30", "PCMH0301"],
  ["2026-12-31 - 2026-01-01", "PCMH0301"],
  ['"a" + "b"', "PCMH0301"],
  ["true + false", "PCMH0301"],

  // CAPPED AT AND FLOORED AT: like with like, Dates too
  ["$5 capped at $10", "Money"],
  ["5% floored at 0%", "Percent"],
  ["total cost floored at $0 capped at $1,000", "Money"],
  ["2026-06-01 capped at 2026-12-31", "Date"],
  ["$5 capped at 5%", "PCMH0301"],
  ["5% floored at $0", "PCMH0301"],
  ['"a" capped at "b"', "PCMH0301"],
  ["total cost floored at $10 capped at $2", "PCMH0407"],
  ["total cost capped at $2 floored at $10", "PCMH0407"],

  // *, TIMES AND OF
  ["$5 times 2", "Money"],
  ["2 * $5", "Money"],
  ["$5 times attributed members", "Money"],
  ["$5 times average risk score", "Money"],
  ["$5 times 5%", "Money"],
  ["5% of $100", "Money"],
  ["5% of total cost", "Money"],
  ["2 of $5", "Money"],
  ["50% of 5%", "Percent"],
  ["5% times 5%", "Percent"],
  ["10% of attributed members", "Number"],
  ["attributed members times 10%", "Number"],
  ["10% of member months", "MemberMonths"],
  ["attributed members times attributed members", "Count"],
  ["attributed members times 1.5", "Number"],
  ["attributed members times average risk score", "Score"],
  ["2 times 1.5", "Number"],
  ["member months times 2", "MemberMonths"],
  ["$5 pmpm times member months", "Money"],
  ["member months times $5 pmpm", "Money"],
  ["$5 pmpm × member months", "Money"],
  ["$5 pmpm times 2", "Rate"],
  ["$5 pmpm times 50%", "Rate"],
  ["50% of $5 pmpm", "Rate"],
  ["$5 pmpm times average risk score", "Rate"],
  ["$5 times $6", "PCMH0308"],
  ["total cost * total cost", "PCMH0308"],
  ["$5 pmpm times attributed members", "PCMH0303"],
  ["$5 pmpm times $5", "PCMH0303"],
  ["$5 pmpm times $5 pmpm", "PCMH0303"],
  ["$5 times member months", "PCMH0302"],
  ["member months times member months", "PCMH0302"],
  ["$5 of 5%", "PCMH0302"],
  ["$5 of $6", "PCMH0302"],
  ["$5 pmpm of 2", "PCMH0302"],
  ["member months of 2", "PCMH0302"],
  ['"a" times 2', "PCMH0302"],
  ["true * 2", "PCMH0302"],
  ["2026-01-01 times 2", "PCMH0302"],

  // /
  ["$5 / $10", "Percent"],
  ["$5 pmpm / $10 pmpm", "Percent"],
  ["member months / member months", "Percent"],
  ["$5 / member months", "Rate"],
  ["total cost / member months", "Rate"],
  ["5% / 10%", "Number"],
  ["$5 / 2", "Money"],
  ["$5 / 50%", "Money"],
  ["$5 pmpm / 2", "Rate"],
  ["5% / 2", "Percent"],
  ["member months / 2", "MemberMonths"],
  ["attributed members / 2", "Number"],
  ["attributed members / attributed members", "Number"],
  ["average risk score / average risk score", "Score"],
  ["attributed members / member months", "Number"],
  ["2 / member months", "Number"],
  ["$5 / $5 pmpm", "PCMH0302"],
  ["5% / $5", "PCMH0302"],
  ["$5 pmpm / member months", "PCMH0302"],
  ["attributed members / $5", "PCMH0302"],
  ['"a" / 2', "PCMH0302"],
  ["$5 / 0", "PCMH0307"],
  ["$5 / 0.00", "PCMH0307"],
  ["$5 / (2 - 2)", "PCMH0307"],

  // COMPARISONS: like with like gives true/false; Text and true/false only for equality
  ["$5 > $6", "Bool"],
  ["$5 <= $6", "Bool"],
  ["5% >= 6%", "Bool"],
  ["$5 pmpm < $6 pmpm", "Bool"],
  ["attributed members at least 100", "Bool"],
  ["attributed members at most 2.5", "Bool"],
  ["average risk score > 1", "Bool"],
  ["attributed members = average risk score", "Bool"],
  ["2026-01-01 < 2026-12-31", "Bool"],
  ['"a" = "b"', "Bool"],
  ['"a" != "b"', "Bool"],
  ['"a" ≠ "b"', "Bool"],
  ["true = false", "Bool"],
  ['"a" < "b"', "PCMH0305"],
  ["true < false", "PCMH0305"],
  ["70% > 0.7", "PCMH0305"],
  ["0.7 <= 70%", "PCMH0305"],
  ["$5 > 5%", "PCMH0305"],
  ["total cost > $500 pmpm", "PCMH0305"],
  ["$5 = 5", "PCMH0305"],
  ['2026-01-01 = "2026-01-01"', "PCMH0305"],

  // CONDITIONS
  ["true and false", "Bool"],
  ["true or $5 > $6", "Bool"],
  ["not true", "Bool"],
  ["not (attributed members < 10)", "Bool"],
  ["$5 and true", "PCMH0306"],
  ["true or 5%", "PCMH0306"],
  ["not $5", "PCMH0306"],

  // UNARY MINUS
  ["- $5", "Money"],
  ["-(5%)", "Percent"],
  ["- attributed members", "Count"],
  ['-"a"', "PCMH0304"],
  ["- true", "PCMH0304"],

  // IF
  ["if true then $5 else $6", "Money"],
  ["if attributed members > 100 then 5% else 2%", "Percent"],
  ["if true then attributed members else 2", "Count"],
  ["if true then $5 else 5%", "PCMH0309"],
  ["if 5 then $5 else $6", "PCMH0306"],
  ["if $5 then $5 else $6", "PCMH0306"],

  // MIN, MAX, CLAMP
  ["min($5, $6)", "Money"],
  ["max(2%, 3%, 4%)", "Percent"],
  ["max(attributed members, 2)", "Count"],
  ["clamp(total cost, $0, $1,000)", "Money"],
  ["clamp(5%, 0%, 10%)", "Percent"],
  ["min($5, 5%)", "PCMH0309"],
  ["max(5%, $5 pmpm)", "PCMH0309"],
  ['min("a", "b")', "PCMH0304"],
  ["max(true, false)", "PCMH0304"],
  ["clamp(total cost, $1,000)", "PCMH0304"],
  ["clamp(total cost, $0, $1, $2)", "PCMH0304"],
  ["clamp(total cost, $1,000, $500)", "PCMH0407"],

  // PMPM, PER 1,000, GROWN, ADJUSTED BY RISK
  ["$5 pmpm", "Rate"],
  ["$5 per member per month", "Rate"],
  ["total cost pmpm", "Rate"],
  ["5% pmpm", "PCMH0304"],
  ["attributed members pmpm", "PCMH0304"],
  ["ed visits per 1,000", "Number"],
  ["admissions per 1000", "Number"],
  ["$5 per 1,000", "PCMH0304"],
  ["5% per 1,000", "PCMH0304"],
  ["ed visits per 0", "PCMH0307"],
  ["$100 grown 3.5%", "Money"],
  ["$100 pmpm grown 3.5%", "Rate"],
  ["baseline grown 3%", "Rate"],
  ["attributed members grown 10%", "Count"],
  ["$100 grown $5", "PCMH0304"],
  ["$100 grown 2", "PCMH0304"],
  ['"a" grown 3%', "PCMH0304"],
  ["$100 adjusted by risk", "Money"],
  ["baseline adjusted by risk", "Rate"],
  ["baseline grown 3% adjusted by risk", "Rate"],
  ["5% adjusted by risk", "PCMH0304"],
  ["attributed members adjusted by risk", "PCMH0304"],
];

function errorCodes(text: string): string[] {
  return check(text)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => d.code);
}

describe("unit of `value v = <expr>`", () => {
  test.each(rows)("%s -> %s", (expr, expected) => {
    const text = `${header}value v = ${expr}\n`;
    const result = check(text);
    const codes = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
    if (/^PCMH\d{4}$/.test(expected)) {
      expect(codes).toEqual([expected]);
    } else {
      expect(codes).toEqual([]);
      expect(result.checked.symbols.get("v")?.unit).toBe(expected);
      const decl = result.checked.ast.decls.find((d) => d.kind === "Value");
      const value = decl?.kind === "Value" ? decl.value : undefined;
      expect(value && result.checked.unitOf.get(value)).toBe(expected);
    }
  });
});

// Where a payment's unit depends on the clause: fees per claim line pay Money, monthly fees pay a
// Rate, clauses measured per group pay Money, shared-savings terms have their own quantities; and
// per-member, per-claim and per-unit values may not be mixed.
const clauses: readonly [clause: string, expected: string][] = [
  ['visit fee "V" on codes G0506\n  pay $25', "ok"],
  ['fee enhancement "U" on codes 99202-99215\n  pay 12% of allowed', "ok"],
  ['visit fee "V" on codes G0506\n  pay $5 times claim units', "ok"],
  ['visit fee "V" on codes G0506\n  pay 12%', "PCMH0304"],
  ['visit fee "V" on codes G0506\n  pay $5 pmpm', "PCMH0303"],
  ['visit fee "V" on codes G0506\n  pay $5 times attributed members', "PCMH0204"],
  ['care management fee "C"\n  pay $6 pmpm', "ok"],
  ['care management fee "C"\n  pay $6 pmpm times member risk score', "ok"],
  ['care management fee "C"\n  pay $6', "PCMH0304"],
  ['care management fee "C"\n  pay $6 pmpm times member months', "PCMH0304"],
  ['care management fee "C"\n  pay 12% of allowed pmpm', "PCMH0204"],
  ['care management fee "C"\n  pay $6 pmpm times average risk score', "PCMH0204"],
  ['incentive "I"\n  pay $1,000', "ok"],
  ['incentive "I"\n  pay $2 pmpm times member months', "ok"],
  ['incentive "I"\n  pay $2 pmpm', "PCMH0303"],
  ['incentive "I"\n  pay 5%', "PCMH0304"],
  ['incentive "I"\n  pay $10 times member age', "PCMH0204"],
  ['incentive "I"\n  pay in advance $2 pmpm\n  earned 80%', "ok"],
  ['incentive "I"\n  pay in advance $2\n  earned 80%', "PCMH0304"],
  ['incentive "I"\n  pay in advance $2 pmpm\n  earned $5', "PCMH0304"],
  ['shared savings "S"\n  benchmark baseline\n  share 50%\n  cap savings at 10% of benchmark', "ok"],
  ['shared savings "S"\n  benchmark baseline times member months\n  share 50%', "ok"],
  ['shared savings "S"\n  benchmark baseline\n  share 50%\n  gate savings at least $0 and savings rate at least 2%', "ok"],
  ['shared savings "S"\n  benchmark baseline\n  share 50%\n  cap savings at 10%', "PCMH0304"],
  ['shared savings "S"\n  benchmark 5%\n  share 50%', "PCMH0304"],
  ['shared savings "S"\n  benchmark baseline\n  share 0.5', "PCMH0304"],
  ['shared savings "S"\n  benchmark baseline\n  share 50%\n  gate savings rate at least 2', "PCMH0305"],
  ['shared savings "S"\n  benchmark baseline\n  expenditure total cost pmpm\n  share 50%', "PCMH0303"],
  ['incentive "I"\n  pay 1% of benchmark', "PCMH0208"],
  ["value v = member risk score / average risk score", "PCMH0204"],
];

describe("units in clauses", () => {
  test.each(clauses)("%j -> %s", (clause, expected) => {
    expect(errorCodes(`${header}${clause}\n`)).toEqual(expected === "ok" ? [] : [expected]);
  });
});
