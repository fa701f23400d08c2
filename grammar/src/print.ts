// PRINT: SURFACE AST -> CANONICAL TEXT
//
// The formatter. Guarantees: parsing the output gives back the same AST up to spans and
// parentheses (the printer adds parentheses only where precedence needs them); printing is
// idempotent; every comment of the source is kept, before the item that follows it or at the end
// of the line it trailed. Layout: header items and clause items indented two spaces, table rows
// and measure items four, one blank line between declarations.

import type * as A from "./ast";
import { keywordByWord } from "./tokens";

interface Line {
  readonly indent: number;
  readonly text: string;
  /** The source span this line prints, for placing comments; absent for synthetic lines. */
  readonly anchor?: A.Span;
  /** A blank line goes before this line (between declarations). */
  readonly gapBefore?: boolean;
}

// EXPRESSIONS

const enum Prec {
  /** `if … then … else …` extends as far right as it can, so it is parenthesised as any operand. */
  If = 0,
  Or,
  And,
  Not,
  Compare,
  Bound,
  Add,
  Mul,
  Unary,
  Postfix,
  Atom,
}

function precedence(e: A.Expr): Prec {
  switch (e.kind) {
    case "Binary":
      switch (e.op) {
        case "or":
          return Prec.Or;
        case "and":
          return Prec.And;
        case "capped at":
        case "floored at":
          return Prec.Bound;
        case "+":
        case "-":
          return Prec.Add;
        case "*":
        case "/":
        case "times":
        case "of":
          return Prec.Mul;
        default:
          return Prec.Compare;
      }
    case "Unary":
      return e.op === "not" ? Prec.Not : Prec.Unary;
    case "PerMemberMonth":
    case "PerThousand":
    case "Grown":
    case "RiskAdjusted":
      return Prec.Postfix;
    case "If":
      return Prec.If;
    default:
      return Prec.Atom;
  }
}

function wrap(e: A.Expr, min: Prec): string {
  const text = printExpr(e);
  return precedence(e) < min ? `(${text})` : text;
}

function withThousands(digits: string): string {
  const negative = digits.startsWith("-");
  const body = negative ? digits.slice(1) : digits;
  const [int, frac] = body.split(".") as [string, string | undefined];
  const grouped = int.length > 3 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : int;
  return `${negative ? "-" : ""}${grouped}${frac !== undefined ? "." + frac : ""}`;
}

export function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r")}"`;
}

export function printExpr(e: A.Expr): string {
  switch (e.kind) {
    case "Money": {
      const t = withThousands(e.text);
      return t.startsWith("-") ? `-$${t.slice(1)}` : `$${t}`;
    }
    case "Percent":
      return `${withThousands(e.text)}%`;
    case "Number":
      return withThousands(e.text);
    case "Date":
      return e.text;
    case "String":
      return quote(e.value);
    case "Bool":
      return e.value ? "true" : "false";
    case "Name":
      return e.words.join(" ");
    case "Builtin":
      return e.name;
    case "QualityRate":
      return `rate of ${quote(e.measure)}`;
    case "Missing":
      return "?";
    case "Paren":
      return `(${printExpr(e.inner)})`;
    case "Unary": {
      if (e.op === "not") return `not ${wrap(e.operand, Prec.Not)}`;
      const operand = wrap(e.operand, Prec.Unary);
      return /^[\d$\-−]/.test(operand) ? `- ${operand}` : `-${operand}`;
    }
    case "Binary": {
      const p = precedence(e);
      if (p === Prec.Compare) return `${wrap(e.left, Prec.Bound)} ${e.op} ${wrap(e.right, Prec.Bound)}`;
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, (p + 1) as Prec)}`;
    }
    case "Call":
      return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "If":
      return `if ${printExpr(e.condition)} then ${printExpr(e.then)} else ${printExpr(e.otherwise)}`;
    case "PerMemberMonth":
      return `${wrap(e.operand, Prec.Postfix)} pmpm`;
    case "PerThousand":
      return `${wrap(e.operand, Prec.Postfix)} per ${withThousands(e.per)}`;
    case "Grown":
      return `${wrap(e.operand, Prec.Postfix)} grown ${wrap(e.by, Prec.Atom)}`;
    case "RiskAdjusted":
      return `${wrap(e.operand, Prec.Postfix)} adjusted by risk`;
  }
}

/** Table-row bounds and other grammar positions that take a single atom. */
function atom(e: A.Expr): string {
  return wrap(e, Prec.Atom);
}

// PIECES

function cite(c: A.Citation | undefined): string {
  return c ? ` cite ${quote(c.text)}` : "";
}

/** Tier-row bounds take literals, names and parenthesised expressions only. */
function bound(e: A.Expr): string {
  const plain = ["Money", "Percent", "Number", "Date", "String", "Bool", "Name", "Paren"].includes(e.kind);
  return plain ? printExpr(e) : `(${printExpr(e)})`;
}

function rowText(row: A.TableRow): string {
  const c = row.condition;
  let condition: string;
  switch (c.kind) {
    case "Below":
      condition = `below ${bound(c.bound)}`;
      break;
    case "Above":
      condition = `above ${bound(c.bound)}`;
      break;
    case "AtLeast":
      condition = `${bound(c.bound)} and above`;
      break;
    case "Between":
      condition = `${bound(c.low)} ${c.inclusiveHigh ? "to" : "up to"} ${bound(c.high)}`;
      break;
    case "OneOf":
      condition = c.values.map(bound).join(", ");
      break;
    case "Otherwise":
      condition = "otherwise";
      break;
  }
  return `${condition} -> ${printExpr(row.result)}${row.resultHigh ? ` to ${printExpr(row.resultHigh)}` : ""}`;
}

function tableLines(table: A.TierTable, indent: number): Line[] {
  return table.rows.map((row) => ({ indent, text: rowText(row), anchor: row.span }));
}

function tableHead(table: A.TierTable): string {
  return `by ${printExpr(table.key)}${table.hitPolicy ? ` hit policy ${table.hitPolicy}` : ""}${table.interpolated ? " interpolated" : ""}`;
}

function codes(list: A.CodeRange[]): string {
  const code = (c: string) => (/^(\d+|[A-Za-z_][A-Za-z0-9_]*)$/.test(c) && !keywordByWord.has(c) ? c : quote(c));
  return list.map((c) => (c.to !== undefined ? `${code(c.from)}-${code(c.to)}` : code(c.from))).join(", ");
}

function optionText(o: A.ClauseOption): string {
  switch (o.kind) {
    case "MeasuredPer":
      return `measured per ${o.level}`;
    case "PaidTo":
      if (o.recipient === "community care teams") return o.name ? `paid to community care team ${quote(o.name.text)}` : "paid to community care teams";
      return `paid to ${o.recipient}`;
    case "AllocatedBy":
      return `allocated by ${o.basis}`;
    case "PaidEvery":
      return `paid ${o.frequency}`;
    case "SettledEvery":
      return `settled ${o.frequency}`;
    case "Eligible":
      return `eligible when ${printExpr(o.condition)}`;
    case "ForPayer":
      return `for payer ${o.payers.map((p) => quote(p.text)).join(", ")}`;
    case "Gate":
      return `gate ${printExpr(o.condition)}`;
    case "Rounded":
      return `rounding ${o.mode} to ${o.to}`;
    case "Cite":
      return `cite ${quote(o.citation.text)}`;
    case "EffectiveFrom":
      return `effective ${atom(o.from)}${o.to ? ` to ${atom(o.to)}` : ""}`;
  }
}

/** `measured per` reads best right under the clause's first line; the other options follow its terms. */
function measuredLines(options: A.ClauseOption[], indent: number): Line[] {
  return options.filter((o) => o.kind === "MeasuredPer").map((o) => ({ indent, text: optionText(o), anchor: o.span }));
}

function optionLines(options: A.ClauseOption[], indent: number): Line[] {
  return options.filter((o) => o.kind !== "MeasuredPer").map((o) => ({ indent, text: optionText(o), anchor: o.span }));
}

function termText(t: A.SavingsTerm): string {
  switch (t.kind) {
    case "Benchmark":
      return `benchmark ${printExpr(t.value)}`;
    case "Expenditure":
      return `expenditure ${printExpr(t.value)}`;
    case "StopLoss":
      return t.truncate
        ? `truncate costs per member above ${printExpr(t.attachment)}`
        : `stop loss per member above ${printExpr(t.attachment)}${t.covering ? ` covering ${printExpr(t.covering)}` : ""}`;
    case "MinimumSavingsRate":
      return `minimum savings rate ${printExpr(t.value)}`;
    case "MinimumLossRate":
      return `minimum loss rate ${printExpr(t.value)}`;
    case "ShareSavings":
      return `share ${printExpr(t.rate)}${t.basis === "above minimum" ? " above minimum" : t.basis === "first dollar" ? " from first dollar" : ""}`;
    case "ShareLosses":
      return `share losses ${printExpr(t.rate)}${t.basis === "above minimum" ? " above minimum" : t.basis === "first dollar" ? " from first dollar" : ""}`;
    case "CapSavings":
      return `cap savings at ${printExpr(t.value)}`;
    case "LimitLosses":
      return `limit losses to ${printExpr(t.value)}`;
    case "Corridor":
      return "corridor";
    case "ReduceSavings":
      return `reduce savings by ${wrap(t.by, Prec.Bound)}${t.reason ? ` ${quote(t.reason.text)}` : ""}`;
  }
}

function measureLines(m: A.MeasureDecl, indent: number): Line[] {
  const head = `measure ${m.name.text}${m.title ? ` ${quote(m.title.text)}` : ""} = ${printExpr(m.source)}`;
  const lines: Line[] = [{ indent, text: head, anchor: { start: m.span.start, end: m.source.span.end } }];
  const inner = indent + 2;
  if (m.direction) lines.push({ indent: inner, text: `${m.direction} is better` });
  if (m.weight) lines.push({ indent: inner, text: `weight ${printExpr(m.weight)}`, anchor: m.weight.span });
  if (m.minimumDenominator) lines.push({ indent: inner, text: `minimum denominator ${printExpr(m.minimumDenominator)}`, anchor: m.minimumDenominator.span });
  const s = m.scoring;
  if (s?.kind === "Linear") lines.push({ indent: inner, text: `points linear from ${printExpr(s.from)} to ${printExpr(s.to)}`, anchor: s.span });
  if (s?.kind === "Target") lines.push({ indent: inner, text: `points target ${printExpr(s.target)}`, anchor: s.span });
  if (s?.kind === "Benchmarks") {
    lines.push({ indent: inner, text: "points by benchmark", anchor: { start: s.span.start, end: s.rows[0]?.span.start ?? s.span.end } });
    for (const r of s.rows) lines.push({ indent: inner + 2, text: `${r.label.ordinal} ${r.label.kind} ${printExpr(r.threshold)} -> ${printExpr(r.points)}`, anchor: r.span });
  }
  if (m.cite) lines.push({ indent: inner, text: `cite ${quote(m.cite.text)}`, anchor: m.cite.span });
  return lines;
}

// DECLARATIONS

function head(decl: A.Decl, end: number): A.Span {
  return { start: decl.span.start, end };
}

function declLines(decl: A.Decl): Line[] {
  const lines: Line[] = [];
  const item = (text: string, anchor?: A.Span, indent = 2) => lines.push({ indent, text, ...(anchor ? { anchor } : {}) });
  switch (decl.kind) {
    case "Parameter": {
      const unit = decl.unit ? `: ${decl.unit.name}` : "";
      const value = decl.value ? ` = ${printExpr(decl.value)}` : "";
      const range = decl.range ? ` range ${printExpr(decl.range.low)} to ${printExpr(decl.range.high)}` : "";
      const headEnd = decl.effective[0]?.span.start ?? decl.span.end;
      lines.push({ indent: 0, text: `parameter ${decl.name.text}${unit}${value}${range}${cite(decl.cite)}`, anchor: head(decl, headEnd) });
      for (const ev of decl.effective) item(`effective ${atom(ev.date)} = ${printExpr(ev.value)}`, ev.span);
      break;
    }
    case "Value": {
      const headEnd = decl.value ? decl.value.span.end : decl.name.span.end;
      lines.push({ indent: 0, text: `value ${decl.name.text}${decl.value ? ` = ${printExpr(decl.value)}` : ""}`, anchor: head(decl, headEnd) });
      if (decl.hitPolicy) item(`hit policy ${decl.hitPolicy}`);
      for (const c of decl.cases) item(`${c.condition ? `when ${printExpr(c.condition)}` : "otherwise"} -> ${printExpr(c.result)}`, c.span);
      if (decl.cite) item(`cite ${quote(decl.cite.text)}`, decl.cite.span);
      break;
    }
    case "Table":
      lines.push({ indent: 0, text: `table ${decl.name.text} ${tableHead(decl.table)}`, anchor: head(decl, decl.table.key.span.end) });
      lines.push(...tableLines(decl.table, 2));
      if (decl.cite) item(`cite ${quote(decl.cite.text)}`, decl.cite.span);
      break;
    case "Panel":
      lines.push({ indent: 0, text: `panel virtual physicians ${atom(decl.low)} to ${atom(decl.high)}`, anchor: head(decl, decl.high.span.end) });
      lines.push(...measuredLines(decl.options, 2), ...optionLines(decl.options, 2));
      break;
    case "Attribution": {
      const m = decl.method;
      const text = m.kind === "Roster" ? "attribution from roster" : `attribution by plurality of ${m.of.text} over ${atom(m.lookback)} months`;
      lines.push({ indent: 0, text, anchor: head(decl, m.kind === "Roster" ? decl.span.start + 1 : m.lookback.span.end) });
      for (const tb of decl.tieBreakers) item(`tie breaker ${tb.text}`, tb.span);
      if (decl.designationFirst) item("designation first");
      if (decl.codes.length) item(`on codes ${codes(decl.codes)}`, decl.codes[0]!.span);
      if (decl.cite) item(`cite ${quote(decl.cite.text)}`, decl.cite.span);
      break;
    }
    case "ClaimFee":
      lines.push({ indent: 0, text: `${decl.style === "enhancement" ? "fee enhancement" : "visit fee"} ${quote(decl.title.text)} on codes ${codes(decl.codes)}`, anchor: head(decl, decl.codes[decl.codes.length - 1]?.span.end ?? decl.title.span.end) });
      if (decl.pay) item(`pay ${decl.advance ? "in advance " : ""}${printExpr(decl.pay)}`, decl.pay.span);
      lines.push(...measuredLines(decl.options, 2), ...optionLines(decl.options, 2));
      break;
    case "PmpmFee":
      lines.push({ indent: 0, text: `${decl.style === "monthly" ? "monthly fee" : "care management fee"} ${quote(decl.title.text)}`, anchor: head(decl, decl.title.span.end) }, ...measuredLines(decl.options, 2));
      if (decl.pay) item(`pay ${decl.advance ? "in advance " : ""}${printExpr(decl.pay)}`, decl.pay.span);
      if (decl.table) {
        item(tableHead(decl.table), { start: decl.table.span.start, end: decl.table.key.span.end });
        lines.push(...tableLines(decl.table, 4));
      }
      lines.push(...optionLines(decl.options, 2));
      break;
    case "Incentive":
      lines.push({ indent: 0, text: `incentive ${quote(decl.title.text)}`, anchor: head(decl, decl.title.span.end) }, ...measuredLines(decl.options, 2));
      if (decl.pay) item(`pay ${decl.inAdvance ? "in advance " : ""}${printExpr(decl.pay)}`, decl.pay.span);
      if (decl.earned) item(`earned ${printExpr(decl.earned)}`, decl.earned.span);
      lines.push(...optionLines(decl.options, 2));
      break;
    case "SharedSavings":
      lines.push({ indent: 0, text: `shared savings ${quote(decl.title.text)}`, anchor: head(decl, decl.title.span.end) }, ...measuredLines(decl.options, 2));
      for (const t of decl.terms) {
        item(termText(t), t.kind === "Corridor" ? { start: t.span.start, end: t.rows[0]?.span.start ?? t.span.end } : t.span);
        if (t.kind === "Corridor") for (const r of t.rows) lines.push({ indent: 4, text: rowText(r), anchor: r.span });
      }
      lines.push(...optionLines(decl.options, 2));
      break;
    case "Adjustment":
      lines.push({ indent: 0, text: `adjustment ${quote(decl.title.text)} of ${quote(decl.target.text)}`, anchor: head(decl, decl.target.span.end) }, ...measuredLines(decl.options, 2));
      if (decl.by) item(`by ${printExpr(decl.by)}`, decl.by.span);
      if (decl.bounds) item(`bounded ${printExpr(decl.bounds.low)} to ${printExpr(decl.bounds.high)}`, decl.bounds.span);
      lines.push(...optionLines(decl.options, 2));
      break;
    case "Withhold":
      lines.push({ indent: 0, text: `withhold ${quote(decl.title.text)} ${atom(decl.percent)} of ${quote(decl.target.text)}`, anchor: head(decl, decl.target.span.end) }, ...measuredLines(decl.options, 2));
      if (decl.returned) item(`returned ${printExpr(decl.returned)}`, decl.returned.span);
      lines.push(...optionLines(decl.options, 2));
      break;
    case "Scorecard":
      lines.push({ indent: 0, text: `scorecard ${decl.name.text}${decl.title ? ` ${quote(decl.title.text)}` : ""}`, anchor: head(decl, (decl.title ?? decl.name).span.end) });
      lines.push(...measuredLines(decl.options, 2), ...optionLines(decl.options, 2));
      for (const m of decl.measures) lines.push(...measureLines(m, 2));
      break;
    case "Measure":
      lines.push(...measureLines(decl, 0));
      break;
    case "Amendment": {
      const lastHead = decl.sets[0]?.span.start ?? decl.span.end;
      lines.push({ indent: 0, text: `amendment ${quote(decl.title.text)}`, anchor: head(decl, decl.title.span.end) });
      if (decl.effective) item(`effective ${atom(decl.effective)}`, decl.effective.span);
      if (decl.overrides.length) item(`overrides ${decl.overrides.map((o) => quote(o.text)).join(", ")}`, decl.overrides[0]!.span);
      if (decl.cite) item(`cite ${quote(decl.cite.text)}`, decl.cite.span);
      void lastHead;
      for (const s of decl.sets) item(`set ${s.name.text} = ${printExpr(s.value)}`, s.span);
      break;
    }
  }
  return lines;
}

function headerText(h: A.HeaderItem): string {
  switch (h.kind) {
    case "Payer":
      return `payer ${quote(h.name.text)}${cite(h.cite)}`;
    case "CommunityCareTeam":
      return `community care team ${quote(h.name.text)}${cite(h.cite)}`;
    case "Term":
      return `term ${atom(h.from)} to ${atom(h.to)}`;
    case "Schedule":
      if (h.feesPaid) return `fees paid ${h.feesPaid}${h.settled ? `, settled ${h.settled}` : ""}`;
      return `settled ${h.settled}`;
    case "Currency":
      return `currency ${h.code.text}`;
    case "Rounding":
      return `rounding ${h.mode} to ${h.to}`;
  }
}

// LAYOUT AND COMMENTS

export function print(ast: A.ContractAst, source = ""): string {
  const lines: Line[] = [];
  if (ast.title) {
    const end = (ast.version ?? ast.title).span.end;
    const start = Math.max(0, source.lastIndexOf("contract", ast.title.span.start));
    lines.push({ indent: 0, text: `contract ${quote(ast.title.text)}${ast.version ? ` version ${quote(ast.version.text)}` : ""}`, anchor: { start, end } });
  }
  for (const h of ast.header) lines.push({ indent: 2, text: headerText(h), anchor: h.span });
  let previous: A.Decl | undefined;
  for (const decl of ast.decls) {
    const [first, ...rest] = declLines(decl);
    const grouped = previous?.kind === "Parameter" && decl.kind === "Parameter";
    lines.push({ ...first!, gapBefore: lines.length > 0 && !grouped }, ...rest);
    previous = decl;
  }
  return weave(lines, ast.comments, source);
}

function weave(lines: Line[], comments: readonly A.Comment[], source: string): string {
  const leading = new Map<number, A.Comment[]>();
  const trailing = new Map<number, A.Comment[]>();
  const atEnd: A.Comment[] = [];
  const anchored = lines.map((l, i) => ({ i, anchor: l.anchor })).filter((x): x is { i: number; anchor: A.Span } => x.anchor !== undefined);
  for (const c of comments) {
    let before: { i: number; anchor: A.Span } | undefined;
    let after: { i: number; anchor: A.Span } | undefined;
    for (const a of anchored) {
      if (a.anchor.start <= c.span.start && (!before || a.anchor.start >= before.anchor.start)) before = a;
      if (a.anchor.start >= c.span.end && (!after || a.anchor.start < after.anchor.start)) after = a;
    }
    const sameLine = before !== undefined && !/[\n\r\u2028\u2029]/.test(source.slice(Math.min(before.anchor.end, c.span.start), c.span.start)) && before.anchor.end <= c.span.start + 1;
    const inside = before !== undefined && before.anchor.end > c.span.start;
    const add = (map: Map<number, A.Comment[]>, i: number) => map.set(i, [...(map.get(i) ?? []), c]);
    if (before && (sameLine || (inside && !after))) add(trailing, before.i);
    else if (before && inside && after && after.anchor.start > before.anchor.end) add(trailing, before.i);
    else if (after) add(leading, after.i);
    else atEnd.push(c);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    const lead = leading.get(i) ?? [];
    if (line.gapBefore) out.push("");
    lead.forEach((c, k) => {
      const previous = lead[k - 1];
      if (previous && /\n[ \t]*\r?\n/.test(source.slice(previous.span.end, c.span.start))) out.push("");
      out.push(" ".repeat(line.indent) + c.text.trimEnd());
    });
    const trail = trailing.get(i) ?? [];
    const [firstTrail, ...moreTrail] = trail;
    out.push(" ".repeat(line.indent) + line.text + (firstTrail ? "  " + firstTrail.text.trimEnd() : ""));
    for (const c of moreTrail) out.push(" ".repeat(line.indent) + c.text.trimEnd());
  });
  if (atEnd.length) {
    if (out.length) out.push("");
    for (const c of atEnd) out.push(c.text.trimEnd());
  }
  return out.length ? out.join("\n") + "\n" : "";
}
