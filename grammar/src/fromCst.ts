// CST -> SURFACE AST
//
// Turns the parser's concrete syntax tree into the surface AST. Pure and defensive: after error
// recovery any child may be missing or a token may have been inserted with no position, so every
// access goes through helpers that yield `undefined` or a `Missing` expression instead of
// throwing. Literal checks that need more than a regex (real calendar dates, fixed phrases such as
// an allocation basis) report here, with spans inside the file. Linear in the size of the CST: a
// node's span is read from its location, never by walking its subtree, and the helpers allocate
// nothing beyond what they return.

import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast";
import { diagnostic, type Diagnostic } from "./diagnostics";

type Children = Record<string, Array<CstNode | IToken> | undefined>;

interface Context {
  readonly diagnostics: Diagnostic[];
  readonly textLength: number;
}

// HELPERS

function isToken(x: CstNode | IToken | undefined): x is IToken {
  return x !== undefined && (x as IToken).image !== undefined;
}

function realToken(x: CstNode | IToken | undefined): IToken | undefined {
  if (!isToken(x) || x.isInsertedInRecovery || Number.isNaN(x.startOffset)) return undefined;
  return x;
}

const noChildren: Children = Object.freeze({});

function kids(node: CstNode | undefined): Children {
  return node === undefined ? noChildren : (node.children as Children);
}

function token(node: CstNode | undefined, key: string, index = 0): IToken | undefined {
  return realToken(kids(node)[key]?.[index]);
}

function tokens(node: CstNode | undefined, key: string): IToken[] {
  const out: IToken[] = [];
  for (const x of kids(node)[key] ?? []) {
    const t = realToken(x);
    if (t) out.push(t);
  }
  return out;
}

function child(node: CstNode | undefined, key: string, index = 0): CstNode | undefined {
  const c = kids(node)[key]?.[index];
  return c !== undefined && !isToken(c) ? c : undefined;
}

function childrenOf(node: CstNode | undefined, key: string): CstNode[] {
  const out: CstNode[] = [];
  for (const c of kids(node)[key] ?? []) if (!isToken(c)) out.push(c);
  return out;
}

function has(node: CstNode | undefined, key: string): boolean {
  return (kids(node)[key]?.length ?? 0) > 0;
}

function tokenSpan(tok: IToken): A.Span {
  return { start: tok.startOffset, end: tok.startOffset + tok.image.length };
}

/**
 * The span of every real token under a node; an empty span at `fallback` when there is none.
 * Read from the location chevrotain keeps per node (`onlyOffset` tracking with recovery on): the
 * start of its first token and the end of its furthest one, skipping tokens inserted by recovery
 * (which have no offsets). Tokens enter the CST in text order, so that is the same extent as a
 * walk over the subtree would find, at no cost per call.
 */
function spanOf(node: CstNode | IToken | undefined, fallback = 0): A.Span {
  if (node === undefined) return { start: fallback, end: fallback };
  if (isToken(node)) {
    const t = realToken(node);
    return t ? tokenSpan(t) : { start: fallback, end: fallback };
  }
  const loc = node.location;
  if (loc === undefined || Number.isNaN(loc.startOffset) || loc.endOffset === undefined) return { start: fallback, end: fallback };
  return { start: loc.startOffset, end: loc.endOffset + 1 };
}

function join(a: A.Span, b: A.Span): A.Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function unquote(image: string): string {
  const body = image.slice(1, image.endsWith('"') && image.length > 1 ? -1 : undefined);
  return body.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c));
}

function stringName(tok: IToken | undefined, fallback: number): A.Name {
  return tok ? { text: unquote(tok.image), span: tokenSpan(tok) } : { text: "", span: { start: fallback, end: fallback } };
}

function normaliseNumber(image: string): string {
  return image.replace(/[,$%]/g, "").replace("\u2212", "-");
}

// EXPRESSIONS

function missing(at: number): A.Expr {
  return { kind: "Missing", span: { start: at, end: at } };
}

/** A left-associated chain `operands[0] op operands[1] op …` (most chains are a single operand). */
function fold(node: CstNode, cx: Context, opOf: (t: IToken) => A.BinaryOp): A.Expr {
  if (!has(node, "operators")) return exprOf(child(node, "operands"), cx);
  const operands = childrenOf(node, "operands");
  const operators = tokens(node, "operators");
  let result = exprOf(operands[0], cx);
  for (let i = 0; i < operators.length; i++) {
    const right = exprOf(operands[i + 1], cx);
    result = { kind: "Binary", span: join(result.span, right.span.end > right.span.start ? right.span : tokenSpan(operators[i]!)), op: opOf(operators[i]!), left: result, right };
  }
  return result;
}

function exprOf(node: CstNode | undefined, cx: Context): A.Expr {
  if (!node) return missing(0);
  switch (node.name) {
    case "expr":
      return fold(node, cx, orOp);
    case "andExpr":
      return fold(node, cx, andOp);
    case "notExpr": {
      const not = token(node, "Not");
      if (not) {
        const operand = exprOf(child(node, "notExpr"), cx);
        return { kind: "Unary", span: join(tokenSpan(not), operand.span), op: "not", operand };
      }
      return exprOf(child(node, "comparison"), cx);
    }
    case "comparison": {
      const operands = childrenOf(node, "operands");
      const left = exprOf(operands[0], cx);
      const opNode = child(node, "comparisonOperator");
      if (!opNode) return left;
      const right = exprOf(operands[1], cx);
      return { kind: "Binary", span: join(left.span, right.span), op: comparisonOp(opNode), left, right };
    }
    case "bounded":
      return fold(node, cx, boundOp);
    case "additive":
      return fold(node, cx, additiveOp);
    case "multiplicative":
      return fold(node, cx, multiplicativeOp);
    case "unary": {
      const minus = token(node, "Minus");
      if (minus) {
        const operand = exprOf(child(node, "unary"), cx);
        return { kind: "Unary", span: join(tokenSpan(minus), operand.span), op: "-", operand };
      }
      return exprOf(child(node, "postfix"), cx);
    }
    case "postfix": {
      let result = exprOf(child(node, "atom"), cx);
      for (const op of childrenOf(node, "postfixOperator")) result = postfixOf(op, result, cx);
      return result;
    }
    case "atom":
    case "bound":
      return atomOf(node, cx);
    default:
      return missing(spanOf(node).start);
  }
}

const orOp = (): A.BinaryOp => "or";
const andOp = (): A.BinaryOp => "and";
const boundOp = (t: IToken): A.BinaryOp => (t.tokenType.name === "Capped" ? "capped at" : "floored at");
const additiveOp = (t: IToken): A.BinaryOp => (t.image === "+" ? "+" : "-");
const multiplicativeOp = (t: IToken): A.BinaryOp => (t.image === "/" ? "/" : t.image === "times" ? "times" : t.image === "of" ? "of" : "*");

function comparisonOp(node: CstNode): A.BinaryOp {
  if (has(node, "Least")) return "at least";
  if (has(node, "Most")) return "at most";
  const images: Record<string, A.BinaryOp> = { Equals: "=", NotEqual: "!=", Less: "<", LessEqual: "<=", Greater: ">", GreaterEqual: ">=" };
  for (const [key, op] of Object.entries(images)) if (has(node, key)) return op;
  return "=";
}

function postfixOf(node: CstNode, operand: A.Expr, cx: Context): A.Expr {
  const span = join(operand.span, spanOf(node, operand.span.end));
  if (has(node, "Pmpm") || has(node, "Month")) return { kind: "PerMemberMonth", span, operand };
  const perCount = token(node, "perCount");
  if (perCount) return { kind: "PerThousand", span, operand, per: normaliseNumber(perCount.image) };
  if (has(node, "Grown")) return { kind: "Grown", span, operand, by: exprOf(child(node, "grownBy"), cx) };
  if (has(node, "Adjusted")) return { kind: "RiskAdjusted", span, operand };
  return operand;
}

function atomOf(node: CstNode, cx: Context): A.Expr {
  const bound = child(node, "bound");
  if (bound) return atomOf(bound, cx);
  const span = spanOf(node);
  let t: IToken | undefined;
  if ((t = token(node, "MoneyLiteral"))) return { kind: "Money", span, text: normaliseNumber(t.image) };
  if ((t = token(node, "PercentLiteral"))) return { kind: "Percent", span, text: normaliseNumber(t.image) };
  if ((t = token(node, "NumberLiteral"))) return { kind: "Number", span, text: normaliseNumber(t.image) };
  if ((t = token(node, "DateLiteral"))) {
    checkDate(t, cx);
    return { kind: "Date", span, text: t.image };
  }
  if ((t = token(node, "StringLiteral"))) return { kind: "String", span, value: unquote(t.image) };
  if (has(node, "True")) return { kind: "Bool", span, value: true };
  if (has(node, "False")) return { kind: "Bool", span, value: false };
  const nameNode = child(node, "reference");
  if (nameNode) return { kind: "Name", span, words: tokens(nameNode, "NameWord").map((w) => w.image) };
  if (has(node, "Benchmark")) return { kind: "Builtin", span, name: "benchmark" };
  if (has(node, "Savings")) return { kind: "Builtin", span, name: has(node, "savingsRate") ? "savings rate" : "savings" };
  const measure = token(node, "qualityMeasure");
  // Without its quoted ID (a syntax error, already reported) `rate of` is a hole; `rate of ""` is the checker's to report.
  if (has(node, "Rate")) return measure ? { kind: "QualityRate", span, measure: unquote(measure.image) } : missing(span.start);
  if (has(node, "If"))
    return { kind: "If", span, condition: exprOf(child(node, "condition"), cx), then: exprOf(child(node, "then"), cx), otherwise: exprOf(child(node, "else"), cx) };
  const fn = has(node, "Min") ? "min" : has(node, "Max") ? "max" : has(node, "Clamp") ? "clamp" : undefined;
  if (fn) return { kind: "Call", span, fn, args: childrenOf(node, "args").map((a) => exprOf(a, cx)) };
  if (has(node, "LParen")) return { kind: "Paren", span, inner: exprOf(child(node, "inner"), cx) };
  return missing(span.start);
}

function checkDate(t: IToken, cx: Context): void {
  const [y, m, d] = t.image.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    cx.diagnostics.push(diagnostic("PCMH0105", tokenSpan(t), `${t.image} is not a calendar date.`, { hint: "Dates are written year-month-day, like 2026-01-31." }));
}

function exprAt(node: CstNode | undefined, key: string, cx: Context, fallback = 0): A.Expr {
  const c = child(node, key);
  return c ? exprOf(c, cx) : missing(fallback);
}

// SMALL PIECES

function nameOf(node: CstNode | undefined, fallback: number): A.Name {
  const words = tokens(node, "NameWord");
  if (words.length === 0) return { text: "", span: { start: fallback, end: fallback } };
  return { text: words.map((w) => w.image).join(" "), span: { start: words[0]!.startOffset, end: tokenSpan(words[words.length - 1]!).end } };
}

function citationOf(node: CstNode | undefined): A.Citation | undefined {
  const t = token(node, "StringLiteral");
  return t ? { text: unquote(t.image), span: tokenSpan(t) } : undefined;
}

function frequencyOf(node: CstNode | undefined): A.Frequency | undefined {
  if (has(node, "Monthly")) return "monthly";
  if (has(node, "Quarterly")) return "quarterly";
  if (has(node, "Annually")) return "annually";
  return undefined;
}

function roundingOf(node: CstNode | undefined): { mode: A.RoundingMode; to: A.RoundingUnit } {
  const modes: Record<string, A.RoundingMode> = { HalfEven: "half-even", HalfUp: "half-up", HalfDown: "half-down", Up: "up", Down: "down" };
  let mode: A.RoundingMode = "half-even";
  for (const [key, m] of Object.entries(modes)) if (has(node, key)) mode = m;
  return { mode, to: has(node, "Dollars") ? "dollars" : "cents" };
}

function hitPolicyOf(node: CstNode | undefined): A.HitPolicy | undefined {
  if (!node) return undefined;
  return has(node, "First") ? "first" : "unique";
}

function rowOf(node: CstNode, cx: Context): A.TableRow {
  const span = spanOf(node);
  let condition: A.RowCondition;
  if (has(node, "Below")) condition = { kind: "Below", bound: exprAt(node, "bound", cx, span.start) };
  else if (has(node, "Otherwise")) condition = { kind: "Otherwise" };
  else if (has(node, "Above") && !has(node, "And")) condition = { kind: "Above", bound: exprAt(node, "bound", cx, span.start) };
  else if (has(node, "And")) condition = { kind: "AtLeast", bound: exprAt(node, "low", cx, span.start) };
  else if (has(node, "high")) condition = { kind: "Between", low: exprAt(node, "low", cx, span.start), high: exprAt(node, "high", cx, span.start), inclusiveHigh: true };
  else if (has(node, "highExclusive")) condition = { kind: "Between", low: exprAt(node, "low", cx, span.start), high: exprAt(node, "highExclusive", cx, span.start), inclusiveHigh: false };
  else condition = { kind: "OneOf", values: [exprAt(node, "low", cx, span.start), ...childrenOf(node, "more").map((m) => exprOf(m, cx))] };
  const resultHigh = child(node, "resultHigh");
  return { span, condition, result: exprAt(node, "result", cx, span.end), ...(resultHigh ? { resultHigh: exprOf(resultHigh, cx) } : {}) };
}

function tierTableOf(node: CstNode, cx: Context): A.TierTable {
  const policy = hitPolicyOf(child(node, "hitPolicy"));
  return {
    span: spanOf(node),
    key: exprAt(node, "key", cx, spanOf(node).start),
    ...(policy ? { hitPolicy: policy } : {}),
    interpolated: has(node, "Interpolated"),
    rows: childrenOf(node, "tableRow").map((r) => rowOf(r, cx)),
  };
}

function codeText(n: CstNode | undefined): string {
  const t = token(n, "NumberLiteral") ?? token(n, "Identifier") ?? token(n, "StringLiteral");
  return t ? (t.tokenType.name === "StringLiteral" ? unquote(t.image) : t.image) : "";
}

function codeListOf(node: CstNode | undefined): A.CodeRange[] {
  return childrenOf(node, "codeItem").map((item) => {
    const to = child(item, "to");
    return { span: spanOf(item), from: codeText(child(item, "from")), ...(to ? { to: codeText(to) } : {}) };
  });
}

const levels: Record<string, A.Level> = { Member: "member", Physician: "physician", Practice: "practice", Panel: "panel", Payer: "payer", Contract: "contract" };
const bases: Record<string, A.AllocationBasis> = { "member months": "member months", "attributed members": "attributed members", "equal shares": "equal shares" };

function clauseOptionOf(node: CstNode, cx: Context): A.ClauseOption | undefined {
  const span = spanOf(node);
  if (has(node, "Measured")) {
    const levelNode = child(node, "level");
    const key = Object.keys(kids(levelNode)).find((k) => k in levels);
    return key ? { kind: "MeasuredPer", span, level: levels[key]! } : undefined;
  }
  if (has(node, "Paid")) {
    const r = child(node, "recipient");
    if (r) {
      if (has(r, "Practices")) return { kind: "PaidTo", span, recipient: "practices" };
      if (has(r, "Physicians")) return { kind: "PaidTo", span, recipient: "physicians" };
      if (has(r, "Panels")) return { kind: "PaidTo", span, recipient: "panels" };
      const team = token(r, "team");
      return { kind: "PaidTo", span, recipient: "community care teams", ...(team ? { name: stringName(team, span.start) } : {}) };
    }
    const f = frequencyOf(child(node, "paidEvery"));
    return f ? { kind: "PaidEvery", span, frequency: f } : undefined;
  }
  if (has(node, "Settled")) {
    const f = frequencyOf(child(node, "settledEvery"));
    return f ? { kind: "SettledEvery", span, frequency: f } : undefined;
  }
  if (has(node, "Allocated")) {
    const basis = nameOf(child(node, "basis"), span.end);
    const known = bases[basis.text];
    if (!known) {
      if (basis.text)
        cx.diagnostics.push(
          diagnostic("PCMH0106", basis.span, `I don't know how to allocate "by ${basis.text}".`, { hint: "Write `allocated by member months`, `allocated by attributed members` or `allocated by equal shares`." }),
        );
      return undefined;
    }
    return { kind: "AllocatedBy", span, basis: known };
  }
  if (has(node, "Eligible")) return { kind: "Eligible", span, condition: exprAt(node, "eligible", cx, span.end) };
  if (has(node, "For")) return { kind: "ForPayer", span, payers: tokens(node, "payer").map((t) => stringName(t, span.start)) };
  if (has(node, "Gate")) return { kind: "Gate", span, condition: exprAt(node, "gate", cx, span.end) };
  const rounding = child(node, "roundingItem");
  if (rounding) return { kind: "Rounded", span, ...roundingOf(rounding) };
  const cite = citationOf(child(node, "citation"));
  if (cite) return { kind: "Cite", span, citation: cite };
  if (has(node, "Effective")) {
    const to = child(node, "effectiveTo");
    return { kind: "EffectiveFrom", span, from: exprAt(node, "effectiveFrom", cx, span.end), ...(to ? { to: exprOf(to, cx) } : {}) };
  }
  return undefined;
}

function optionsOf(node: CstNode, cx: Context): A.ClauseOption[] {
  return childrenOf(node, "clauseOption")
    .map((o) => clauseOptionOf(o, cx))
    .filter((o): o is A.ClauseOption => o !== undefined);
}

function payOf(node: CstNode, cx: Context): { pay?: A.Expr; inAdvance: boolean; advance?: A.Span } {
  const payItem = child(node, "payItem");
  if (!payItem) return { inAdvance: false };
  const words = [token(payItem, "In"), token(payItem, "Advance")].filter((w): w is IToken => w !== undefined);
  const advance = words.length > 0 ? join(tokenSpan(words[0]!), tokenSpan(words[words.length - 1]!)) : undefined;
  return { pay: exprAt(payItem, "expr", cx, spanOf(payItem).end), inAdvance: has(payItem, "Advance"), ...(advance && has(payItem, "Advance") ? { advance } : {}) };
}

/** Reports every repeat of a single-valued item (a second `pay`, `weight`, `by`, …): the first one counts. */
function once(node: CstNode, keys: string[], what: string, cx: Context): void {
  for (const key of keys) {
    const items = kids(node)[key];
    if (items === undefined) continue;
    for (let i = 1; i < items.length; i++) {
      const span = spanOf(items[i]);
      cx.diagnostics.push(diagnostic("PCMH0410", span, `${what} is given twice; I use the first one.`, { labels: [{ span: spanOf(items[0]), message: "first given here" }], hint: "Remove one of them." }));
    }
  }
}

// DECLARATIONS

function savingsTermOf(node: CstNode, cx: Context): A.SavingsTerm | undefined {
  const span = spanOf(node);
  const e = (key: string) => exprAt(node, key, cx, span.end);
  if (has(node, "Benchmark")) return { kind: "Benchmark", span, value: e("benchmark") };
  if (has(node, "Expenditure")) return { kind: "Expenditure", span, value: e("expenditure") };
  if (has(node, "Truncate")) return { kind: "StopLoss", span, attachment: e("truncate"), truncate: true };
  if (has(node, "Stop")) {
    const covering = child(node, "covering");
    return { kind: "StopLoss", span, attachment: e("stopLoss"), truncate: false, ...(covering ? { covering: exprOf(covering, cx) } : {}) };
  }
  if (has(node, "Minimum")) return { kind: has(node, "lossSide") ? "MinimumLossRate" : "MinimumSavingsRate", span, value: e("minimumRate") };
  if (has(node, "Share")) {
    const basis: A.SharingBasis | undefined = has(node, "aboveMinimum") ? "above minimum" : has(node, "Dollar") ? "first dollar" : undefined;
    const shared = { span, rate: e("shareRate"), ...(basis ? { basis } : {}) };
    return has(node, "lossSide") ? { kind: "ShareLosses", ...shared } : { kind: "ShareSavings", ...shared };
  }
  if (has(node, "Cap")) return { kind: "CapSavings", span, value: e("cap") };
  if (has(node, "Limit")) return { kind: "LimitLosses", span, value: e("limit") };
  if (has(node, "Corridor")) return { kind: "Corridor", span, rows: childrenOf(node, "tableRow").map((r) => rowOf(r, cx)) };
  if (has(node, "Reduce")) {
    const reason = token(node, "reason");
    return { kind: "ReduceSavings", span, by: e("reduceBy"), ...(reason ? { reason: { text: unquote(reason.image), span: tokenSpan(reason) } } : {}) };
  }
  return undefined;
}

function measureOf(node: CstNode, cx: Context): A.MeasureDecl {
  const span = spanOf(node);
  once(node, ["weight", "minimumDenominator", "scoring", "citation"], "This measure term", cx);
  const directions = [...tokens(node, "Higher"), ...tokens(node, "Lower")].sort((a, b) => a.startOffset - b.startOffset);
  for (const extra of directions.slice(1))
    cx.diagnostics.push(diagnostic("PCMH0410", tokenSpan(extra), "This measure says twice which direction is better; I use the first.", { labels: [{ span: tokenSpan(directions[0]!), message: "first given here" }] }));
  const title = token(node, "title");
  const weight = child(node, "weight");
  const minDen = child(node, "minimumDenominator");
  const scoringNode = child(node, "scoring");
  const cite = citationOf(childrenOf(node, "citation")[0]);
  let scoring: A.Scoring | undefined;
  if (scoringNode) {
    const s = spanOf(scoringNode);
    if (has(scoringNode, "Linear")) scoring = { kind: "Linear", span: s, from: exprAt(scoringNode, "from", cx, s.end), to: exprAt(scoringNode, "to", cx, s.end) };
    else if (has(scoringNode, "Target")) scoring = { kind: "Target", span: s, target: exprAt(scoringNode, "target", cx, s.end) };
    else
      scoring = {
        kind: "Benchmarks",
        span: s,
        rows: childrenOf(scoringNode, "benchmarkRow").map((r) => {
          const ordinal = token(r, "OrdinalLiteral");
          return {
            span: spanOf(r),
            label: { kind: has(r, "Decile") ? "decile" : "percentile", ordinal: ordinal?.image ?? "" },
            threshold: exprAt(r, "threshold", cx, spanOf(r).end),
            points: exprAt(r, "points", cx, spanOf(r).end),
          };
        }),
      };
  }
  return {
    kind: "Measure",
    span,
    name: nameOf(child(node, "name"), span.start),
    ...(title ? { title: stringName(title, span.start) } : {}),
    source: exprAt(node, "source", cx, span.end),
    ...(has(node, "Higher") ? { direction: "higher" as const } : has(node, "Lower") ? { direction: "lower" as const } : {}),
    ...(weight ? { weight: exprOf(weight, cx) } : {}),
    ...(minDen ? { minimumDenominator: exprOf(minDen, cx) } : {}),
    ...(scoring ? { scoring } : {}),
    ...(cite ? { cite } : {}),
  };
}

/** The first child of a node that holds one alternative (a declaration or header item). */
function onlyChild(node: CstNode): CstNode | IToken | undefined {
  const children = kids(node);
  for (const key in children) return children[key]?.[0];
  return undefined;
}

function titleOf(node: CstNode, span: A.Span): A.Name {
  return stringName(token(node, "title"), span.start);
}

function withCite(node: CstNode): { cite?: A.Citation } {
  const c = citationOf(child(node, "citation"));
  return c ? { cite: c } : {};
}

function declOf(node: CstNode, cx: Context): A.Decl | undefined {
  const inner = onlyChild(node);
  if (!inner || isToken(inner)) return undefined;
  once(inner, ["payItem", "earned", "by", "low", "returned", "tierTable", "value", "effective", "hitPolicy"], "This term", cx);
  if (inner.name === "amendmentDecl" || inner.name === "attributionDecl") once(inner, ["citation", "Designation"], "This term", cx);
  const span = spanOf(inner);
  switch (inner.name) {
    case "parameterDecl": {
      const unit = token(inner, "unit");
      const value = child(inner, "value");
      const low = child(inner, "low");
      const high = child(inner, "high");
      return {
        kind: "Parameter",
        span,
        name: nameOf(child(inner, "name"), span.start),
        ...(unit ? { unit: { name: unit.image, span: tokenSpan(unit) } } : {}),
        ...(value ? { value: exprOf(value, cx) } : {}),
        ...(low || high ? { range: { low: exprAt(inner, "low", cx, span.end), high: exprAt(inner, "high", cx, span.end), span: join(spanOf(low, span.end), spanOf(high, span.end)) } } : {}),
        effective: childrenOf(inner, "effectiveValue").map((ev) => ({ span: spanOf(ev), date: exprAt(ev, "date", cx, spanOf(ev).end), value: exprAt(ev, "value", cx, spanOf(ev).end) })),
        ...withCite(inner),
      };
    }
    case "valueDecl": {
      const value = child(inner, "value");
      const policy = hitPolicyOf(child(inner, "hitPolicy"));
      return {
        kind: "Value",
        span,
        name: nameOf(child(inner, "name"), span.start),
        ...(value ? { value: exprOf(value, cx) } : {}),
        cases: childrenOf(inner, "valueCase").map((c) => {
          const cond = child(c, "condition");
          return { span: spanOf(c), ...(cond ? { condition: exprOf(cond, cx) } : {}), result: exprAt(c, "result", cx, spanOf(c).end) };
        }),
        ...(policy ? { hitPolicy: policy } : {}),
        ...withCite(inner),
      };
    }
    case "tableDecl": {
      const tableNode = child(inner, "tierTable");
      return {
        kind: "Table",
        span,
        name: nameOf(child(inner, "name"), span.start),
        table: tableNode ? tierTableOf(tableNode, cx) : { span, key: missing(span.end), interpolated: false, rows: [] },
        ...withCite(inner),
      };
    }
    case "panelDecl":
      return { kind: "Panel", span, low: exprAt(inner, "low", cx, span.end), high: exprAt(inner, "high", cx, span.end), options: optionsOf(inner, cx) };
    case "attributionDecl": {
      const method: A.Decl & { kind: "Attribution" } extends { method: infer M } ? M : never = has(inner, "Roster")
        ? { kind: "Roster" }
        : { kind: "Plurality", of: nameOf(child(inner, "basis"), span.end), lookback: exprAt(inner, "lookback", cx, span.end) };
      return {
        kind: "Attribution",
        span,
        method,
        tieBreakers: childrenOf(inner, "tieBreaker").map((n) => nameOf(n, span.end)),
        designationFirst: has(inner, "Designation"),
        codes: codeListOf(child(inner, "codeList")),
        ...(childrenOf(inner, "citation").length ? { cite: citationOf(childrenOf(inner, "citation")[0])! } : {}),
      };
    }
    case "claimFeeDecl": {
      const { pay, advance } = payOf(inner, cx);
      return {
        kind: "ClaimFee",
        span,
        style: has(inner, "Enhancement") ? "enhancement" : "visit",
        title: titleOf(inner, span),
        codes: codeListOf(child(inner, "codeList")),
        ...(pay ? { pay } : {}),
        ...(advance ? { advance } : {}),
        options: optionsOf(inner, cx),
      };
    }
    case "pmpmFeeDecl": {
      const { pay, advance } = payOf(inner, cx);
      const tableNode = child(inner, "tierTable");
      return {
        kind: "PmpmFee",
        span,
        style: has(inner, "Care") ? "care management" : "monthly",
        title: titleOf(inner, span),
        ...(pay ? { pay } : {}),
        ...(advance ? { advance } : {}),
        ...(tableNode ? { table: tierTableOf(tableNode, cx) } : {}),
        options: optionsOf(inner, cx),
      };
    }
    case "incentiveDecl": {
      const { pay, inAdvance } = payOf(inner, cx);
      const earned = child(inner, "earned");
      return { kind: "Incentive", span, title: titleOf(inner, span), ...(pay ? { pay } : {}), inAdvance, ...(earned ? { earned: exprOf(earned, cx) } : {}), options: optionsOf(inner, cx) };
    }
    case "sharedSavingsDecl":
      return {
        kind: "SharedSavings",
        span,
        title: titleOf(inner, span),
        terms: childrenOf(inner, "savingsTerm")
          .map((s) => savingsTermOf(s, cx))
          .filter((s): s is A.SavingsTerm => s !== undefined),
        options: optionsOf(inner, cx),
      };
    case "adjustmentDecl": {
      const by = child(inner, "by");
      const low = child(inner, "low");
      return {
        kind: "Adjustment",
        span,
        title: titleOf(inner, span),
        target: stringName(token(inner, "target"), span.end),
        ...(by ? { by: exprOf(by, cx) } : {}),
        ...(low ? { bounds: { low: exprOf(low, cx), high: exprAt(inner, "high", cx, span.end), span: join(spanOf(low), spanOf(child(inner, "high"), span.end)) } } : {}),
        options: optionsOf(inner, cx),
      };
    }
    case "withholdDecl": {
      const returned = child(inner, "returned");
      return {
        kind: "Withhold",
        span,
        title: titleOf(inner, span),
        percent: exprAt(inner, "percent", cx, span.end),
        target: stringName(token(inner, "target"), span.end),
        ...(returned ? { returned: exprOf(returned, cx) } : {}),
        options: optionsOf(inner, cx),
      };
    }
    case "scorecardDecl": {
      const t = token(inner, "title");
      return {
        kind: "Scorecard",
        span,
        name: nameOf(child(inner, "name"), span.start),
        ...(t ? { title: stringName(t, span.start) } : {}),
        measures: childrenOf(inner, "measureDecl").map((m) => measureOf(m, cx)),
        options: optionsOf(inner, cx),
      };
    }
    case "measureDecl":
      return measureOf(inner, cx);
    case "amendmentDecl": {
      const effective = child(inner, "effective");
      return {
        kind: "Amendment",
        span,
        title: titleOf(inner, span),
        ...(effective ? { effective: exprOf(effective, cx) } : {}),
        overrides: tokens(inner, "overrides").map((t) => stringName(t, span.start)),
        sets: childrenOf(inner, "amendmentSet").map((s) => ({ span: spanOf(s), name: nameOf(child(s, "name"), spanOf(s).start), value: exprAt(s, "expr", cx, spanOf(s).end) })),
        ...withCite(inner),
      };
    }
    default:
      return undefined;
  }
}

function headerItemOf(node: CstNode, cx: Context): A.HeaderItem | undefined {
  const inner = onlyChild(node);
  if (!inner || isToken(inner)) return undefined;
  const span = spanOf(inner);
  switch (inner.name) {
    case "payerItem":
    case "careTeamItem": {
      const c = citationOf(child(inner, "citation"));
      const name = stringName(token(inner, "StringLiteral"), span.end);
      return inner.name === "payerItem" ? { kind: "Payer", span, name, ...(c ? { cite: c } : {}) } : { kind: "CommunityCareTeam", span, name, ...(c ? { cite: c } : {}) };
    }
    case "termItem":
      return { kind: "Term", span, from: exprAt(inner, "from", cx, span.end), to: exprAt(inner, "to", cx, span.end) };
    case "scheduleItem": {
      const feesPaid = frequencyOf(child(inner, "feesPaid"));
      const settled = frequencyOf(child(inner, "settled"));
      return { kind: "Schedule", span, ...(feesPaid ? { feesPaid } : {}), ...(settled ? { settled } : {}) };
    }
    case "currencyItem": {
      const t = token(inner, "NameWord");
      return { kind: "Currency", span, code: t ? { text: t.image, span: tokenSpan(t) } : { text: "", span } };
    }
    case "roundingItem":
      return { kind: "Rounding", span, ...roundingOf(inner) };
    default:
      return undefined;
  }
}

export function contractFromCst(cst: CstNode | undefined, comments: A.Comment[], textLength: number, diagnostics: Diagnostic[]): A.ContractAst {
  const cx: Context = { diagnostics, textLength };
  const title = token(cst, "title");
  const version = token(cst, "version");
  return {
    kind: "Contract",
    span: { start: 0, end: textLength },
    ...(title ? { title: stringName(title, 0) } : {}),
    ...(version ? { version: stringName(version, 0) } : {}),
    header: childrenOf(cst, "headerItem")
      .map((h) => headerItemOf(h, cx))
      .filter((h): h is A.HeaderItem => h !== undefined),
    decls: childrenOf(cst, "decl")
      .map((d) => declOf(d, cx))
      .filter((d): d is A.Decl => d !== undefined),
    comments,
  };
}
