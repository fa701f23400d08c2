// PROGRAM: WHAT A COMPILED CONTRACT GIVES THE ENGINE
//
// A contract, lowered, is data (clauses, tables, scorecards, parameters) plus expressions. The
// type is generic in the expression: the compiler's IR is `ProgramOf<IrExpr>`; what the engine
// runs is `ProgramOf<Evaluator>`, built either by the reference interpreter (closures over the
// IR) or by an emitted module (printed functions). Both go through the same engine, so they can
// differ only in how expressions evaluate — which the differential tests compare.

import type { Dec, RoundingMode } from "./money.js";

export const RUNTIME_ABI = 1;

export type Value = Dec | boolean | string;
export type Frequency = "monthly" | "quarterly" | "annually";
export type Level = "member" | "physician" | "practice" | "panel" | "payer" | "contract";
export type Recipient = "practices" | "physicians" | "panels" | "community care teams";
export type Allocation = "member months" | "attributed members" | "equal shares";
export type UnitName = "Money" | "Percent" | "Rate" | "Count" | "MemberMonths" | "Number" | "Score" | "Date" | "Period" | "Bool" | "Text";

/** What an expression can ask of the settlement it runs in. */
export interface Env {
  param(name: string): Value;
  value(name: string): Value;
  table(name: string): Value;
  builtin(name: string): Value;
  quality(measure: string): Dec;
  scorecard(name: string): Dec;
  measure(name: string): Dec;
  savings(name: "benchmark" | "savings" | "savings rate"): Dec;
  /** Stops the settlement with a message naming the clause and unit being evaluated. */
  fail(code: "PCMH0508" | "PCMH0509" | "PCMH0510", message: string): never;
}

export type Evaluator = (env: Env) => Value;

export interface Meta {
  readonly contractId: string;
  readonly title: string;
  readonly version: string;
  readonly sourceHash: string;
  readonly runtimeAbi: number;
}

export interface RowSpec<E> {
  readonly text: string;
  readonly when: { kind: "below" | "above" | "at least"; bound: E } | { kind: "between"; low: E; high: E; inclusiveHigh: boolean } | { kind: "one of"; values: E[] } | { kind: "otherwise" };
  readonly result: E;
  readonly resultHigh?: E;
}

export interface TableSpec<E> {
  readonly name: string;
  readonly key: E;
  readonly keyText: string;
  readonly policy: "unique" | "first";
  readonly interpolated: boolean;
  readonly rows: readonly RowSpec<E>[];
  /**
   * Set on a fee's table keyed by exactly this member built-in, not interpolated, whose bounds and
   * results read nothing per member: the engine may then find rows once per band of the key.
   */
  readonly bandKey?: "member risk score" | "member age";
}

export interface CaseSpec<E> {
  readonly text: string;
  readonly when?: E;
  readonly then: E;
}

export interface ValueSpec<E> {
  readonly name: string;
  readonly expr?: E;
  readonly text: string;
  readonly policy: "unique" | "first";
  readonly cases: readonly CaseSpec<E>[];
}

export interface ParameterSpec {
  readonly name: string;
  readonly unit: UnitName;
  /** Exact plain decimal (percentages as fractions), text, date or "true"/"false"; absent when the contract leaves it to each settlement. */
  readonly value?: string;
  readonly range?: readonly [string, string];
  readonly effective: readonly { readonly date: string; readonly value: string }[];
  readonly cite?: string;
}

export interface MeasureSpec<E> {
  readonly name: string;
  readonly title: string;
  readonly source: E;
  readonly sourceText: string;
  /** The quality measure whose denominator gates scoring, when the source is `rate of "ID"`. */
  readonly denominatorOf?: string;
  readonly direction?: "higher" | "lower";
  readonly weight?: E;
  readonly minimumDenominator?: E;
  readonly scoring?:
    | { kind: "linear"; from: E; to: E }
    | { kind: "target"; target: E }
    | { kind: "benchmarks"; rows: readonly { label: string; threshold: E; points: E }[] };
}

export interface ScorecardSpec<E> {
  readonly name: string;
  readonly title: string;
  readonly level?: Level;
  readonly gate?: E;
  readonly measures: readonly MeasureSpec<E>[];
}

export interface ClauseCommon<E> {
  readonly title: string;
  /**
   * The per-member (and, for claim fees, per-claim) quantities a fee's amount depends on (through its values and tables), when the
   * compiler could list them all; the engine then computes the amount once per distinct
   * combination instead of once per member-month. Absent: evaluate every member-month.
   */
  readonly memberReads?: readonly string[];
  /** The same for the clause's eligibility condition: it is decided once per distinct combination. */
  readonly eligibleReads?: readonly string[];
  readonly cite?: string;
  readonly measuredPer?: Level;
  readonly paidTo?: { recipient: Recipient; team?: string };
  readonly allocatedBy?: Allocation;
  readonly paidEvery?: Frequency;
  readonly settledEvery?: Frequency;
  readonly eligible?: E;
  readonly payers?: readonly string[];
  readonly gate?: E;
  readonly rounding?: { mode: RoundingMode; places: number };
  readonly effective?: { from: string; to?: string };
}

export type ClauseSpec<E> =
  | (ClauseCommon<E> & {
      kind: "claim fee";
      codes: readonly { from: string; to?: string }[];
      pay: E;
      payText: string;
      /** Set when `pay` is this factor times the claim's allowed amount and the factor reads nothing per claim. */
      perAllowed?: E;
    })
  | (ClauseCommon<E> & { kind: "monthly fee"; pay?: E; payText: string; table?: TableSpec<E> })
  | (ClauseCommon<E> & { kind: "incentive"; pay: E; payText: string; inAdvance: boolean; earned?: E; earnedText?: string })
  | (ClauseCommon<E> & {
      kind: "shared savings";
      benchmark: E;
      benchmarkText: string;
      benchmarkIsRate: boolean;
      expenditure?: E;
      stopLoss: readonly { attachment: E; covering?: E; truncate: boolean }[];
      minimumSavingsRate?: E;
      minimumLossRate?: E;
      share?: E;
      shareAboveMinimum: boolean;
      lossShare?: E;
      lossAboveMinimum: boolean;
      cap?: E;
      limit?: E;
      corridor?: readonly RowSpec<E>[];
      reductions: readonly { by: E; reason?: string }[];
    })
  | (ClauseCommon<E> & { kind: "adjustment"; target: string; by: E; byText: string; bounds?: readonly [E, E] })
  | (ClauseCommon<E> & { kind: "withhold"; target: string; percent: E; returned: E; returnedText: string });

export interface AttributionSpec {
  readonly method: "roster" | "plurality";
  readonly basis?: "office visits" | "allowed charges";
  readonly lookbackMonths?: number;
  readonly tieBreakers: readonly string[];
  readonly designationFirst: boolean;
  readonly codes: readonly { from: string; to?: string }[];
}

export interface ProgramOf<E> {
  readonly meta: Meta;
  readonly header: {
    readonly term: { readonly from: string; readonly to: string };
    readonly feesPaid: Frequency;
    readonly settled: Frequency;
    readonly rounding: { readonly mode: RoundingMode; readonly places: number };
    readonly payers: readonly string[];
    readonly careTeams: readonly string[];
  };
  readonly parameters: readonly ParameterSpec[];
  readonly amendments: readonly { readonly title: string; readonly effective?: string; readonly sets: readonly { readonly name: string; readonly value: string }[] }[];
  readonly values: readonly ValueSpec<E>[];
  readonly tables: readonly TableSpec<E>[];
  readonly scorecards: readonly ScorecardSpec<E>[];
  readonly attribution: AttributionSpec;
  readonly panel?: { readonly low: number; readonly high: number; readonly allocation: Allocation };
  readonly clauses: readonly ClauseSpec<E>[];
}

export type Program = ProgramOf<Evaluator>;
