// BUILT-IN QUANTITIES
//
// The data a contract can read, by the phrase a contract writes. Each has a unit and a level:
// `member` values exist per member-month (fees, eligibility, tier keys), `claim` values per claim
// line (fee enhancements), `unit` values are aggregates over the unit a clause is measured per
// (panel, practice, …), `any` values make sense at every level. Settlement (runtime/) reads the
// same table, so what a contract may name and what the data provides cannot drift apart.

import type { Unit } from "../../../grammar/src";

export type Level = "any" | "member" | "claim" | "unit";

export interface Builtin {
  readonly phrase: string;
  readonly unit: Unit;
  readonly level: Level;
  readonly doc: string;
}

const list: Builtin[] = [
  { phrase: "member months", unit: "MemberMonths", level: "any", doc: "Member-months: 1 for one member-month in a fee; the total over the unit elsewhere." },
  { phrase: "member risk score", unit: "Score", level: "member", doc: "The member's risk score in that month (members file, `risk_score`)." },
  { phrase: "member age", unit: "Count", level: "member", doc: "The member's age in whole years in that month (members file, `age`)." },
  { phrase: "member lob", unit: "Text", level: "member", doc: 'The member\'s line of business, e.g. "commercial" (members file, `lob`).' },
  { phrase: "practice risk group", unit: "Count", level: "member", doc: "The risk group of the member's attributed practice (practices file, `risk_group`)." },
  { phrase: "practice recognition level", unit: "Count", level: "member", doc: "The PCMH recognition level of the member's practice (practices file, `recognition_level`)." },
  { phrase: "allowed", unit: "Money", level: "claim", doc: "The allowed amount of the claim line (claims file, `allowed`)." },
  { phrase: "claim units", unit: "Count", level: "claim", doc: "Service units on the claim line (claims file, `units`)." },
  { phrase: "attributed members", unit: "Count", level: "unit", doc: "Distinct members attributed to the unit during the period." },
  { phrase: "average risk score", unit: "Score", level: "unit", doc: "Member-month-weighted average risk score of the unit." },
  { phrase: "baseline", unit: "Rate", level: "unit", doc: "The unit's baseline cost per member-month (baseline file)." },
  { phrase: "baseline risk score", unit: "Score", level: "unit", doc: "The unit's average risk score in the baseline period (baseline file)." },
  { phrase: "baseline member months", unit: "MemberMonths", level: "unit", doc: "Member-months in the unit's baseline period (baseline file)." },
  { phrase: "total cost", unit: "Money", level: "unit", doc: "Allowed cost of the unit's attributed members in the period, after any truncation or stop-loss of the clause." },
  { phrase: "ed visits", unit: "Count", level: "unit", doc: "Emergency-department visits of attributed members (claims with category `ed`)." },
  { phrase: "admissions", unit: "Count", level: "unit", doc: "Inpatient admissions of attributed members (claims with category `inpatient`)." },
  { phrase: "office visits", unit: "Count", level: "unit", doc: "Primary-care office visits of attributed members (claims with category `primary_care`)." },
  { phrase: "physicians", unit: "Count", level: "unit", doc: "Physicians in the unit." },
  { phrase: "practices", unit: "Count", level: "unit", doc: "Practices in the unit." },
  { phrase: "measures scored", unit: "Count", level: "unit", doc: "In a scorecard gate: measures that met their minimum denominator." },
];

export const builtins: ReadonlyMap<string, Builtin> = new Map(list.map((b) => [b.phrase, b]));

/** Clause-local quantities written with keywords: valid only inside `shared savings`. */
export const savingsQuantities: Readonly<Record<"benchmark" | "savings" | "savings rate", { unit: Unit; doc: string }>> = {
  benchmark: { unit: "Money", doc: "The clause's benchmark for the unit and period, after trend and risk adjustment." },
  savings: { unit: "Money", doc: "Benchmark minus expenditure (negative for losses)." },
  "savings rate": { unit: "Percent", doc: "Savings as a share of the benchmark." },
};

export const attributionBases = ["office visits", "allowed charges"] as const;
export const tieBreakers = ["latest claim date", "largest allowed charges", "lowest physician id"] as const;
