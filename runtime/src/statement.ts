// STATEMENT
//
// What a settlement produces: lines `{clause, kind, recipient, payer, period, amount, trace}` and
// totals by recipient, clause and payer. Amounts are decimal strings rounded as the contract says;
// every total is the exact sum of its lines. A trace names the rule and shows its inputs and
// intermediate values, so any line can be explained in words.

export type LineKind = "payment" | "advance" | "recoupment" | "withhold" | "withhold return" | "adjustment";

export interface TraceStep {
  readonly name: string;
  readonly value: string;
  readonly note?: string;
}

export interface Trace {
  readonly rule: string;
  readonly cite?: string;
  readonly unit?: string;
  readonly steps: readonly TraceStep[];
}

export interface StatementLine {
  readonly id: number;
  readonly clause: string;
  readonly kind: LineKind;
  /** "practice:P1", "physician:D7", "panel:N2" or "community care team:Aroostook". */
  readonly recipient: string;
  readonly payer?: string;
  /** "2026-03", "2026-Q1" or "2026" (the fee or settlement period). */
  readonly period: string;
  readonly amount: string;
  readonly trace: Trace;
}

export interface Statement {
  readonly contract: { readonly id: string; readonly title: string; readonly version: string; readonly sourceHash: string };
  readonly runtimeAbi: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly parameters: Readonly<Record<string, string>>;
  readonly lines: readonly StatementLine[];
  readonly totals: {
    readonly total: string;
    readonly byRecipient: Readonly<Record<string, string>>;
    readonly byClause: Readonly<Record<string, string>>;
    readonly byPayer: Readonly<Record<string, string>>;
  };
  readonly notes: readonly string[];
}
