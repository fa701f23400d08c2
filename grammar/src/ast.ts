// SURFACE AST
//
// The typed tree the parser produces. Every node carries a `[start, end)` span of UTF-16 offsets
// into the source; no node refers back to the CST, so the tree serialises cleanly (web workers,
// snapshots). Literal values are kept as their exact decimal text: no number in this tree ever
// went through floating point. After a syntax error a tree may be partial; `Missing` marks a hole.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Unit = "Money" | "Percent" | "Rate" | "Count" | "MemberMonths" | "Number" | "Score" | "Date" | "Period" | "Bool" | "Text";

export type Frequency = "monthly" | "quarterly" | "annually";
export type RoundingMode = "half-even" | "half-up" | "half-down" | "up" | "down";
export type RoundingUnit = "cents" | "dollars";
export type Level = "member" | "physician" | "practice" | "panel" | "payer" | "contract";
export type Recipient = "practices" | "physicians" | "panels" | "community care teams";
export type AllocationBasis = "member months" | "attributed members" | "equal shares";
export type HitPolicy = "unique" | "first";

// EXPRESSIONS

export type Expr =
  | { kind: "Money"; span: Span; text: string }
  | { kind: "Percent"; span: Span; text: string }
  | { kind: "Number"; span: Span; text: string }
  | { kind: "Date"; span: Span; text: string }
  | { kind: "String"; span: Span; value: string }
  | { kind: "Bool"; span: Span; value: boolean }
  | { kind: "Name"; span: Span; words: string[] }
  | { kind: "Builtin"; span: Span; name: "benchmark" | "savings" | "savings rate" }
  | { kind: "QualityRate"; span: Span; measure: string }
  | { kind: "Unary"; span: Span; op: "-" | "not"; operand: Expr }
  | { kind: "Binary"; span: Span; op: BinaryOp; left: Expr; right: Expr }
  | { kind: "Call"; span: Span; fn: "min" | "max" | "clamp"; args: Expr[] }
  | { kind: "If"; span: Span; condition: Expr; then: Expr; otherwise: Expr }
  | { kind: "PerMemberMonth"; span: Span; operand: Expr }
  | { kind: "PerThousand"; span: Span; operand: Expr; per: string }
  | { kind: "Grown"; span: Span; operand: Expr; by: Expr }
  | { kind: "RiskAdjusted"; span: Span; operand: Expr }
  | { kind: "Paren"; span: Span; inner: Expr }
  | { kind: "Missing"; span: Span };

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "times" | "of"
  | "capped at" | "floored at"
  | "=" | "!=" | "<" | "<=" | ">" | ">=" | "at least" | "at most"
  | "and" | "or";

// SMALL PIECES

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export interface Citation {
  readonly text: string;
  readonly span: Span;
}

export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export type RowCondition =
  | { kind: "Below"; bound: Expr }
  | { kind: "Above"; bound: Expr }
  | { kind: "AtLeast"; bound: Expr }
  | { kind: "Between"; low: Expr; high: Expr; inclusiveHigh: boolean }
  | { kind: "OneOf"; values: Expr[] }
  | { kind: "Otherwise" };

export interface TableRow {
  readonly span: Span;
  readonly condition: RowCondition;
  readonly result: Expr;
  /** With `interpolated`, the value at the high end of a `low to high` row. */
  readonly resultHigh?: Expr;
}

export interface TierTable {
  readonly span: Span;
  readonly key: Expr;
  readonly hitPolicy?: HitPolicy;
  readonly interpolated: boolean;
  readonly rows: TableRow[];
}

export interface Case {
  readonly span: Span;
  readonly condition?: Expr; // absent for `otherwise`
  readonly result: Expr;
}

export interface CodeRange {
  readonly span: Span;
  readonly from: string;
  readonly to?: string;
}

// HEADER

export type HeaderItem =
  | { kind: "Payer"; span: Span; name: Name; cite?: Citation }
  | { kind: "CommunityCareTeam"; span: Span; name: Name; cite?: Citation }
  | { kind: "Term"; span: Span; from: Expr; to: Expr }
  | { kind: "Schedule"; span: Span; feesPaid?: Frequency; settled?: Frequency }
  | { kind: "Currency"; span: Span; code: Name }
  | { kind: "Rounding"; span: Span; mode: RoundingMode; to: RoundingUnit };

// CLAUSE OPTIONS (shared by payment clauses)

export type ClauseOption =
  | { kind: "MeasuredPer"; span: Span; level: Level }
  | { kind: "PaidTo"; span: Span; recipient: Recipient; name?: Name }
  | { kind: "AllocatedBy"; span: Span; basis: AllocationBasis }
  | { kind: "PaidEvery"; span: Span; frequency: Frequency }
  | { kind: "SettledEvery"; span: Span; frequency: Frequency }
  | { kind: "Eligible"; span: Span; condition: Expr }
  | { kind: "ForPayer"; span: Span; payers: Name[] }
  | { kind: "Gate"; span: Span; condition: Expr }
  | { kind: "Rounded"; span: Span; mode: RoundingMode; to: RoundingUnit }
  | { kind: "Cite"; span: Span; citation: Citation }
  | { kind: "EffectiveFrom"; span: Span; from: Expr; to?: Expr };

// SHARED SAVINGS TERMS

export type SavingsTerm =
  | { kind: "Benchmark"; span: Span; value: Expr }
  | { kind: "Expenditure"; span: Span; value: Expr }
  | { kind: "StopLoss"; span: Span; attachment: Expr; covering?: Expr; truncate: boolean }
  | { kind: "MinimumSavingsRate"; span: Span; value: Expr }
  | { kind: "MinimumLossRate"; span: Span; value: Expr }
  | { kind: "ShareSavings"; span: Span; rate: Expr; basis?: SharingBasis }
  | { kind: "ShareLosses"; span: Span; rate: Expr; basis?: SharingBasis }
  | { kind: "CapSavings"; span: Span; value: Expr }
  | { kind: "LimitLosses"; span: Span; value: Expr }
  | { kind: "Corridor"; span: Span; rows: TableRow[] }
  | { kind: "ReduceSavings"; span: Span; by: Expr; reason?: Citation };

/** Whether a share applies to all savings once the minimum is met (the default) or only above it. */
export type SharingBasis = "first dollar" | "above minimum";

// MEASURES

export type Direction = "higher" | "lower";

export type Scoring =
  | { kind: "Linear"; span: Span; from: Expr; to: Expr }
  | { kind: "Target"; span: Span; target: Expr }
  | { kind: "Benchmarks"; span: Span; rows: BenchmarkRow[] };

export interface BenchmarkRow {
  readonly span: Span;
  readonly label: { kind: "percentile" | "decile"; ordinal: string };
  readonly threshold: Expr;
  readonly points: Expr;
}

export interface MeasureDecl {
  readonly kind: "Measure";
  readonly span: Span;
  readonly name: Name;
  readonly title?: Name;
  readonly source: Expr;
  readonly direction?: Direction;
  readonly weight?: Expr;
  readonly minimumDenominator?: Expr;
  readonly scoring?: Scoring;
  readonly cite?: Citation;
}

// DECLARATIONS

export interface EffectiveValue {
  readonly span: Span;
  readonly date: Expr;
  readonly value: Expr;
}

export type Decl =
  | {
      kind: "Parameter";
      span: Span;
      name: Name;
      unit?: { name: string; span: Span };
      value?: Expr;
      range?: { low: Expr; high: Expr; span: Span };
      effective: EffectiveValue[];
      cite?: Citation;
    }
  | { kind: "Value"; span: Span; name: Name; value?: Expr; cases: Case[]; hitPolicy?: HitPolicy; cite?: Citation }
  | { kind: "Table"; span: Span; name: Name; table: TierTable; cite?: Citation }
  | { kind: "Panel"; span: Span; low: Expr; high: Expr; options: ClauseOption[] }
  | {
      kind: "Attribution";
      span: Span;
      method: { kind: "Roster" } | { kind: "Plurality"; of: Name; lookback: Expr };
      tieBreakers: Name[];
      designationFirst: boolean;
      codes: CodeRange[];
      cite?: Citation;
    }
  // `advance`: the span of `in advance` in `pay in advance`, which a fee does not have (the checker says so).
  | { kind: "ClaimFee"; span: Span; style: "enhancement" | "visit"; title: Name; codes: CodeRange[]; pay?: Expr; advance?: Span; options: ClauseOption[] }
  | { kind: "PmpmFee"; span: Span; style: "care management" | "monthly"; title: Name; pay?: Expr; advance?: Span; table?: TierTable; options: ClauseOption[] }
  | { kind: "Incentive"; span: Span; title: Name; pay?: Expr; inAdvance: boolean; earned?: Expr; options: ClauseOption[] }
  | { kind: "SharedSavings"; span: Span; title: Name; terms: SavingsTerm[]; options: ClauseOption[] }
  | { kind: "Adjustment"; span: Span; title: Name; target: Name; by?: Expr; bounds?: { low: Expr; high: Expr; span: Span }; options: ClauseOption[] }
  | { kind: "Withhold"; span: Span; title: Name; percent: Expr; target: Name; returned?: Expr; options: ClauseOption[] }
  | { kind: "Scorecard"; span: Span; name: Name; title?: Name; measures: MeasureDecl[]; options: ClauseOption[] }
  | MeasureDecl
  | { kind: "Amendment"; span: Span; title: Name; effective?: Expr; overrides: Name[]; sets: AmendmentSet[]; cite?: Citation };

export interface AmendmentSet {
  readonly span: Span;
  readonly name: Name;
  readonly value: Expr;
}

export interface ContractAst {
  readonly kind: "Contract";
  readonly span: Span;
  readonly title?: Name;
  readonly version?: Name;
  readonly header: HeaderItem[];
  readonly decls: Decl[];
  readonly comments: Comment[];
}

export type PaymentClause = Extract<Decl, { kind: "ClaimFee" | "PmpmFee" | "Incentive" | "SharedSavings" | "Adjustment" | "Withhold" }>;

export function isPaymentClause(decl: Decl): decl is PaymentClause {
  return ["ClaimFee", "PmpmFee", "Incentive", "SharedSavings", "Adjustment", "Withhold"].includes(decl.kind);
}
