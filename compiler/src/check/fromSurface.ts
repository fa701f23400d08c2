// CHECK: SURFACE AST -> CHECKED CONTRACT
//
// Name resolution, units, levels and the contract checks that catch mistakes before they cost
// money. Pure: text in, diagnostics out, never throws. Guarantees of a result without errors:
// every name resolves; every expression has a unit that fits its position; member-level and
// unit-level values are never mixed; definitions have no cycles; literal bounds of parameters,
// tier tables, panels, caps and floors are consistent. An expression whose unit could not be
// found is "poisoned" (unit undefined) and reports nothing further, so one mistake gives one
// diagnostic.

import type * as A from "../../../grammar/src";
import { diagnostic, didYouMean, isPaymentClause, type Diagnostic, type DiagnosticCode } from "../../../grammar/src";
import { attributionBases, builtins, savingsQuantities, tieBreakers, type Level } from "./builtins";
import type { CheckedContract, ContractSymbol, Reference } from "./checked";
import { Exact, fold, show } from "./constant";
import { checkTable } from "./tables";
import { addUnits, compareUnits, divideUnits, fits, isDimensionless, isNumeric, multiplyUnits, unitWords } from "./units";

type Expr = A.Expr;
type Unit = A.Unit;

interface Typed {
  readonly unit?: Unit;
  readonly levels: ReadonlySet<Level>;
}

/** Where an expression is evaluated: per claim line, per member-month, or per measured unit. */
type Place = { level: "claim" | "member" | "unit" | "const"; savings?: boolean; scorecard?: boolean };

const NONE: ReadonlySet<Level> = new Set();
const MAX_DEFINITION_DEPTH = 200;
/** Suggestions cost a pass over every name; after this many unknown names I stop offering them. */
const MAX_SUGGESTIONS = 20;

const frequencyRank: Record<A.Frequency, number> = { monthly: 0, quarterly: 1, annually: 2 };

const declaredUnits: Record<string, Unit> = {
  Money: "Money",
  Percent: "Percent",
  Rate: "Rate",
  Count: "Count",
  Number: "Number",
  Score: "Score",
  Date: "Date",
  MemberMonths: "MemberMonths",
  Text: "Text",
};

export function checkContract(ast: A.ContractAst): { checked: CheckedContract; diagnostics: Diagnostic[] } {
  return new Checker(ast).run();
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly symbols = new Map<string, ContractSymbol>();
  private readonly references: Reference[] = [];
  private readonly unitOf = new Map<Expr, Unit>();
  private readonly clauses = new Map<string, A.PaymentClause>();
  private readonly order: string[] = [];
  private readonly state = new Map<string, "visiting" | "done">();
  private readonly stack: string[] = [];
  private readonly payers = new Set<string>();
  private readonly careTeams = new Set<string>();
  private term?: { from: string; to: string };
  /** The declarations a contract has at most one of (panel, attribution), by kind. */
  private readonly onlyOne = new Map<string, A.Span>();
  private suggestionsMade = 0;

  constructor(private readonly ast: A.ContractAst) {}

  run(): { checked: CheckedContract; diagnostics: Diagnostic[] } {
    this.checkHeader();
    this.declare();
    for (const name of this.symbols.keys()) this.resolveSymbol(name);
    for (const decl of this.ast.decls) this.checkDecl(decl);
    this.checkAmendments();
    this.diagnostics.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
    return {
      checked: { ast: this.ast, symbols: this.symbols, references: this.references, unitOf: this.unitOf, clauses: this.clauses, order: this.order },
      diagnostics: this.diagnostics,
    };
  }

  private report(code: DiagnosticCode, span: A.Span, message: string, extras: { hint?: string; labels?: A.Label[] } = {}) {
    this.diagnostics.push(diagnostic(code, span, message, extras));
  }

  // HEADER

  private checkHeader() {
    const ast = this.ast;
    if (!ast.title) this.report("PCMH0409", { start: 0, end: 0 }, "A contract starts with its title, and I can't find one.", { hint: 'Begin the file with `contract "Name" version "2026.1"`.' });
    const seen = new Map<string, A.Span>();
    for (const item of ast.header) {
      if (item.kind === "Payer" || item.kind === "CommunityCareTeam") {
        const set = item.kind === "Payer" ? this.payers : this.careTeams;
        if (set.has(item.name.text)) this.report("PCMH0202", item.name.span, `"${item.name.text}" is listed twice.`);
        set.add(item.name.text);
        continue;
      }
      const prior = seen.get(item.kind);
      if (prior) this.report("PCMH0410", item.span, `The contract's ${item.kind.toLowerCase()} is given twice.`, { labels: [{ span: prior, message: "first given here" }] });
      seen.set(item.kind, item.span);
      if (item.kind === "Schedule" && item.feesPaid && item.settled && frequencyRank[item.feesPaid] > frequencyRank[item.settled])
        this.report("PCMH0402", item.span, `Fees are paid ${item.feesPaid} but settled ${item.settled}: a settlement period can't be shorter than the fee period it settles.`, {
          hint: `Write \`fees paid ${item.settled}, settled ${item.feesPaid}\`, or settle as often as fees are paid.`,
        });
      if (item.kind === "Currency" && item.code.text && !/^[A-Z]{3}$/.test(item.code.text)) {
        const upper = item.code.text.toUpperCase();
        this.report("PCMH0106", item.code.span, `I don't know the currency \`${item.code.text}\`.`, {
          hint: /^[A-Z]{3}$/.test(upper) ? `Currency codes are written in capitals: \`${upper}\`.` : "Write the three-letter ISO 4217 code of the currency, such as USD or EUR.",
        });
      }
      if (item.kind === "Term") {
        const from = item.from.kind === "Date" ? item.from.text : undefined;
        const to = item.to.kind === "Date" ? item.to.text : undefined;
        if (item.from.kind !== "Date" && item.from.kind !== "Missing") this.report("PCMH0304", item.from.span, "A term starts on a date like 2026-01-01.");
        if (item.to.kind !== "Date" && item.to.kind !== "Missing") this.report("PCMH0304", item.to.span, "A term ends on a date like 2026-12-31.");
        if (from && to) {
          if (to < from) this.report("PCMH0412", item.span, `The term ends on ${to}, before it starts on ${from}.`);
          else this.term = { from, to };
        }
      }
    }
    if (!seen.has("Term")) this.report("PCMH0409", ast.title?.span ?? { start: 0, end: 0 }, "The contract has no term.", { hint: "Add a line like `term 2026-01-01 to 2026-12-31`." });
  }

  // DECLARATIONS

  private declare() {
    const add = (kind: ContractSymbol["kind"], name: A.Name, decl: A.Decl | A.MeasureDecl, cite?: A.Citation) => {
      if (!name.text) return;
      const prior = this.symbols.get(name.text);
      if (prior?.span || builtins.has(name.text)) {
        this.report("PCMH0202", name.span, prior?.span ? `\`${name.text}\` is declared twice.` : `\`${name.text}\` is already the name of a built-in quantity.`, {
          ...(prior?.span ? { labels: [{ span: prior.span, message: "first declared here" }] } : {}),
          hint: "Give one of them another name.",
        });
        return;
      }
      this.symbols.set(name.text, { kind, name: name.text, span: name.span, decl, level: "any", ...(cite ? { cite: cite.text } : {}) });
    };
    for (const decl of this.ast.decls) {
      switch (decl.kind) {
        case "Parameter":
          add("parameter", decl.name, decl, decl.cite);
          break;
        case "Value":
          add("value", decl.name, decl, decl.cite);
          break;
        case "Table":
          add("table", decl.name, decl, decl.cite);
          break;
        case "Measure":
          add("measure", decl.name, decl, decl.cite);
          break;
        case "Scorecard":
          add("scorecard", decl.name, decl, decl.options.find((o) => o.kind === "Cite")?.citation);
          for (const m of decl.measures) add("measure", m.name, m, m.cite);
          break;
        default:
          if (isPaymentClause(decl)) {
            const prior = this.clauses.get(decl.title.text);
            if (prior) this.report("PCMH0202", decl.title.span, `There are two clauses called "${decl.title.text}".`, { labels: [{ span: prior.title.span, message: "first one here" }] });
            else if (decl.title.text) this.clauses.set(decl.title.text, decl);
          }
      }
    }
  }

  /** Types a named definition once, after the definitions it reads; reports cycles. */
  private resolveSymbol(name: string, usedAt?: A.Span): ContractSymbol | undefined {
    const symbol = this.symbols.get(name);
    if (!symbol) return undefined;
    const state = this.state.get(name);
    if (state === "done") return symbol;
    if (state === "visiting") {
      const cycle = [...this.stack.slice(this.stack.indexOf(name)), name];
      this.report("PCMH0205", usedAt ?? symbol.span!, `\`${name}\` is defined in terms of itself: ${cycle.map((n) => `\`${n}\``).join(" → ")}.`, {
        hint: "Break the circle: one of these must be defined without the others.",
      });
      symbol.unit = undefined;
      return symbol;
    }
    if (this.stack.length >= MAX_DEFINITION_DEPTH) {
      this.report("PCMH0108", usedAt ?? symbol.span!, `\`${name}\` sits at the end of a chain of more than ${MAX_DEFINITION_DEPTH} definitions, each defined by the next, which is more than I can follow.`, {
        hint: "Define some of them directly.",
      });
      return symbol;
    }
    this.state.set(name, "visiting");
    this.stack.push(name);
    const typed = this.typeDefinition(symbol);
    this.stack.pop();
    this.state.set(name, "done");
    symbol.unit ??= typed.unit;
    symbol.level = mergeLevel(typed.levels);
    this.order.push(name);
    return symbol;
  }

  private typeDefinition(symbol: ContractSymbol): Typed {
    const decl = symbol.decl!;
    const free: Place = { level: "const" };
    switch (decl.kind) {
      case "Parameter":
        return this.typeParameter(decl, symbol);
      case "Value": {
        if (!decl.value && decl.cases.length === 0) {
          this.report("PCMH0409", decl.name.span, `The value \`${decl.name.text}\` has no definition.`, { hint: "Write `value name = …`, or cases `when … -> …` ending with `otherwise -> …`." });
          return { levels: NONE };
        }
        if (decl.value && decl.cases.length > 0) this.report("PCMH0410", decl.cases[0]!.span, `\`${decl.name.text}\` has both a definition and cases; keep one.`);
        if (decl.value) return this.type(decl.value, free);
        return this.typeCases(decl, free);
      }
      case "Table":
        return this.typeTable(decl.table, free, `table \`${decl.name.text}\``);
      case "Measure":
        return this.typeMeasure(decl);
      case "Scorecard":
        return this.typeScorecard(decl);
      default:
        return { levels: NONE };
    }
  }

  private typeParameter(decl: A.Decl & { kind: "Parameter" }, symbol: ContractSymbol): Typed {
    let unit: Unit | undefined;
    if (decl.unit) {
      unit = declaredUnits[decl.unit.name];
      if (!unit) {
        const guess = didYouMean(decl.unit.name, Object.keys(declaredUnits));
        this.report("PCMH0206", decl.unit.span, `I don't know the unit \`${decl.unit.name}\`.`, { hint: guess ? `Did you mean \`${guess}\`?` : `Units are ${Object.keys(declaredUnits).join(", ")}.` });
      }
    }
    const literal = (e: Expr, what: string) => {
      const t = this.type(e, { level: "const" });
      if (!isLiteralish(e)) this.report("PCMH0304", e.span, `A parameter's ${what} must be written out, like 12% or $6.00, so that it can be negotiated.`, { hint: "Use a `value` for a quantity computed from other names." });
      return t.unit;
    };
    if (decl.value) {
      const u = literal(decl.value, "value");
      if (unit && u && !fits(u, unit)) this.report("PCMH0304", decl.value.span, `\`${decl.name.text}\` is declared as ${unitWords[unit]}, but its value is ${unitWords[u]}.`);
      unit ??= u;
    }
    if (decl.range) {
      for (const bound of [decl.range.low, decl.range.high]) {
        const u = literal(bound, "range");
        if (unit && u && !fits(u, unit)) this.report("PCMH0304", bound.span, `The range of \`${decl.name.text}\` should be in ${unitWords[unit]}, but this is ${unitWords[u]}.`);
        unit ??= u;
      }
    }
    const effectiveDates = new Map<string, A.Span>();
    for (const ev of decl.effective) {
      if (ev.date.kind === "Date") {
        const prior = effectiveDates.get(ev.date.text);
        if (prior)
          this.report("PCMH0410", ev.date.span, `\`${decl.name.text}\` is given two values effective ${ev.date.text}.`, {
            labels: [{ span: prior, message: "the other value for that date" }],
            hint: "Keep one of them.",
          });
        else effectiveDates.set(ev.date.text, ev.span);
      }
      const d = this.type(ev.date, { level: "const" });
      if (d.unit && d.unit !== "Date") this.report("PCMH0304", ev.date.span, "An effective value starts on a date like 2027-01-01.");
      this.checkInTerm(ev.date);
      const u = literal(ev.value, "value");
      if (unit && u && !fits(u, unit)) this.report("PCMH0304", ev.value.span, `\`${decl.name.text}\` is ${unitWords[unit]}, but this value is ${unitWords[u]}.`);
    }
    if (!decl.value && !unit) this.report("PCMH0409", decl.name.span, `The parameter \`${decl.name.text}\` needs a value (or at least a unit).`, { hint: "Write `parameter name = 12% range 0% to 20%`." });
    symbol.unit = unit;
    this.checkParameterRange(decl);
    return { ...(unit ? { unit } : {}), levels: new Set<Level>(["any"]) };
  }

  private checkParameterRange(decl: A.Decl & { kind: "Parameter" }) {
    if (!decl.range) return;
    const low = fold(decl.range.low, () => undefined);
    const high = fold(decl.range.high, () => undefined);
    if (low?.kind !== "number" || high?.kind !== "number") return;
    if (low.value.gt(high.value)) {
      this.report("PCMH0402", decl.range.span, `The range of \`${decl.name.text}\` runs from ${show(decl.range.low)} down to ${show(decl.range.high)}.`, { hint: "Write the low end first." });
      return;
    }
    const values = [...(decl.value ? [decl.value] : []), ...decl.effective.map((e) => e.value)];
    for (const v of values) {
      const c = fold(v, () => undefined);
      if (c?.kind === "number" && (c.value.lt(low.value) || c.value.gt(high.value)))
        this.report("PCMH0401", v.span, `${show(v)} is outside the range of \`${decl.name.text}\`, ${show(decl.range.low)} to ${show(decl.range.high)}.`, {
          labels: [{ span: decl.range.span, message: "the allowed range" }],
        });
    }
  }

  private typeCases(decl: A.Decl & { kind: "Value" }, place: Place): Typed {
    let unit: Unit | undefined;
    const levels = new Set<Level>();
    const seenConditions = new Map<string, A.Span>();
    let otherwise: A.Span | undefined;
    for (const c of decl.cases) {
      if (c.condition) {
        const t = this.type(c.condition, place);
        t.levels.forEach((l) => levels.add(l));
        if (t.unit && t.unit !== "Bool") this.report("PCMH0306", c.condition.span, `A \`when\` condition must be true or false, but this is ${unitWords[t.unit]}.`);
        const key = JSON.stringify(c.condition, (k, v) => (k === "span" ? undefined : v));
        const prior = seenConditions.get(key);
        if (otherwise && decl.hitPolicy === "first") this.report("PCMH0405", c.span, "This case comes after `otherwise`, so it can never be chosen.");
        else if (prior && decl.hitPolicy === "first")
          this.report("PCMH0405", c.span, `An earlier case of \`${decl.name.text}\` has the same condition and comes first, so this one can never be chosen.`, {
            labels: [{ span: prior, message: "the earlier case" }],
            hint: "Remove it, or change its condition.",
          });
        else if (prior)
          this.report("PCMH0408", c.span, `Two cases of \`${decl.name.text}\` have the same condition, so both apply.`, {
            labels: [{ span: prior, message: "the other case" }],
            hint: "Remove one, or write `hit policy first` to let the earlier one win.",
          });
        if (!prior) seenConditions.set(key, c.span);
      } else {
        if (otherwise) this.report("PCMH0410", c.span, `\`${decl.name.text}\` has two \`otherwise\` cases.`);
        otherwise = c.span;
      }
      const r = this.type(c.result, place);
      r.levels.forEach((l) => levels.add(l));
      if (r.unit && unit && !fits(r.unit, unit)) this.report("PCMH0309", c.result.span, `The cases of \`${decl.name.text}\` disagree: this one is ${unitWords[r.unit]}, an earlier one ${unitWords[unit]}.`);
      unit ??= r.unit;
    }
    return { ...(unit ? { unit } : {}), levels };
  }

  private typeTable(table: A.TierTable, place: Place, what: string, expected?: Unit): Typed {
    const key = this.type(table.key, place);
    const levels = new Set(key.levels);
    let unit = expected;
    for (const row of table.rows) {
      const bounds = rowBounds(row.condition);
      for (const b of bounds) {
        const t = this.type(b, { level: "const" });
        if (key.unit && t.unit && !fits(t.unit, key.unit) && compareUnits("=", t.unit, key.unit).ok === false)
          this.report("PCMH0305", b.span, `The rows of this ${what} compare ${unitWords[key.unit]}, but this bound is ${unitWords[t.unit]}.`);
      }
      for (const r of [row.result, ...(row.resultHigh ? [row.resultHigh] : [])]) {
        const t = this.type(r, place);
        t.levels.forEach((l) => levels.add(l));
        if (t.unit && unit && !fits(t.unit, unit)) this.report(expected ? "PCMH0304" : "PCMH0309", r.span, `Every row of this ${what} should give ${unitWords[unit]}, but this gives ${unitWords[t.unit]}.`, hintFor(t.unit, unit));
        unit ??= t.unit;
      }
      if (row.resultHigh && !table.interpolated) this.report("PCMH0413", row.resultHigh.span, "A row gives a range of results only in an `interpolated` table.", { hint: "Add `interpolated` after the key, or give one result." });
      if (table.interpolated && row.condition.kind === "Between" && !row.resultHigh) continue;
      if (table.interpolated && row.resultHigh && row.condition.kind !== "Between")
        this.report("PCMH0413", row.span, "Only a `low to high` row can interpolate between two results.");
    }
    if (table.rows.length === 0) this.report("PCMH0409", table.span, `This ${what} has no rows.`);
    const lookup = (name: string) => this.constantOf(name);
    for (const finding of checkTable(table, key.unit, lookup)) this.report(finding.code, finding.span, finding.message, finding.extras);
    return { ...(unit ? { unit } : {}), levels };
  }

  private constantOf(name: string): Expr | undefined {
    const s = this.symbols.get(name);
    return s?.decl?.kind === "Parameter" ? s.decl.value : undefined;
  }

  private typeMeasure(m: A.MeasureDecl): Typed {
    const place: Place = { level: "unit", scorecard: true };
    const source = this.type(m.source, place);
    this.expectLevel(source, place, m.source);
    if (source.unit && !isNumeric(source.unit)) this.report("PCMH0304", m.source.span, `A measure's value must be a number or a percentage, but this is ${unitWords[source.unit]}.`);
    if (m.weight) this.expect(m.weight, { level: "const" }, "Percent", "A measure's weight");
    if (m.minimumDenominator) this.expect(m.minimumDenominator, { level: "const" }, "Count", "A minimum denominator");
    if (m.scoring) {
      if (!m.direction) this.report("PCMH0409", m.name.span, `Measure \`${m.name.text}\` is scored, so say whether higher or lower is better.`, { hint: "Add `higher is better` or `lower is better`." });
      const sameAsSource = (e: Expr, what: string) => source.unit && this.expect(e, { level: "const" }, source.unit, what);
      if (m.scoring.kind === "Linear") {
        sameAsSource(m.scoring.from, "The start of the scoring line");
        sameAsSource(m.scoring.to, "The end of the scoring line");
        const lookup = (name: string) => this.constantOf(name);
        const from = fold(m.scoring.from, lookup);
        const to = fold(m.scoring.to, lookup);
        if (m.direction && from?.kind === "number" && to?.kind === "number") {
          const rising = to.value.gt(from.value);
          if (from.value.eq(to.value)) this.report("PCMH0402", m.scoring.span, "The scoring line starts and ends at the same value.", { hint: "Use `points target` for a single threshold." });
          else if (rising !== (m.direction === "higher"))
            this.report("PCMH0402", m.scoring.span, `\`${m.name.text}\` is better ${m.direction}, so its line runs from the value worth 0% to the ${m.direction === "higher" ? "higher" : "lower"} value worth 100%; this one runs the other way.`, {
              hint: `Write \`points linear from ${show(m.scoring.to)} to ${show(m.scoring.from)}\`.`,
            });
        }
      } else if (m.scoring.kind === "Target") sameAsSource(m.scoring.target, "The target");
      else {
        for (const row of m.scoring.rows) {
          sameAsSource(row.threshold, "A benchmark");
          this.expect(row.points, { level: "const" }, "Percent", "The points for a benchmark");
          const n = Number.parseInt(row.label.ordinal, 10);
          if (!(n >= 0 && n <= (row.label.kind === "decile" ? 10 : 100)))
            this.report("PCMH0415", row.span, `There is no ${row.label.ordinal} ${row.label.kind}.`);
        }
        this.checkBenchmarkOrder(m);
      }
    }
    this.checkFraction(m.weight, "A weight");
    // A scored measure stands for its points; an unscored one for its value, in its source's unit.
    const unit = m.scoring ? "Percent" : source.unit && isNumeric(source.unit) ? source.unit : undefined;
    return { ...(unit ? { unit } : {}), levels: new Set<Level>(["unit"]) };
  }

  private checkBenchmarkOrder(m: A.MeasureDecl) {
    if (m.scoring?.kind !== "Benchmarks" || !m.direction) return;
    const lookup = (name: string) => this.constantOf(name);
    let prior: { value: Exact; row: A.BenchmarkRow } | undefined;
    let priorPoints: { value: Exact; row: A.BenchmarkRow } | undefined;
    for (const row of m.scoring.rows) {
      const p = fold(row.points, lookup);
      if (p?.kind === "number") {
        if (priorPoints && p.value.gt(priorPoints.value))
          this.report("PCMH0405", row.span, `Benchmarks are listed best first, but this lower benchmark earns more points (${show(row.points)}) than the row above.`, {
            labels: [{ span: priorPoints.row.span, message: "the better benchmark" }],
            hint: "Points should not rise as the benchmarks get worse.",
          });
        if (p.value.lt(0) || p.value.gt(1)) this.report("PCMH0415", row.points.span, `Points are between 0% and 100%; this is ${p.value.mul(100).toString()}%.`);
        priorPoints = { value: p.value, row };
      }
      const c = fold(row.threshold, lookup);
      if (c?.kind !== "number") continue;
      if (prior) {
        const better = m.direction === "higher" ? prior.value.gte(c.value) : prior.value.lte(c.value);
        if (!better)
          this.report("PCMH0405", row.span, `Benchmarks are listed best first; ${show(row.threshold)} is ${m.direction === "higher" ? "higher" : "lower"} than the row above, so this row is never reached.`, {
            labels: [{ span: prior.row.span, message: "the row above" }],
          });
      }
      prior = { value: c.value, row };
    }
  }

  private typeScorecard(decl: A.Decl & { kind: "Scorecard" }): Typed {
    for (const m of decl.measures) this.resolveSymbol(m.name.text);
    const weights = decl.measures.map((m) => (m.weight ? fold(m.weight, (n) => this.constantOf(n)) : undefined));
    // A weight in the wrong unit (`weight 100`) is reported where it is written; its sum would mislead.
    const allPercent = decl.measures.every((m) => m.weight && this.unitOf.get(m.weight) === "Percent");
    if (decl.measures.length > 0 && allPercent && weights.every((w) => w?.kind === "number")) {
      const total = weights.reduce((s, w) => s.add((w as { value: Exact }).value), new Exact(0));
      if (!total.eq(1)) this.report("PCMH0411", decl.name.span, `The weights of \`${decl.name.text}\` add up to ${total.mul(100).toString()}%, not 100%.`, { hint: "Scores are divided by the total weight of the measures scored, so this still works; but check the contract." });
    }
    for (const m of decl.measures) if (!m.weight) this.report("PCMH0409", m.name.span, `Measure \`${m.name.text}\` in a scorecard needs a weight.`, { hint: "Add `weight 25%`." });
    if (decl.measures.length === 0) this.report("PCMH0409", decl.name.span, `Scorecard \`${decl.name.text}\` has no measures.`);
    return { unit: "Percent", levels: new Set<Level>(["unit"]) };
  }

  // PAYMENT CLAUSES AND OTHER DECLARATIONS

  private checkDecl(decl: A.Decl) {
    if (decl.kind === "Panel" || decl.kind === "Attribution") {
      const keyword = decl.kind === "Panel" ? "panel" : "attribution";
      const span = { start: decl.span.start, end: decl.span.start + keyword.length };
      const prior = this.onlyOne.get(decl.kind);
      if (prior)
        this.report("PCMH0410", span, `The contract has two \`${keyword}\` declarations; it can have only one.`, {
          labels: [{ span: prior, message: "the first one" }],
          hint: "Keep the one the contract means and remove the other.",
        });
      else this.onlyOne.set(decl.kind, span);
    }
    switch (decl.kind) {
      case "Panel": {
        const low = this.expect(decl.low, { level: "const" }, "Count", "A panel bound");
        const high = this.expect(decl.high, { level: "const" }, "Count", "A panel bound");
        const lo = fold(decl.low, (n) => this.constantOf(n));
        const hi = fold(decl.high, (n) => this.constantOf(n));
        if (low && high && lo?.kind === "number" && hi?.kind === "number") {
          if (lo.value.gt(hi.value)) this.report("PCMH0406", decl.span, `A panel can't have at least ${show(decl.low)} and at most ${show(decl.high)} physicians.`, { hint: "Write the smaller number first." });
          else if (lo.value.lt(1)) this.report("PCMH0406", decl.low.span, "A panel needs at least one physician.");
          else if (!lo.value.isInteger() || !hi.value.isInteger()) this.report("PCMH0406", decl.span, "Panel bounds count physicians, so they are whole numbers.");
        }
        this.checkOptions(decl.options, { level: "unit" }, "panel", ["AllocatedBy", "Cite"]);
        break;
      }
      case "Attribution": {
        if (decl.method.kind === "Plurality") {
          if (!(attributionBases as readonly string[]).includes(decl.method.of.text))
            this.report("PCMH0106", decl.method.of.span, `I can't attribute by a plurality of "${decl.method.of.text}".`, { hint: `Write one of: ${attributionBases.join(", ")}.` });
          if (this.expect(decl.method.lookback, { level: "const" }, "Count", "A lookback")) {
            const months = fold(decl.method.lookback, (n) => this.constantOf(n));
            if (months?.kind === "number" && (months.value.lt(1) || !months.value.isInteger()))
              this.report("PCMH0418", decl.method.lookback.span, `A lookback is a whole number of months, at least 1; this is ${months.value.toString()}.`, {
                hint: "Look back over the months whose claims decide attribution, such as `over 24 months`.",
              });
          }
        } else {
          // The roster decides, so nothing about visits applies.
          for (const tb of decl.tieBreakers)
            this.report("PCMH0416", tb.span, "A tie breaker doesn't apply to attribution from a roster: the roster names each member's physician, so there are no ties.", {
              hint: "Remove it, or attribute `by plurality of office visits over 24 months`.",
            });
          if (decl.codes.length > 0)
            this.report("PCMH0416", covering(decl.codes.map((c) => c.span)), "Visit codes don't apply to attribution from a roster: the roster names each member's physician, so no visits are counted.", {
              hint: "Remove `on codes …`, or attribute `by plurality of office visits over 24 months`.",
            });
        }
        this.checkCodes(decl.codes);
        if (decl.method.kind === "Roster") break;
        for (const tb of decl.tieBreakers)
          if (!(tieBreakers as readonly string[]).includes(tb.text)) {
            const guess = didYouMean(tb.text, tieBreakers);
            this.report("PCMH0106", tb.span, `I don't know the tie breaker "${tb.text}".`, { hint: guess ? `Did you mean \`${guess}\`?` : `Tie breakers are: ${tieBreakers.join(", ")}.` });
          }
        break;
      }
      case "ClaimFee": {
        const place: Place = { level: "claim" };
        this.payInAdvance(decl);
        this.requirePay(decl, decl.pay, place, "Money");
        if (decl.codes.length === 0) this.report("PCMH0409", decl.title.span, `"${decl.title.text}" needs the codes it applies to.`);
        this.checkCodes(decl.codes);
        this.checkOptions(decl.options, place, "fee", ["PaidTo", "PaidEvery", "Eligible", "ForPayer", "Rounded", "Cite", "EffectiveFrom"]);
        break;
      }
      case "PmpmFee": {
        const place: Place = { level: "member" };
        this.payInAdvance(decl);
        if (decl.pay && decl.table) this.report("PCMH0410", decl.table.span, `"${decl.title.text}" has both a \`pay\` line and a tier table; keep one.`);
        if (decl.table) {
          const t = this.typeTable(decl.table, place, "fee table", "Rate");
          this.expectLevel(t, place, decl.table.key);
        } else this.requirePay(decl, decl.pay, place, "Rate");
        this.checkOptions(decl.options, place, "fee", ["PaidTo", "PaidEvery", "Eligible", "ForPayer", "Rounded", "Cite", "EffectiveFrom", "MeasuredPer"]);
        break;
      }
      case "Incentive": {
        const place: Place = { level: "unit" };
        if (decl.inAdvance) {
          this.requirePay(decl, decl.pay, { level: "member" }, "Rate");
          if (!decl.earned) this.report("PCMH0409", decl.title.span, `"${decl.title.text}" is paid in advance, so it needs an \`earned\` share to reconcile against.`, { hint: "Add `earned quality` (a percentage of the advance kept)." });
        } else {
          this.requirePay(decl, decl.pay, place, "Money");
          if (decl.earned) this.report("PCMH0416", decl.earned.span, "`earned` reconciles a payment made in advance; this incentive is not paid in advance.", { hint: "Write `pay in advance …`, or drop `earned`." });
        }
        if (decl.earned && this.expect(decl.earned, place, "Percent", "The earned share")) this.checkFraction(decl.earned, "The earned share");
        this.checkOptions(decl.options, place, "incentive", ["MeasuredPer", "PaidTo", "AllocatedBy", "PaidEvery", "SettledEvery", "Eligible", "ForPayer", "Gate", "Rounded", "Cite", "EffectiveFrom"]);
        break;
      }
      case "SharedSavings":
        this.checkSavings(decl);
        break;
      case "Adjustment": {
        const place: Place = { level: "unit" };
        const target = this.clauseTarget(decl.target, decl);
        if (target && (target.kind === "Adjustment" || target.kind === "Withhold"))
          this.report("PCMH0417", decl.target.span, `"${decl.title.text}" adjusts "${target.title.text}", which is itself an adjustment or withhold.`, { hint: "Adjust the payment stream itself." });
        if (decl.by) this.expect(decl.by, place, "Percent", "An adjustment");
        else this.report("PCMH0409", decl.title.span, `"${decl.title.text}" needs \`by\`: the percentage to adjust by.`);
        if (decl.bounds) {
          this.expect(decl.bounds.low, { level: "const" }, "Percent", "A bound");
          this.expect(decl.bounds.high, { level: "const" }, "Percent", "A bound");
          this.checkOrdered(decl.bounds.low, decl.bounds.high, decl.bounds.span, "PCMH0402", "the downside bound", "the upside bound");
          const low = fold(decl.bounds.low, (n) => this.constantOf(n));
          if (low?.kind === "number" && low.value.lt(-1)) this.report("PCMH0415", decl.bounds.low.span, `A downside below -100% would take back more than the payment; this is ${low.value.mul(100).toString()}%.`);
        }
        this.checkOptions(decl.options, place, "adjustment", ["MeasuredPer", "PaidEvery", "SettledEvery", "Gate", "Rounded", "Cite", "EffectiveFrom"]);
        break;
      }
      case "Withhold": {
        const place: Place = { level: "unit" };
        const target = this.clauseTarget(decl.target, decl);
        if (target && (target.kind === "Adjustment" || target.kind === "Withhold"))
          this.report("PCMH0417", decl.target.span, `"${decl.title.text}" withholds from "${target.title.text}", which is itself an adjustment or withhold.`);
        this.expect(decl.percent, { level: "const" }, "Percent", "A withhold");
        this.checkFraction(decl.percent, "A withhold");
        if (decl.returned) {
          this.expect(decl.returned, place, "Percent", "The share returned");
          this.checkFraction(decl.returned, "The share returned");
        } else this.report("PCMH0409", decl.title.span, `"${decl.title.text}" needs \`returned\`: the share of the withhold paid back at settlement.`);
        this.checkOptions(decl.options, place, "withhold", ["MeasuredPer", "SettledEvery", "Gate", "Rounded", "Cite", "EffectiveFrom"]);
        break;
      }
      case "Scorecard":
        this.checkOptions(decl.options, { level: "unit", scorecard: true }, "scorecard", ["MeasuredPer", "Gate", "Cite"]);
        for (const o of decl.options) if (o.kind === "Gate") this.checkGateReadsOwnScore(decl, o.condition);
        break;
      default:
        break;
    }
  }

  /** A scorecard's gate decides its score, so it can't read the score, directly or through values. */
  private checkGateReadsOwnScore(decl: A.Decl & { kind: "Scorecard" }, gate: Expr) {
    const own = decl.name.text;
    if (!own) return;
    const seen = new Set<string>();
    const pathTo = (name: string, depth: number): string[] | undefined => {
      if (name === own) return [name];
      if (seen.has(name) || depth > MAX_DEFINITION_DEPTH) return undefined;
      seen.add(name);
      const d = this.symbols.get(name)?.decl;
      if (!d) return undefined;
      for (const e of definitionExprs(d))
        for (const n of namesIn(e)) {
          const rest = pathTo(n.name, depth + 1);
          if (rest) return [name, ...rest];
        }
      return undefined;
    };
    for (const n of namesIn(gate)) {
      const path = pathTo(n.name, 0);
      if (!path) continue;
      const through = path.length > 1 ? `, through ${path.slice(0, -1).map((p) => `\`${p}\``).join(" → ")}` : "";
      this.report("PCMH0205", n.span, `The gate of \`${own}\` reads \`${own}\` itself${through}: the gate decides the score, so the score can't decide the gate.`, {
        hint: "Gate on the measures instead (`gate bcs at least 50%`, `gate measures scored at least 2`), or put the condition in the clauses that pay by the score.",
      });
      return;
    }
  }

  /** `pay in advance` is an incentive's prospective payment; a fee is paid as it is earned. */
  private payInAdvance(decl: A.Decl & { kind: "ClaimFee" | "PmpmFee" }) {
    if (!decl.advance) return;
    const fee = decl.kind === "ClaimFee" ? (decl.style === "enhancement" ? "fee enhancement" : "visit fee") : decl.style === "monthly" ? "monthly fee" : "care management fee";
    this.report("PCMH0416", decl.advance, `A ${fee} is paid as it is earned, so \`in advance\` doesn't apply to it.`, {
      hint: "Write `pay …`; to pay ahead of performance and reconcile later, use an incentive with `pay in advance` and `earned`.",
    });
  }

  /** A code range written high end first (`99215-99202`) contains no code. */
  private checkCodes(codes: A.CodeRange[]) {
    for (const c of codes) {
      if (c.to === undefined || !c.from || !c.to) continue;
      const numeric = /^\d+$/.test(c.from) && /^\d+$/.test(c.to);
      const backwards = numeric ? BigInt(c.from) > BigInt(c.to) : c.from.length === c.to.length && c.from > c.to;
      if (backwards)
        this.report("PCMH0402", c.span, `The code range ${c.from}-${c.to} runs from high to low, so no code is in it.`, { hint: `Write the lower code first: \`${c.to}-${c.from}\`.` });
    }
  }

  private requirePay(decl: A.PaymentClause, pay: Expr | undefined, place: Place, unit: Unit) {
    if (!pay) {
      const example = unit === "Rate" ? "pay $6.00 pmpm" : unit === "Money" && place.level === "claim" ? "pay 12% of allowed" : "pay $1.50 pmpm times member months";
      this.report("PCMH0409", decl.title.span, `"${decl.title.text}" doesn't say what it pays.`, { hint: `Add a line like \`${example}\`.` });
      return;
    }
    this.expect(pay, place, unit, "This payment");
  }

  private checkSavings(decl: A.Decl & { kind: "SharedSavings" }) {
    const place: Place = { level: "unit", savings: true };
    // Constant terms may still name `savings rate` by mistake; that is a constancy error, not a scope one.
    const constant: Place = { level: "const", savings: true };
    const seen = new Map<string, A.Span>();
    for (const term of decl.terms) {
      // `truncate costs …` and `stop loss …` share a kind; each may be given once.
      const kind = term.kind === "StopLoss" && term.truncate ? "Truncate" : term.kind;
      const prior = seen.get(kind);
      if (prior) this.report("PCMH0410", term.span, "This term is given twice in the clause.", { labels: [{ span: prior, message: "first given here" }], hint: "Keep one of them." });
      else seen.set(kind, term.span);
      switch (term.kind) {
        case "Benchmark": {
          const t = this.type(term.value, place);
          this.expectLevel(t, place, term.value);
          if (t.unit && t.unit !== "Money" && t.unit !== "Rate")
            this.report("PCMH0304", term.value.span, `A benchmark is Money, or a Rate per member-month, but this is ${unitWords[t.unit]}.`);
          break;
        }
        case "Expenditure":
          this.expect(term.value, place, "Money", "Expenditure");
          break;
        case "StopLoss":
          this.expect(term.attachment, constant, "Money", "An attachment point");
          if (term.covering) {
            this.expect(term.covering, constant, "Percent", "Stop-loss coverage");
            this.checkFraction(term.covering, "Coverage");
          }
          break;
        case "MinimumSavingsRate":
        case "MinimumLossRate":
          this.expect(term.value, place, "Percent", "A minimum rate");
          this.checkFraction(term.value, "A minimum rate");
          break;
        case "ShareSavings":
        case "ShareLosses":
          this.expect(term.rate, place, "Percent", "A sharing rate");
          this.checkFraction(term.rate, "A sharing rate");
          break;
        case "CapSavings":
        case "LimitLosses": {
          const t = this.type(term.value, place);
          this.expectLevel(t, place, term.value);
          if (t.unit && t.unit !== "Money")
            this.report("PCMH0304", term.value.span, `A ${term.kind === "CapSavings" ? "cap" : "loss limit"} is an amount, but this is ${unitWords[t.unit]}.`, t.unit === "Percent" ? { hint: "Write `10% of benchmark`." } : {});
          break;
        }
        case "Corridor":
          this.typeTable({ span: term.span, key: { kind: "Builtin", name: "savings rate", span: term.span }, interpolated: false, rows: term.rows }, place, "corridor", "Percent");
          break;
        case "ReduceSavings":
          this.expect(term.by, constant, "Percent", "A reduction");
          this.checkFraction(term.by, "A reduction");
          break;
      }
    }
    if (!seen.has("Benchmark")) this.report("PCMH0409", decl.title.span, `"${decl.title.text}" needs a benchmark.`, { hint: "Add a line like `benchmark baseline grown 3.5% adjusted by risk`." });
    if (!seen.has("ShareSavings") && !seen.has("Corridor")) this.report("PCMH0409", decl.title.span, `"${decl.title.text}" doesn't say what share of savings is paid.`, { hint: "Add a line like `share 50%`." });
    const lossTerms = ["MinimumLossRate", "LimitLosses"].filter((k) => seen.has(k));
    if (lossTerms.length > 0 && !seen.has("ShareLosses"))
      this.report("PCMH0409", seen.get(lossTerms[0]!)!, "This clause limits losses but never shares them.", { hint: "Add `share losses 30%`, or remove the loss terms for a one-sided contract." });
    this.checkOptions(decl.options, place, "shared savings", ["MeasuredPer", "PaidTo", "AllocatedBy", "SettledEvery", "Gate", "Rounded", "Cite", "EffectiveFrom", "Eligible", "ForPayer"]);
  }

  private clauseTarget(target: A.Name, from: A.PaymentClause): A.PaymentClause | undefined {
    if (target.span.start === target.span.end) return undefined; // no title written: a syntax error, already reported
    const clause = this.clauses.get(target.text);
    if (!clause) {
      const guess = didYouMean(target.text, this.clauses.keys());
      this.report("PCMH0203", target.span, `There is no clause called "${target.text}".`, { hint: guess ? `Did you mean "${guess}"?` : "Name the clause by its quoted title." });
      return undefined;
    }
    if (clause === from) {
      this.report("PCMH0203", target.span, `"${from.title.text}" can't apply to itself.`, { hint: "Name the clause whose payments it changes." });
      return undefined;
    }
    return clause;
  }

  private checkOptions(options: A.ClauseOption[], place: Place, what: string, allowed: A.ClauseOption["kind"][]) {
    const seen = new Map<string, A.Span>();
    for (const o of options) {
      if (!allowed.includes(o.kind)) {
        this.report("PCMH0416", o.span, `This term doesn't apply to ${article(what)} ${what}.`);
        continue;
      }
      const prior = seen.get(o.kind);
      if (prior && o.kind !== "Cite") this.report("PCMH0410", o.span, "This term is given twice in the clause.", { labels: [{ span: prior, message: "first given here" }] });
      seen.set(o.kind, o.span);
      switch (o.kind) {
        case "Eligible": {
          const t = this.type(o.condition, { level: "member" });
          if (t.levels.has("claim") && !t.levels.has("unit"))
            this.report("PCMH0204", o.condition.span, "This reads a claim-line value (like `allowed`), but eligibility is decided per member-month: a member-month counts for the clause or it doesn't.", {
              hint:
                place.level === "claim"
                  ? "To pay only some claim lines, put the condition in `pay`: `pay if allowed > $100 then 12% of allowed else $0`."
                  : "An eligibility condition reads member values, such as `member age` or `member risk score`.",
            });
          else this.expectLevel(t, { level: "member" }, o.condition);
          if (t.unit && t.unit !== "Bool") this.report("PCMH0306", o.condition.span, `An eligibility condition must be true or false, but this is ${unitWords[t.unit]}.`);
          break;
        }
        case "Gate": {
          const t = this.type(o.condition, place.level === "unit" ? place : { level: "unit" });
          this.expectLevel(t, { level: "unit" }, o.condition);
          if (t.unit && t.unit !== "Bool") this.report("PCMH0306", o.condition.span, `A gate must be true or false, but this is ${unitWords[t.unit]}.`, { hint: "For example `gate quality at least 50%`." });
          break;
        }
        case "ForPayer":
          for (const p of o.payers)
            if (!this.payers.has(p.text)) {
              const guess = didYouMean(p.text, this.payers);
              this.report("PCMH0207", p.span, `"${p.text}" is not a payer of this contract.`, { hint: guess ? `Did you mean "${guess}"?` : 'Declare it in the header: `payer "Name"`.' });
            }
          break;
        case "PaidTo":
          if (o.name && !this.careTeams.has(o.name.text)) {
            const guess = didYouMean(o.name.text, this.careTeams);
            this.report("PCMH0207", o.name.span, `"${o.name.text}" is not a community care team of this contract.`, { hint: guess ? `Did you mean "${guess}"?` : 'Declare it in the header: `community care team "Name"`.' });
          }
          break;
        case "MeasuredPer":
          if (what !== "fee" && o.level === "member") this.report("PCMH0416", o.span, `${capitalize(article(what))} ${what} is measured for a group (physician, practice, panel, payer or contract), not per member.`);
          if (what === "fee" && o.level !== "member") this.report("PCMH0416", o.span, "A PMPM fee is paid per member-month, so it is measured per member.");
          break;
        case "EffectiveFrom": {
          this.expect(o.from, { level: "const" }, "Date", "An effective date");
          this.checkInTerm(o.from);
          if (o.to) {
            this.expect(o.to, { level: "const" }, "Date", "An end date");
            this.checkInTerm(o.to);
            if (o.from.kind === "Date" && o.to.kind === "Date" && o.to.text < o.from.text) this.report("PCMH0412", o.span, `This clause ends on ${o.to.text}, before it starts on ${o.from.text}.`);
          }
          break;
        }
        default:
          break;
      }
    }
  }

  private checkInTerm(e: Expr) {
    if (e.kind !== "Date" || !this.term) return;
    if (e.text < this.term.from || e.text > this.term.to)
      this.report("PCMH0414", e.span, `${e.text} is outside the contract term, ${this.term.from} to ${this.term.to}.`);
  }

  private checkAmendments() {
    const amendments = this.ast.decls.filter((d): d is A.Decl & { kind: "Amendment" } => d.kind === "Amendment");
    const byTitle = new Map<string, A.Decl & { kind: "Amendment" }>();
    for (const a of amendments) {
      if (byTitle.has(a.title.text)) this.report("PCMH0202", a.title.span, `There are two amendments called "${a.title.text}".`);
      byTitle.set(a.title.text, a);
      if (a.effective) {
        this.expect(a.effective, { level: "const" }, "Date", "An amendment's effective date");
        this.checkInTerm(a.effective);
      }
      const setHere = new Map<string, A.Span>();
      for (const s of a.sets) {
        if (!s.name.text) continue;
        const twice = setHere.get(s.name.text);
        if (twice)
          this.report("PCMH0410", s.span, `"${a.title.text}" sets \`${s.name.text}\` twice.`, { labels: [{ span: twice, message: "set here first" }], hint: "Keep one of them." });
        else setHere.set(s.name.text, s.span);
        const symbol = this.symbols.get(s.name.text);
        if (!symbol) {
          this.unknownName(s.name.text, s.name.span);
          continue;
        }
        this.references.push({ span: s.name.span, symbol });
        if (symbol.kind !== "parameter" && symbol.kind !== "value") {
          this.report("PCMH0304", s.name.span, `An amendment can set a parameter or a value; \`${s.name.text}\` is ${article(symbol.kind)} ${symbol.kind}.`);
          continue;
        }
        const t = this.type(s.value, { level: "const" });
        if (symbol.unit && t.unit && !fits(t.unit, symbol.unit))
          this.report("PCMH0304", s.value.span, `\`${s.name.text}\` is ${unitWords[symbol.unit]}, but this is ${unitWords[t.unit]}.`);
        if (symbol.kind === "parameter" && symbol.decl?.kind === "Parameter" && symbol.decl.range) {
          const v = fold(s.value, () => undefined);
          const lo = fold(symbol.decl.range.low, () => undefined);
          const hi = fold(symbol.decl.range.high, () => undefined);
          if (v?.kind === "number" && lo?.kind === "number" && hi?.kind === "number" && (v.value.lt(lo.value) || v.value.gt(hi.value)))
            this.report("PCMH0401", s.value.span, `${show(s.value)} is outside the range of \`${s.name.text}\`, ${show(symbol.decl.range.low)} to ${show(symbol.decl.range.high)}.`);
        }
      }
      for (const o of a.overrides) {
        if (!amendments.some((b) => b.title.text === o.text)) {
          const guess = didYouMean(o.text, amendments.map((b) => b.title.text));
          this.report("PCMH0203", o.span, `There is no amendment called "${o.text}".`, guess ? { hint: `Did you mean "${guess}"?` } : {});
        }
      }
    }
    // Two amendments that set the same name and are both in force at some date need a precedence.
    const overrides = (a: A.Decl & { kind: "Amendment" }, b: A.Decl & { kind: "Amendment" }, seen = new Set<string>()): boolean => {
      if (seen.has(a.title.text)) return false;
      seen.add(a.title.text);
      return a.overrides.some((o) => o.text === b.title.text || (byTitle.has(o.text) && overrides(byTitle.get(o.text)!, b, seen)));
    };
    for (let i = 0; i < amendments.length; i++)
      for (let j = i + 1; j < amendments.length; j++) {
        const a = amendments[i]!;
        const b = amendments[j]!;
        if (overrides(a, b) && overrides(b, a)) {
          this.report("PCMH0205", a.title.span, `"${a.title.text}" and "${b.title.text}" each override the other.`);
          continue;
        }
        if (overrides(a, b) || overrides(b, a)) continue;
        for (const s of a.sets) {
          const clash = b.sets.find((t) => t.name.text === s.name.text);
          if (clash)
            this.report("PCMH0408", clash.span, `"${a.title.text}" and "${b.title.text}" both set \`${s.name.text}\`, and neither says it overrides the other.`, {
              labels: [{ span: s.span, message: `set here by "${a.title.text}"` }],
              hint: `Add \`overrides "${a.title.text}"\` to the amendment that should win.`,
            });
        }
      }
  }

  // EXPRESSIONS

  private expect(e: Expr, place: Place, unit: Unit, what: string): boolean {
    const t = this.type(e, place);
    this.expectLevel(t, place, e, what);
    if (!t.unit) return false;
    if (!fits(t.unit, unit)) {
      const rate = unit === "Money" && t.unit === "Rate";
      this.report(rate ? "PCMH0303" : "PCMH0304", e.span, `${what} should be ${unitWords[unit]}, but this is ${unitWords[t.unit]}.`, hintFor(t.unit, unit));
      return false;
    }
    return true;
  }

  private expectLevel(t: Typed, place: Place, e: Expr, what?: string) {
    if (t.levels.has("unit") && (t.levels.has("member") || t.levels.has("claim"))) return; // reported where they were mixed
    if (place.level === "const" && t.levels.has("unit")) {
      this.report("PCMH0204", e.span, `${what ?? "This"} must be a constant (a literal or a parameter), but this is known only at settlement.`, {
        hint: "Write the number out, or name a parameter.",
      });
      return;
    }
    if (place.level === "member" && t.levels.has("claim"))
      this.report("PCMH0204", e.span, "This uses a claim-line value (like `allowed`), but here the contract pays per member-month.", { hint: "Claim values belong in a `fee enhancement` or `visit fee`." });
    if ((place.level === "member" || place.level === "claim") && t.levels.has("unit"))
      this.report("PCMH0204", e.span, "This uses a total for a whole practice, panel or contract, but here the contract pays per member-month or per claim.", {
        hint: "Measure it in an incentive or shared savings clause instead.",
      });
    if ((place.level === "unit" || place.level === "const") && (t.levels.has("member") || t.levels.has("claim")))
      this.report("PCMH0204", e.span, `This uses a per-member value, but here the contract looks at ${place.level === "unit" ? "a whole unit (practice, panel, …)" : "constants only"}.`, {
        hint: place.level === "unit" ? "Use a total such as `average risk score`, or move this into a fee clause." : "Parameters and constants can't depend on data.",
      });
  }

  private type(e: Expr, place: Place): Typed {
    const t = this.typeInner(e, place);
    if (t.unit) this.unitOf.set(e, t.unit);
    return t;
  }

  private typeInner(e: Expr, place: Place): Typed {
    const lit = (unit: Unit): Typed => ({ unit, levels: NONE });
    switch (e.kind) {
      case "Money":
        return lit("Money");
      case "Percent":
        return lit("Percent");
      case "Number":
        return lit("Number");
      case "Date":
        return lit("Date");
      case "String":
        return lit("Text");
      case "Bool":
        return lit("Bool");
      case "Missing":
        return { levels: NONE };
      case "Paren":
        return this.type(e.inner, place);
      case "Name":
        return this.typeName(e, place);
      case "Builtin": {
        if (!place.savings) {
          this.report("PCMH0208", e.span, `\`${e.name}\` exists only inside a \`shared savings\` clause.`);
          return { levels: NONE };
        }
        return { unit: savingsQuantities[e.name].unit, levels: new Set<Level>(["unit"]) };
      }
      case "QualityRate":
        if (!e.measure.trim())
          return this.poison("PCMH0105", e.span, "`rate of` needs the ID of a quality measure, but this text is empty.", {
            hint: 'Write the measure\'s ID as it appears in the quality data, like `rate of "BCS"`.',
          });
        return { unit: "Percent", levels: new Set<Level>(["unit"]) };
      case "Unary": {
        const t = this.type(e.operand, place);
        if (!t.unit) return t;
        if (e.op === "not") {
          if (t.unit !== "Bool") return this.poison("PCMH0306", e.operand.span, `\`not\` needs something true or false, but this is ${unitWords[t.unit]}.`);
          return t;
        }
        if (!isNumeric(t.unit)) return this.poison("PCMH0304", e.span, `I can't negate ${unitWords[t.unit]}.`);
        return t;
      }
      case "Binary":
        return this.typeBinary(e, place);
      case "Call": {
        const ts = e.args.map((a) => this.type(a, place));
        const levels = union(ts.map((t) => t.levels), e.span);
        if (e.fn === "clamp" && e.args.length !== 3) return this.poison("PCMH0304", e.span, `\`clamp\` takes three values: clamp(value, low, high); this has ${e.args.length}.`);
        if (e.args.length < (e.fn === "clamp" ? 3 : 1)) return { levels };
        let unit: Unit | undefined;
        for (let i = 0; i < ts.length; i++) {
          const u = ts[i]!.unit;
          if (!u) return { levels };
          if (!isNumeric(u)) return this.poison("PCMH0304", e.args[i]!.span, `\`${e.fn}\` works on numbers and amounts, but this is ${unitWords[u]}.`);
          if (unit && !fits(u, unit)) return this.poison("PCMH0309", e.args[i]!.span, `\`${e.fn}\` compares like with like, but this is ${unitWords[u]} and the first is ${unitWords[unit]}.`);
          unit ??= u;
        }
        if (e.fn === "clamp") {
          const span = covering([e.args[1]!.span, e.args[2]!.span]);
          this.checkOrdered(e.args[1]!, e.args[2]!, span, "PCMH0407", "the floor", "the cap");
        }
        this.unitOf.set(e, unit!);
        return { unit: unit!, levels: this.mergeLevels(levels, e) };
      }
      case "If": {
        const c = this.type(e.condition, place);
        if (c.unit && c.unit !== "Bool") this.report("PCMH0306", e.condition.span, `\`if\` needs something true or false, but this is ${unitWords[c.unit]}.`);
        const a = this.type(e.then, place);
        const b = this.type(e.otherwise, place);
        const levels = this.mergeLevels(union([c.levels, a.levels, b.levels], e.span), e);
        if (a.unit && b.unit && !fits(b.unit, a.unit)) return this.poison("PCMH0309", e.otherwise.span, `The two branches of this \`if\` disagree: ${unitWords[a.unit]} and ${unitWords[b.unit]}.`);
        return { ...(a.unit ? { unit: a.unit } : {}), levels };
      }
      case "PerMemberMonth": {
        const t = this.type(e.operand, place);
        if (!t.unit) return t;
        if (t.unit !== "Money") return this.poison("PCMH0304", e.span, `\`pmpm\` turns an amount into a rate per member-month, but this is ${unitWords[t.unit]}.`);
        return { unit: "Rate", levels: t.levels };
      }
      case "PerThousand": {
        const t = this.type(e.operand, place);
        if (!t.unit) return t;
        if (t.unit !== "Count") return this.poison("PCMH0304", e.span, `\`per ${e.per}\` turns a count of events into a rate per ${e.per} members a year, but this is ${unitWords[t.unit]}.`);
        if (new Exact(e.per).isZero()) return this.poison("PCMH0307", e.span, "`per 0` divides by zero.");
        return { unit: "Number", levels: this.mergeLevels(union([t.levels, new Set<Level>(["unit"])], e.span), e) };
      }
      case "Grown": {
        const t = this.type(e.operand, place);
        const by = this.type(e.by, place);
        const levels = this.mergeLevels(union([t.levels, by.levels], e.span), e);
        if (by.unit && by.unit !== "Percent") return this.poison("PCMH0304", e.by.span, `\`grown\` takes a growth percentage like 3.5%, but this is ${unitWords[by.unit]}.`);
        if (t.unit && !isNumeric(t.unit)) return this.poison("PCMH0304", e.operand.span, `I can't grow ${unitWords[t.unit]}.`);
        return { ...(t.unit ? { unit: t.unit } : {}), levels };
      }
      case "RiskAdjusted": {
        const t = this.type(e.operand, place);
        if (t.unit && t.unit !== "Money" && t.unit !== "Rate") return this.poison("PCMH0304", e.span, `Risk adjustment applies to Money or a Rate, but this is ${unitWords[t.unit]}.`);
        return { ...(t.unit ? { unit: t.unit } : {}), levels: this.mergeLevels(union([t.levels, new Set<Level>(["unit"])], e.span), e) };
      }
    }
  }

  private typeBinary(e: Expr & { kind: "Binary" }, place: Place): Typed {
    const a = this.type(e.left, place);
    const b = this.type(e.right, place);
    const levels = this.mergeLevels(union([a.levels, b.levels], e.span), e);
    if (e.op === "and" || e.op === "or") {
      for (const [t, side] of [[a, e.left], [b, e.right]] as const)
        if (t.unit && t.unit !== "Bool") return this.poison("PCMH0306", side.span, `\`${e.op}\` joins conditions, but this is ${unitWords[t.unit]}.`);
      return { unit: "Bool", levels };
    }
    if (!a.unit || !b.unit) return { levels };
    let result;
    switch (e.op) {
      case "+":
      case "-":
      case "capped at":
      case "floored at":
        result = addUnits(e.op, a.unit, b.unit);
        break;
      case "*":
      case "times":
      case "of":
        result = multiplyUnits(e.op, a.unit, b.unit);
        break;
      case "/": {
        const zero = fold(e.right, (n) => this.constantOf(n));
        if (zero?.kind === "number" && zero.value.isZero()) return this.poison("PCMH0307", e.right.span, "This divides by zero.");
        result = divideUnits(a.unit, b.unit);
        break;
      }
      default:
        result = compareUnits(e.op, a.unit, b.unit);
    }
    if (!result.ok) return this.poison(result.code, e.span, result.message, result.hint ? { hint: result.hint } : {});
    if (e.op === "capped at" || e.op === "floored at") this.checkCapFloor(e);
    return { unit: result.unit, levels };
  }

  /** `x floored at F capped at C` (or the reverse) with a cap below the floor can only pay the cap. */
  private checkCapFloor(e: Expr & { kind: "Binary" }) {
    const inner = e.left.kind === "Binary" && (e.left.op === "capped at" || e.left.op === "floored at") && e.left.op !== e.op ? e.left : undefined;
    if (!inner) return;
    const [floor, cap] = e.op === "capped at" ? [inner.right, e.right] : [e.right, inner.right];
    this.checkOrdered(floor, cap, e.span, "PCMH0407", "the floor", "the cap");
  }

  private checkOrdered(low: Expr, high: Expr, span: A.Span, code: "PCMH0402" | "PCMH0407", lowWord: string, highWord: string) {
    const lookup = (n: string) => this.constantOf(n);
    const lo = fold(low, lookup);
    const hi = fold(high, lookup);
    if (lo?.kind === "number" && hi?.kind === "number" && lo.value.gt(hi.value))
      this.report(code, span, `${highWord[0]!.toUpperCase() + highWord.slice(1)} (${show(high)}) is below ${lowWord} (${show(low)}).`, { hint: `Swap them, or check the contract text.` });
  }

  private checkFraction(e: Expr | undefined, what: string) {
    if (!e) return;
    const c = fold(e, (n) => this.constantOf(n));
    if (c?.kind === "number" && this.unitOf.get(e) === "Percent" && (c.value.lt(0) || c.value.gt(1)))
      this.report("PCMH0415", e.span, `${what} must lie between 0% and 100%; this is ${c.value.mul(100).toString()}%.`);
  }

  private mergeLevels(levels: ReadonlySet<Level>, e: Expr): ReadonlySet<Level> {
    if (levels.has("unit") && (levels.has("member") || levels.has("claim")))
      this.report("PCMH0204", e.span, "This mixes a per-member value with a total for a whole unit (practice, panel, …).", { hint: "Compute per-member values in a fee, and totals in an incentive or shared savings clause." });
    return levels;
  }

  private typeName(e: Expr & { kind: "Name" }, place: Place): Typed {
    const name = e.words.join(" ");
    const builtin = builtins.get(name);
    if (builtin) {
      this.references.push({ span: e.span, symbol: { kind: "builtin", name, unit: builtin.unit, level: builtin.level, doc: builtin.doc } });
      if (name === "measures scored" && !place.scorecard) return this.poison("PCMH0208", e.span, "`measures scored` exists only in a scorecard's gate.");
      return { unit: builtin.unit, levels: builtin.level === "any" ? NONE : new Set<Level>([builtin.level]) };
    }
    const symbol = this.symbols.get(name);
    if (!symbol) {
      this.unknownName(name, e.span);
      return { levels: NONE };
    }
    this.references.push({ span: e.span, symbol });
    this.resolveSymbol(name, e.span);
    if (!symbol.unit) return { levels: NONE };
    return { unit: symbol.unit, levels: symbol.level === "any" ? NONE : new Set<Level>([symbol.level]) };
  }

  private unknownName(name: string, span: A.Span) {
    const guess = this.suggestionsMade++ < MAX_SUGGESTIONS ? didYouMean(name, [...this.symbols.keys(), ...builtins.keys()]) : undefined;
    this.report("PCMH0201", span, `I can't find a definition of \`${name}\`.`, {
      hint: guess ? `Did you mean \`${guess}\`?` : "Declare it with `parameter` or `value`, or use a built-in quantity such as `member months`.",
    });
  }

  private poison(code: DiagnosticCode, span: A.Span, message: string, extras: { hint?: string } = {}): Typed {
    this.report(code, span, message, extras);
    return { levels: NONE };
  }
}

// HELPERS

/** "an" before a vowel sound, "a" otherwise: an incentive, a fee. */
/** The span from the first to the last of `spans`, leaving out empty ones (what error recovery leaves); the first when all are empty. */
function covering(spans: readonly A.Span[]): A.Span {
  const real = spans.filter((s) => s.end > s.start);
  if (real.length === 0) return spans[0]!;
  return { start: Math.min(...real.map((s) => s.start)), end: Math.max(...real.map((s) => s.end)) };
}

function article(word: string): "a" | "an" {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function union(sets: ReadonlySet<Level>[], _span: A.Span): ReadonlySet<Level> {
  const out = new Set<Level>();
  for (const s of sets) s.forEach((l) => out.add(l));
  return out;
}

function mergeLevel(levels: ReadonlySet<Level>): Level {
  if (levels.has("unit")) return "unit";
  if (levels.has("claim")) return "claim";
  if (levels.has("member")) return "member";
  return "any";
}

/** Every name an expression reads, with where it is read. */
function namesIn(e: Expr): { name: string; span: A.Span }[] {
  const out: { name: string; span: A.Span }[] = [];
  const walk = (x: Expr, depth: number) => {
    if (depth > MAX_DEFINITION_DEPTH) return;
    switch (x.kind) {
      case "Name":
        out.push({ name: x.words.join(" "), span: x.span });
        break;
      case "Paren":
        walk(x.inner, depth + 1);
        break;
      case "Unary":
      case "PerMemberMonth":
      case "PerThousand":
      case "RiskAdjusted":
        walk(x.operand, depth + 1);
        break;
      case "Grown":
        walk(x.operand, depth + 1);
        walk(x.by, depth + 1);
        break;
      case "Binary":
        walk(x.left, depth + 1);
        walk(x.right, depth + 1);
        break;
      case "Call":
        for (const a of x.args) walk(a, depth + 1);
        break;
      case "If":
        walk(x.condition, depth + 1);
        walk(x.then, depth + 1);
        walk(x.otherwise, depth + 1);
        break;
      default:
        break;
    }
  };
  walk(e, 0);
  return out;
}

/** The expressions a named definition computes from. */
function definitionExprs(d: A.Decl | A.MeasureDecl): Expr[] {
  switch (d.kind) {
    case "Value":
      return [...(d.value ? [d.value] : []), ...d.cases.flatMap((c) => [...(c.condition ? [c.condition] : []), c.result])];
    case "Table":
      return [d.table.key, ...d.table.rows.flatMap((r) => [...rowBounds(r.condition), r.result, ...(r.resultHigh ? [r.resultHigh] : [])])];
    case "Measure":
      return [d.source];
    case "Scorecard":
      return [...d.measures.map((m) => m.source), ...d.options.flatMap((o) => (o.kind === "Gate" ? [o.condition] : []))];
    default:
      return [];
  }
}

function rowBounds(c: A.RowCondition): Expr[] {
  switch (c.kind) {
    case "Below":
    case "Above":
    case "AtLeast":
      return [c.bound];
    case "Between":
      return [c.low, c.high];
    case "OneOf":
      return c.values;
    case "Otherwise":
      return [];
  }
}

function isLiteralish(e: Expr): boolean {
  switch (e.kind) {
    case "Money":
    case "Percent":
    case "Number":
    case "Date":
    case "String":
    case "Bool":
    case "Missing":
      return true;
    case "Unary":
      return e.op === "-" && isLiteralish(e.operand);
    case "PerMemberMonth":
    case "Paren":
      return isLiteralish(e.kind === "Paren" ? e.inner : e.operand);
    default:
      return false;
  }
}

function hintFor(actual: Unit, expected: Unit): { hint?: string } {
  if (expected === "Money" && actual === "Rate") return { hint: "Multiply the rate by `member months`: `$2.50 pmpm times member months`." };
  if (expected === "Rate" && actual === "Money") return { hint: "Write the amount per member per month: `$6.00 pmpm`." };
  if (expected === "Percent" && isDimensionless(actual)) return { hint: "Write percentages with a % sign: 70%, not 0.7." };
  return {};
}

