// Arbitrary surface ASTs for property tests: syntactically valid by construction (not
// necessarily well-typed), spans zeroed. Expressions may need parentheses the tree does not
// hold; the printer adds them, and comparisons are made modulo `Paren` nodes.

import fc from "fast-check";
import type * as A from "../../grammar/src";
import { keywordWords } from "../../grammar/src";

const zero: A.Span = { start: 0, end: 0 };
const hard = new Set(keywordWords.filter((k) => !k.soft).map((k) => k.word));
const soft = keywordWords.filter((k) => k.soft).map((k) => k.word);

export const word: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((w) => !hard.has(w) && !/^(st|nd|rd|th)$/.test(w)) },
  { weight: 1, arbitrary: fc.constantFrom(...soft) },
);

const builtinPhrase = fc.constantFrom("member months", "member risk score", "average risk score", "total cost", "ed visits", "allowed", "baseline");
const nameRef = fc.oneof(word.map((w) => [w]), builtinPhrase.map((p) => p.split(" ")));

const digits = fc.tuple(fc.nat({ max: 99_999_999 }), fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }), fc.boolean()).map(
  ([int, frac, negative]) => `${negative ? "-" : ""}${int}${frac !== undefined ? "." + frac : ""}`,
);
const date = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const text = fc.string({ maxLength: 12 }).filter((s) => !/[\u2028\u2029]/.test(s));

const leaf: fc.Arbitrary<A.Expr> = fc.oneof(
  digits.map((t): A.Expr => ({ kind: "Money", span: zero, text: t })),
  digits.map((t): A.Expr => ({ kind: "Percent", span: zero, text: t })),
  digits.map((t): A.Expr => ({ kind: "Number", span: zero, text: t })),
  date.map((t): A.Expr => ({ kind: "Date", span: zero, text: t })),
  text.map((v): A.Expr => ({ kind: "String", span: zero, value: v })),
  fc.boolean().map((v): A.Expr => ({ kind: "Bool", span: zero, value: v })),
  nameRef.map((words): A.Expr => ({ kind: "Name", span: zero, words })),
  fc.constantFrom("benchmark", "savings", "savings rate").map((name): A.Expr => ({ kind: "Builtin", span: zero, name: name as "benchmark" })),
  text.map((m): A.Expr => ({ kind: "QualityRate", span: zero, measure: m })),
);

const binaryOps: A.BinaryOp[] = ["+", "-", "*", "/", "times", "of", "capped at", "floored at", "=", "!=", "<", "<=", ">", ">=", "at least", "at most", "and", "or"];

export const expr: fc.Arbitrary<A.Expr> = fc.letrec<{ e: A.Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true, maxDepth: 5 },
    leaf,
    fc.record({ op: fc.constantFrom(...binaryOps), left: tie("e"), right: tie("e") }).map(({ op, left, right }): A.Expr => ({ kind: "Binary", span: zero, op, left, right })),
    fc.record({ op: fc.constantFrom("-" as const, "not" as const), operand: tie("e") }).map(({ op, operand }): A.Expr => ({ kind: "Unary", span: zero, op, operand })),
    fc.record({ fn: fc.constantFrom("min" as const, "max" as const, "clamp" as const), args: fc.array(tie("e"), { minLength: 1, maxLength: 3 }) }).map(({ fn, args }): A.Expr => ({ kind: "Call", span: zero, fn, args })),
    fc.record({ condition: tie("e"), then: tie("e"), otherwise: tie("e") }).map((r): A.Expr => ({ kind: "If", span: zero, ...r })),
    tie("e").map((operand): A.Expr => ({ kind: "PerMemberMonth", span: zero, operand })),
    fc.record({ operand: tie("e"), per: fc.constantFrom("1000", "100", "12") }).map((r): A.Expr => ({ kind: "PerThousand", span: zero, ...r })),
    fc.record({ operand: tie("e"), by: tie("e") }).map((r): A.Expr => ({ kind: "Grown", span: zero, ...r })),
    tie("e").map((operand): A.Expr => ({ kind: "RiskAdjusted", span: zero, operand })),
    tie("e").map((inner): A.Expr => ({ kind: "Paren", span: zero, inner })),
  ),
})).e;

const name = word.map((w): A.Name => ({ text: w, span: zero }));
const title = text.map((t): A.Name => ({ text: t, span: zero }));
const citation = fc.option(text.map((t): A.Citation => ({ text: t, span: zero })), { nil: undefined });

function opt<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(a, { nil: undefined });
}

/** Drops keys whose value is undefined, as the parser never sets them. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const rowCondition: fc.Arbitrary<A.RowCondition> = fc.oneof(
  expr.map((bound): A.RowCondition => ({ kind: "Below", bound })),
  expr.map((bound): A.RowCondition => ({ kind: "Above", bound })),
  expr.map((bound): A.RowCondition => ({ kind: "AtLeast", bound })),
  fc.record({ low: expr, high: expr, inclusiveHigh: fc.boolean() }).map((r): A.RowCondition => ({ kind: "Between", ...r })),
  fc.array(expr, { minLength: 1, maxLength: 3 }).map((values): A.RowCondition => ({ kind: "OneOf", values })),
  fc.constant<A.RowCondition>({ kind: "Otherwise" }),
);

const row = fc.record({ condition: rowCondition, result: expr, resultHigh: opt(expr) }).map((r): A.TableRow => clean({ span: zero, ...r }));
const rows = fc.array(row, { minLength: 1, maxLength: 4 });
const tierTable = fc.record({ key: expr, hitPolicy: opt(fc.constantFrom("unique" as const, "first" as const)), interpolated: fc.boolean(), rows }).map((r): A.TierTable => clean({ span: zero, ...r }));

const frequency = fc.constantFrom<A.Frequency>("monthly", "quarterly", "annually");
const rounding = fc.record({ mode: fc.constantFrom<A.RoundingMode>("half-even", "half-up", "half-down", "up", "down"), to: fc.constantFrom<A.RoundingUnit>("cents", "dollars") });

const option: fc.Arbitrary<A.ClauseOption> = fc.oneof(
  fc.constantFrom<A.Level>("member", "physician", "practice", "panel", "payer", "contract").map((level): A.ClauseOption => ({ kind: "MeasuredPer", span: zero, level })),
  fc.constantFrom<A.Recipient>("practices", "physicians", "panels", "community care teams").map((recipient): A.ClauseOption => ({ kind: "PaidTo", span: zero, recipient })),
  title.map((n): A.ClauseOption => ({ kind: "PaidTo", span: zero, recipient: "community care teams", name: n })),
  fc.constantFrom<A.AllocationBasis>("member months", "attributed members", "equal shares").map((basis): A.ClauseOption => ({ kind: "AllocatedBy", span: zero, basis })),
  frequency.map((f): A.ClauseOption => ({ kind: "PaidEvery", span: zero, frequency: f })),
  frequency.map((f): A.ClauseOption => ({ kind: "SettledEvery", span: zero, frequency: f })),
  expr.map((c): A.ClauseOption => ({ kind: "Eligible", span: zero, condition: c })),
  fc.array(title, { minLength: 1, maxLength: 2 }).map((payers): A.ClauseOption => ({ kind: "ForPayer", span: zero, payers })),
  expr.map((c): A.ClauseOption => ({ kind: "Gate", span: zero, condition: c })),
  rounding.map((r): A.ClauseOption => ({ kind: "Rounded", span: zero, ...r })),
  text.map((c): A.ClauseOption => ({ kind: "Cite", span: zero, citation: { text: c, span: zero } })),
  fc.record({ from: date, to: opt(date) }).map(({ from, to }): A.ClauseOption =>
    clean({ kind: "EffectiveFrom" as const, span: zero, from: { kind: "Date", span: zero, text: from } as A.Expr, to: to ? ({ kind: "Date", span: zero, text: to } as A.Expr) : undefined }),
  ),
);
/** The printer puts `measured per` first; generate options in that canonical order. */
const options = fc.array(option, { maxLength: 3 }).map((os) => [...os.filter((o) => o.kind === "MeasuredPer"), ...os.filter((o) => o.kind !== "MeasuredPer")]);

const codeText = fc.oneof(fc.stringMatching(/^[0-9]{1,5}$/), fc.stringMatching(/^[A-Z][0-9]{4}$/), text);
const codeList = fc.array(fc.record({ from: codeText, to: opt(codeText) }).map((c): A.CodeRange => clean({ span: zero, ...c })), { minLength: 1, maxLength: 3 });

const savingsTerm: fc.Arbitrary<A.SavingsTerm> = fc.oneof(
  expr.map((value): A.SavingsTerm => ({ kind: "Benchmark", span: zero, value })),
  expr.map((value): A.SavingsTerm => ({ kind: "Expenditure", span: zero, value })),
  fc.record({ attachment: expr, covering: opt(expr), truncate: fc.boolean() }).map((r): A.SavingsTerm => clean({ kind: "StopLoss" as const, span: zero, ...r, covering: r.truncate ? undefined : r.covering })),
  expr.map((value): A.SavingsTerm => ({ kind: "MinimumSavingsRate", span: zero, value })),
  expr.map((value): A.SavingsTerm => ({ kind: "MinimumLossRate", span: zero, value })),
  fc.record({ rate: expr, basis: opt(fc.constantFrom<A.SharingBasis>("first dollar", "above minimum")), losses: fc.boolean() }).map(({ rate, basis, losses }): A.SavingsTerm =>
    clean({ kind: losses ? ("ShareLosses" as const) : ("ShareSavings" as const), span: zero, rate, basis }),
  ),
  expr.map((value): A.SavingsTerm => ({ kind: "CapSavings", span: zero, value })),
  expr.map((value): A.SavingsTerm => ({ kind: "LimitLosses", span: zero, value })),
  rows.map((r): A.SavingsTerm => ({ kind: "Corridor", span: zero, rows: r })),
  fc.record({ by: expr, reason: opt(text) }).map(({ by, reason }): A.SavingsTerm => clean({ kind: "ReduceSavings" as const, span: zero, by, reason: reason === undefined ? undefined : { text: reason, span: zero } })),
);

const ordinal = fc.tuple(fc.nat({ max: 100 }), fc.constantFrom("st", "nd", "rd", "th")).map(([n, s]) => `${n}${s}`);
const scoring: fc.Arbitrary<A.Scoring> = fc.oneof(
  fc.record({ from: expr, to: expr }).map((r): A.Scoring => ({ kind: "Linear", span: zero, ...r })),
  expr.map((target): A.Scoring => ({ kind: "Target", span: zero, target })),
  fc
    .array(fc.record({ ordinal, kind: fc.constantFrom("percentile" as const, "decile" as const), threshold: expr, points: expr }), { minLength: 1, maxLength: 3 })
    .map((rs): A.Scoring => ({ kind: "Benchmarks", span: zero, rows: rs.map((r) => ({ span: zero, label: { kind: r.kind, ordinal: r.ordinal }, threshold: r.threshold, points: r.points })) })),
);

const measure = fc
  .record({ name, title: opt(title), source: expr, direction: opt(fc.constantFrom<A.Direction>("higher", "lower")), weight: opt(expr), minimumDenominator: opt(expr), scoring: opt(scoring), cite: citation })
  .map((m): A.MeasureDecl => clean({ kind: "Measure" as const, span: zero, ...m }));

const dateExpr = date.map((t): A.Expr => ({ kind: "Date", span: zero, text: t }));

const decl: fc.Arbitrary<A.Decl> = fc.oneof(
  fc
    .record({
      name,
      unit: opt(fc.constantFrom("Money", "Percent", "Rate", "Count")),
      value: opt(expr),
      range: opt(fc.record({ low: expr, high: expr })),
      effective: fc.array(fc.record({ date: dateExpr, value: expr }), { maxLength: 2 }),
      cite: citation,
    })
    .map((p): A.Decl =>
      clean({
        kind: "Parameter" as const,
        span: zero,
        name: p.name,
        unit: p.unit ? { name: p.unit, span: zero } : undefined,
        value: p.value,
        range: p.range ? { ...p.range, span: zero } : undefined,
        effective: p.effective.map((e) => ({ span: zero, ...e })),
        cite: p.cite,
      }),
    ),
  fc
    .record({ name, value: opt(expr), hitPolicy: opt(fc.constantFrom<A.HitPolicy>("unique", "first")), cases: fc.array(fc.record({ condition: opt(expr), result: expr }), { maxLength: 3 }), cite: citation })
    .map((v): A.Decl => clean({ kind: "Value" as const, span: zero, ...v, cases: v.cases.map((c) => clean({ span: zero, ...c })) })),
  fc.record({ name, table: tierTable, cite: citation }).map((t): A.Decl => clean({ kind: "Table" as const, span: zero, ...t })),
  fc.record({ low: expr, high: expr, options }).map((p): A.Decl => ({ kind: "Panel", span: zero, ...p })),
  fc
    .record({
      plurality: opt(fc.record({ of: fc.constantFrom("office visits", "allowed charges"), lookback: fc.nat({ max: 36 }) })),
      tieBreakers: fc.array(fc.constantFrom("latest claim date", "largest allowed charges"), { maxLength: 2 }),
      designationFirst: fc.boolean(),
      codes: fc.option(codeList, { nil: undefined }),
      cite: citation,
    })
    .map((a): A.Decl =>
      clean({
        kind: "Attribution" as const,
        span: zero,
        method: a.plurality ? { kind: "Plurality" as const, of: { text: a.plurality.of, span: zero }, lookback: { kind: "Number", span: zero, text: String(a.plurality.lookback) } as A.Expr } : { kind: "Roster" as const },
        tieBreakers: a.tieBreakers.map((t) => ({ text: t, span: zero })),
        designationFirst: a.designationFirst,
        codes: a.codes ?? [],
        cite: a.cite,
      }),
    ),
  fc.record({ style: fc.constantFrom("enhancement" as const, "visit" as const), title, codes: codeList, pay: opt(expr), options }).map((c): A.Decl => clean({ kind: "ClaimFee" as const, span: zero, ...c })),
  fc.record({ style: fc.constantFrom("care management" as const, "monthly" as const), title, pay: opt(expr), table: opt(tierTable), options }).map((c): A.Decl => clean({ kind: "PmpmFee" as const, span: zero, ...c })),
  fc.record({ title, pay: opt(expr), inAdvance: fc.boolean(), earned: opt(expr), options }).map((c): A.Decl => clean({ kind: "Incentive" as const, span: zero, ...c, inAdvance: c.pay ? c.inAdvance : false })),
  fc.record({ title, terms: fc.array(savingsTerm, { maxLength: 4 }), options }).map((c): A.Decl => ({ kind: "SharedSavings", span: zero, ...c })),
  fc.record({ title, target: title, by: opt(expr), bounds: opt(fc.record({ low: expr, high: expr })), options }).map((c): A.Decl =>
    clean({ kind: "Adjustment" as const, span: zero, ...c, bounds: c.bounds ? { ...c.bounds, span: zero } : undefined }),
  ),
  fc.record({ title, percent: expr, target: title, returned: opt(expr), options }).map((c): A.Decl => clean({ kind: "Withhold" as const, span: zero, ...c })),
  fc.record({ name, title: opt(title), measures: fc.array(measure, { maxLength: 2 }), options }).map((c): A.Decl => clean({ kind: "Scorecard" as const, span: zero, ...c })),
  fc
    .record({ title, effective: opt(dateExpr), overrides: fc.array(title, { maxLength: 2 }), sets: fc.array(fc.record({ name, value: expr }), { maxLength: 2 }), cite: citation })
    .map((a): A.Decl => clean({ kind: "Amendment" as const, span: zero, ...a, sets: a.sets.map((s) => ({ span: zero, ...s })) })),
);

const headerItem: fc.Arbitrary<A.HeaderItem> = fc.oneof(
  fc.record({ name: title, cite: citation }).map((p): A.HeaderItem => clean({ kind: "Payer" as const, span: zero, ...p })),
  fc.record({ name: title, cite: citation }).map((p): A.HeaderItem => clean({ kind: "CommunityCareTeam" as const, span: zero, ...p })),
  fc.record({ from: dateExpr, to: dateExpr }).map((t): A.HeaderItem => ({ kind: "Term", span: zero, ...t })),
  fc.record({ feesPaid: opt(frequency), settled: frequency }).map((s): A.HeaderItem => clean({ kind: "Schedule" as const, span: zero, ...s })),
  fc.constantFrom("USD", "EUR").map((c): A.HeaderItem => ({ kind: "Currency", span: zero, code: { text: c, span: zero } })),
  rounding.map((r): A.HeaderItem => ({ kind: "Rounding", span: zero, ...r })),
);

export const contract: fc.Arbitrary<A.ContractAst> = fc
  .record({ title: opt(title), version: opt(title), header: fc.array(headerItem, { maxLength: 4 }), decls: fc.array(decl, { maxLength: 5 }) })
  .map((c) =>
    clean({
      kind: "Contract" as const,
      span: zero,
      title: c.title,
      version: c.title ? c.version : undefined,
      header: c.title ? c.header : [],
      decls: c.decls,
      comments: [],
    }),
  );

/** The AST as plain data without spans, comments or parentheses: what must survive printing. */
export function essence(ast: unknown): unknown {
  return JSON.parse(
    JSON.stringify(ast, (key, value) => {
      if (key === "span" || key === "comments") return undefined;
      if (value && typeof value === "object" && (value as { kind?: string }).kind === "Paren") {
        let inner = (value as { inner: { kind: string; inner?: unknown } }).inner;
        while (inner.kind === "Paren") inner = inner.inner as typeof inner;
        return inner;
      }
      return value;
    }),
  );
}
