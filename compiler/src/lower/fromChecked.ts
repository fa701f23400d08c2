// LOWER: CHECKED CONTRACT -> IR
//
// Only for contracts that checked without errors. Resolves names through the checker's
// references, folds parameter values to exact decimals, fills in the contract's defaults (fees
// paid monthly, settled annually, half-even to cents, attribution from the roster, measured per
// practice), and keeps source text where a settlement message will need it.

import type * as A from "../../../grammar/src";
import { isPaymentClause, print, printExpr } from "../../../grammar/src";
import type { AttributionSpec, ClauseSpec, MeasureSpec, ParameterSpec, RowSpec, ScorecardSpec, TableSpec, ValueSpec } from "../../../runtime/src/program";
import { RUNTIME_ABI } from "../../../runtime/src/program";
import type { CheckedContract, ContractSymbol } from "../check/checked";
import { Exact, fold } from "../check/constant";
import { sha256 } from "../hash";
import type { IrExpr, ProgramIr } from "./ir";

export function lowerContract(checked: CheckedContract, source: string): ProgramIr {
  return new Lowering(checked, source).program();
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "contract";
}

function exactText(c: ReturnType<typeof fold>): string {
  if (!c) return "0";
  if (c.kind === "number") return c.value.toFixed();
  if (c.kind === "bool") return String(c.value);
  return c.value;
}

class Lowering {
  private readonly refs = new Map<string, ContractSymbol>();

  constructor(
    private readonly checked: CheckedContract,
    private readonly source: string,
  ) {
    for (const r of checked.references) this.refs.set(`${r.span.start}:${r.span.end}`, r.symbol);
  }

  program(): ProgramIr {
    const ast = this.checked.ast;
    const header = (kind: A.HeaderItem["kind"]) => ast.header.find((h) => h.kind === kind);
    const term = header("Term") as (A.HeaderItem & { kind: "Term" }) | undefined;
    const schedule = header("Schedule") as (A.HeaderItem & { kind: "Schedule" }) | undefined;
    const rounding = header("Rounding") as (A.HeaderItem & { kind: "Rounding" }) | undefined;
    const decls = ast.decls;
    const attribution = decls.find((d): d is A.Decl & { kind: "Attribution" } => d.kind === "Attribution");
    const panel = decls.find((d): d is A.Decl & { kind: "Panel" } => d.kind === "Panel");
    const title = ast.title?.text ?? "";
    return {
      meta: { contractId: slug(title), title, version: ast.version?.text ?? "", sourceHash: sha256(print(ast, this.source)), runtimeAbi: RUNTIME_ABI },
      header: {
        term: { from: term?.from.kind === "Date" ? term.from.text : "", to: term?.to.kind === "Date" ? term.to.text : "" },
        feesPaid: schedule?.feesPaid ?? "monthly",
        settled: schedule?.settled ?? "annually",
        rounding: { mode: rounding?.mode ?? "half-even", places: rounding?.to === "dollars" ? 0 : 2 },
        payers: ast.header.filter((h): h is A.HeaderItem & { kind: "Payer" } => h.kind === "Payer").map((h) => h.name.text),
        careTeams: ast.header.filter((h): h is A.HeaderItem & { kind: "CommunityCareTeam" } => h.kind === "CommunityCareTeam").map((h) => h.name.text),
      },
      parameters: decls.filter((d): d is A.Decl & { kind: "Parameter" } => d.kind === "Parameter").map((d) => this.parameter(d)),
      amendments: decls
        .filter((d): d is A.Decl & { kind: "Amendment" } => d.kind === "Amendment")
        .map((a) => ({ title: a.title.text, ...(a.effective?.kind === "Date" ? { effective: a.effective.text } : {}), sets: a.sets.map((s) => ({ name: s.name.text, value: exactText(fold(s.value, () => undefined)) })) })),
      values: decls.filter((d): d is A.Decl & { kind: "Value" } => d.kind === "Value").map((d) => this.value(d)),
      tables: decls.filter((d): d is A.Decl & { kind: "Table" } => d.kind === "Table").map((d) => this.table(d.name.text, d.table)),
      scorecards: decls.filter((d): d is A.Decl & { kind: "Scorecard" } => d.kind === "Scorecard").map((d) => this.scorecard(d)),
      attribution: this.attribution(attribution),
      ...(panel ? { panel: { low: Number(exactText(fold(panel.low, (n) => this.constant(n)))), high: Number(exactText(fold(panel.high, (n) => this.constant(n)))), allocation: panel.options.find((o) => o.kind === "AllocatedBy")?.basis ?? "member months" } } : {}),
      clauses: decls.filter(isPaymentClause).map((c) => this.clause(c)),
    };
  }

  private constant(name: string): A.Expr | undefined {
    const s = this.checked.symbols.get(name);
    return s?.decl?.kind === "Parameter" ? s.decl.value : undefined;
  }

  private text(e: A.Expr): string {
    return this.source.slice(e.span.start, e.span.end) || printExpr(e);
  }

  private parameter(d: A.Decl & { kind: "Parameter" }): ParameterSpec {
    const symbol = this.checked.symbols.get(d.name.text);
    const value = (e: A.Expr | undefined) => exactText(e ? fold(e, () => undefined) : undefined);
    return {
      name: d.name.text,
      unit: symbol?.unit ?? "Number",
      ...(d.value ? { value: value(d.value) } : {}),
      ...(d.range ? { range: [value(d.range.low), value(d.range.high)] as const } : {}),
      effective: d.effective.map((e) => ({ date: e.date.kind === "Date" ? e.date.text : "", value: value(e.value) })),
      ...(d.cite ? { cite: d.cite.text } : {}),
    };
  }

  private value(d: A.Decl & { kind: "Value" }): ValueSpec<IrExpr> {
    return {
      name: d.name.text,
      ...(d.value ? { expr: this.expr(d.value) } : {}),
      text: d.value ? this.text(d.value) : d.name.text,
      policy: d.hitPolicy ?? "unique",
      cases: d.cases.map((c) => ({ text: c.condition ? `when ${this.text(c.condition)}` : "otherwise", ...(c.condition ? { when: this.expr(c.condition) } : {}), then: this.expr(c.result) })),
    };
  }

  private table(name: string, t: A.TierTable): TableSpec<IrExpr> {
    return { name, key: this.expr(t.key), keyText: this.text(t.key), policy: t.hitPolicy ?? "unique", interpolated: t.interpolated, rows: t.rows.map((r) => this.row(r)) };
  }

  /** A fee's table keyed by one numeric member built-in whose rows read nothing per member, marked so. */
  private bandTable(t: TableSpec<IrExpr>): TableSpec<IrExpr> {
    const key = t.key;
    if (t.interpolated || key.k !== "builtin" || (key.name !== "member risk score" && key.name !== "member age")) return t;
    const constant = t.rows.every((r) => this.readsOf([r.when, r.result, ...(r.resultHigh ? [r.resultHigh] : [])], false)?.length === 0);
    return constant ? { ...t, bandKey: key.name } : t;
  }

  private row(r: A.TableRow): RowSpec<IrExpr> {
    const c = r.condition;
    const text = this.source.slice(r.span.start, r.result.span.start).replace(/\s*(->|→)\s*$/, "").trim();
    const when: RowSpec<IrExpr>["when"] =
      c.kind === "Below"
        ? { kind: "below", bound: this.expr(c.bound) }
        : c.kind === "Above"
          ? { kind: "above", bound: this.expr(c.bound) }
          : c.kind === "AtLeast"
            ? { kind: "at least", bound: this.expr(c.bound) }
            : c.kind === "Between"
              ? { kind: "between", low: this.expr(c.low), high: this.expr(c.high), inclusiveHigh: c.inclusiveHigh }
              : c.kind === "OneOf"
                ? { kind: "one of", values: c.values.map((v) => this.expr(v)) }
                : { kind: "otherwise" };
    return { text, when, result: this.expr(r.result), ...(r.resultHigh ? { resultHigh: this.expr(r.resultHigh) } : {}) };
  }

  private scorecard(d: A.Decl & { kind: "Scorecard" }): ScorecardSpec<IrExpr> {
    const level = d.options.find((o) => o.kind === "MeasuredPer")?.level;
    const gate = d.options.find((o) => o.kind === "Gate")?.condition;
    return { name: d.name.text, title: d.title?.text ?? d.name.text, ...(level ? { level } : {}), ...(gate ? { gate: this.expr(gate) } : {}), measures: d.measures.map((m) => this.measure(m)) };
  }

  private measure(m: A.MeasureDecl): MeasureSpec<IrExpr> {
    const s = m.scoring;
    const source = m.source.kind === "Paren" ? m.source.inner : m.source;
    return {
      name: m.name.text,
      title: m.title?.text ?? m.name.text,
      source: this.expr(m.source),
      sourceText: this.text(m.source),
      ...(source.kind === "QualityRate" ? { denominatorOf: source.measure } : {}),
      ...(m.direction ? { direction: m.direction } : {}),
      ...(m.weight ? { weight: this.expr(m.weight) } : {}),
      ...(m.minimumDenominator ? { minimumDenominator: this.expr(m.minimumDenominator) } : {}),
      ...(s
        ? {
            scoring:
              s.kind === "Linear"
                ? { kind: "linear" as const, from: this.expr(s.from), to: this.expr(s.to) }
                : s.kind === "Target"
                  ? { kind: "target" as const, target: this.expr(s.target) }
                  : { kind: "benchmarks" as const, rows: s.rows.map((r) => ({ label: `${r.label.ordinal} ${r.label.kind}`, threshold: this.expr(r.threshold), points: this.expr(r.points) })) },
          }
        : {}),
    };
  }

  private attribution(d: (A.Decl & { kind: "Attribution" }) | undefined): AttributionSpec {
    if (!d || d.method.kind === "Roster") return { method: "roster", tieBreakers: [], designationFirst: d?.designationFirst ?? false, codes: d ? d.codes.map(code) : [] };
    return {
      method: "plurality",
      basis: d.method.of.text as "office visits",
      lookbackMonths: Number(exactText(fold(d.method.lookback, () => undefined))),
      tieBreakers: d.tieBreakers.map((t) => t.text),
      designationFirst: d.designationFirst,
      codes: d.codes.map(code),
    };
  }

  private clause(c: A.PaymentClause): ClauseSpec<IrExpr> {
    const opt = <K extends A.ClauseOption["kind"]>(kind: K) => c.options.find((o): o is A.ClauseOption & { kind: K } => o.kind === kind);
    const measured = opt("MeasuredPer");
    const paidTo = opt("PaidTo");
    const allocated = opt("AllocatedBy");
    const paidEvery = opt("PaidEvery");
    const settledEvery = opt("SettledEvery");
    const eligible = opt("Eligible");
    const payers = opt("ForPayer");
    const gate = opt("Gate");
    const rounded = opt("Rounded");
    const cite = opt("Cite");
    const effective = opt("EffectiveFrom");
    const common = {
      title: c.title.text,
      ...(cite ? { cite: cite.citation.text } : {}),
      ...(measured ? { measuredPer: measured.level } : {}),
      ...(paidTo ? { paidTo: { recipient: paidTo.recipient, ...(paidTo.name ? { team: paidTo.name.text } : {}) } } : {}),
      ...(allocated ? { allocatedBy: allocated.basis } : {}),
      ...(paidEvery ? { paidEvery: paidEvery.frequency } : {}),
      ...(settledEvery ? { settledEvery: settledEvery.frequency } : {}),
      ...(eligible ? { eligible: this.expr(eligible.condition), ...this.reads("eligibleReads", [eligible.condition], undefined, false) } : {}),
      ...(payers ? { payers: payers.payers.map((p) => p.text) } : {}),
      ...(gate ? { gate: this.expr(gate.condition) } : {}),
      ...(rounded ? { rounding: { mode: rounded.mode, places: rounded.to === "dollars" ? 0 : 2 } } : {}),
      ...(effective?.from.kind === "Date" ? { effective: { from: effective.from.text, ...(effective.to?.kind === "Date" ? { to: effective.to.text } : {}) } } : {}),
    };
    switch (c.kind) {
      case "ClaimFee":
        return { ...common, ...this.reads("memberReads", [c.pay!], undefined, true), ...this.perAllowed(c.pay!), kind: "claim fee", codes: c.codes.map(code), pay: this.expr(c.pay!), payText: this.text(c.pay!) };
      case "PmpmFee":
        return { ...common, ...this.reads("memberReads", c.pay ? [c.pay] : [], c.table, false), kind: "monthly fee", ...(c.pay ? { pay: this.expr(c.pay) } : {}), payText: c.pay ? this.text(c.pay) : `by ${this.text(c.table!.key)}`, ...(c.table ? { table: this.bandTable(this.table(c.title.text, c.table)) } : {}) };
      case "Incentive":
        return { ...common, ...(c.inAdvance ? this.reads("memberReads", c.pay ? [c.pay] : [], undefined, false) : {}), kind: "incentive", pay: this.expr(c.pay!), payText: this.text(c.pay!), inAdvance: c.inAdvance, ...(c.earned ? { earned: this.expr(c.earned), earnedText: this.text(c.earned) } : {}) };
      case "SharedSavings": {
        const term = <K extends A.SavingsTerm["kind"]>(kind: K) => c.terms.find((t): t is A.SavingsTerm & { kind: K } => t.kind === kind);
        const benchmark = term("Benchmark")!;
        const share = term("ShareSavings");
        const lossShare = term("ShareLosses");
        const corridor = term("Corridor");
        const cap = term("CapSavings");
        const limit = term("LimitLosses");
        const msr = term("MinimumSavingsRate");
        const mlr = term("MinimumLossRate");
        const expenditure = term("Expenditure");
        return {
          ...common,
          kind: "shared savings",
          benchmark: this.expr(benchmark.value),
          benchmarkText: this.text(benchmark.value),
          benchmarkIsRate: this.checked.unitOf.get(benchmark.value) === "Rate",
          ...(expenditure ? { expenditure: this.expr(expenditure.value) } : {}),
          stopLoss: c.terms.filter((t): t is A.SavingsTerm & { kind: "StopLoss" } => t.kind === "StopLoss").map((t) => ({ attachment: this.expr(t.attachment), ...(t.covering ? { covering: this.expr(t.covering) } : {}), truncate: t.truncate })),
          ...(msr ? { minimumSavingsRate: this.expr(msr.value) } : {}),
          ...(mlr ? { minimumLossRate: this.expr(mlr.value) } : {}),
          ...(share ? { share: this.expr(share.rate) } : {}),
          shareAboveMinimum: share?.basis === "above minimum",
          ...(lossShare ? { lossShare: this.expr(lossShare.rate) } : {}),
          lossAboveMinimum: lossShare?.basis === "above minimum",
          ...(cap ? { cap: this.expr(cap.value) } : {}),
          ...(limit ? { limit: this.expr(limit.value) } : {}),
          ...(corridor ? { corridor: corridor.rows.map((r) => this.row(r)) } : {}),
          reductions: c.terms.filter((t): t is A.SavingsTerm & { kind: "ReduceSavings" } => t.kind === "ReduceSavings").map((t) => ({ by: this.expr(t.by), ...(t.reason ? { reason: t.reason.text } : {}) })),
        };
      }
      case "Adjustment":
        return { ...common, kind: "adjustment", target: c.target.text, by: this.expr(c.by!), byText: this.text(c.by!), ...(c.bounds ? { bounds: [this.expr(c.bounds.low), this.expr(c.bounds.high)] as const } : {}) };
      case "Withhold":
        return { ...common, kind: "withhold", target: c.target.text, percent: this.expr(c.percent), returned: this.expr(c.returned!), returnedText: this.text(c.returned!) };
    }
  }

  /**
   * The member-level built-ins an amount reads, following values and tables; undefined when it
   * reads something that varies otherwise (claims, unit totals), so no memo is safe.
   */
  private reads<K extends "memberReads" | "eligibleReads">(key: K, exprs: A.Expr[], table: A.TierTable | undefined, claim: boolean): { [P in K]?: string[] } {
    const reads = this.readsOf([...exprs.map((e) => this.expr(e)), ...(table ? [this.table("", table)] : [])], claim);
    return (reads ? { [key]: reads } : {}) as { [P in K]?: string[] };
  }

  /**
   * A claim fee of the form `FACTOR of allowed` (or `allowed times FACTOR`) whose factor reads
   * nothing per member or claim: the engine then sums allowed amounts and multiplies once.
   */
  private perAllowed(pay: A.Expr): { perAllowed?: IrExpr } {
    const ir = this.expr(pay);
    if (ir.k !== "mul") return {};
    const isAllowed = (x: IrExpr) => x.k === "builtin" && x.name === "allowed";
    const factor = isAllowed(ir.b) ? ir.a : isAllowed(ir.a) ? ir.b : undefined;
    return factor && this.readsOf([factor], false)?.length === 0 ? { perAllowed: factor } : {};
  }

  private readsOf(irs: readonly unknown[], claim: boolean): string[] | undefined {
    const memoable = new Set(["member risk score", "member age", "member lob", "practice risk group", "practice recognition level", "member months", ...(claim ? ["allowed", "claim units"] : [])]);
    const reads = new Set<string>();
    const seen = new Set<string>();
    let safe = true;
    const visitIr = (x: unknown): void => {
      if (Array.isArray(x)) return x.forEach(visitIr);
      if (!x || typeof x !== "object") return;
      const o = x as Record<string, unknown>;
      if (o.k === "builtin") {
        if (memoable.has(o.name as string)) reads.add(o.name as string);
        else safe = false;
      } else if (o.k === "value" || o.k === "table") {
        const name = o.name as string;
        if (!seen.has(name)) {
          seen.add(name);
          const decl = this.checked.symbols.get(name)?.decl;
          if (decl?.kind === "Value") visitIr(this.value(decl));
          else if (decl?.kind === "Table") visitIr(this.table(name, decl.table));
          else safe = false;
        }
      } else if (["quality", "scorecard", "measure", "savings", "risk", "perN"].includes(o.k as string)) safe = false;
      Object.values(o).forEach(visitIr);
    };
    irs.forEach(visitIr);
    return safe ? [...reads].sort() : undefined;
  }

  // EXPRESSIONS

  expr(e: A.Expr): IrExpr {
    switch (e.kind) {
      case "Money":
      case "Number":
        return { k: "num", v: new Exact(e.text).toFixed() };
      case "Percent":
        return { k: "num", v: new Exact(e.text).div(100).toFixed() };
      case "Date":
        return { k: "text", v: e.text };
      case "String":
        return { k: "text", v: e.value };
      case "Bool":
        return { k: "bool", v: e.value };
      case "Paren":
        return this.expr(e.inner);
      case "PerMemberMonth":
        return this.expr(e.operand);
      case "Name": {
        const symbol = this.refs.get(`${e.span.start}:${e.span.end}`);
        const name = e.words.join(" ");
        switch (symbol?.kind) {
          case "parameter":
            return { k: "param", name };
          case "value":
            return { k: "value", name };
          case "table":
            return { k: "table", name };
          case "scorecard":
            return { k: "scorecard", name };
          case "measure":
            return { k: "measure", name };
          default:
            return { k: "builtin", name };
        }
      }
      case "Builtin":
        return { k: "savings", name: e.name };
      case "QualityRate":
        return { k: "quality", measure: e.measure };
      case "Unary":
        return { k: e.op === "-" ? "neg" : "not", x: this.expr(e.operand) };
      case "Binary": {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        const ops: Record<A.BinaryOp, IrExpr["k"]> = {
          "+": "add",
          "-": "sub",
          "*": "mul",
          times: "mul",
          of: "mul",
          "/": "div",
          "capped at": "min2",
          "floored at": "max2",
          "=": "eq",
          "!=": "ne",
          "<": "lt",
          "<=": "le",
          ">": "gt",
          ">=": "ge",
          "at least": "ge",
          "at most": "le",
          and: "and",
          or: "or",
        };
        const k = ops[e.op];
        if (k === "div") return { k, a, b, text: this.text(e) };
        return { k, a, b } as IrExpr;
      }
      case "Call":
        if (e.fn === "clamp") return { k: "clamp", x: this.expr(e.args[0]!), lo: this.expr(e.args[1]!), hi: this.expr(e.args[2]!) };
        return { k: e.fn, args: e.args.map((a) => this.expr(a)) };
      case "If":
        return { k: "if", c: this.expr(e.condition), t: this.expr(e.then), e: this.expr(e.otherwise) };
      case "Grown":
        return { k: "grown", x: this.expr(e.operand), p: this.expr(e.by) };
      case "RiskAdjusted":
        return { k: "risk", x: this.expr(e.operand), text: this.text(e) };
      case "PerThousand":
        return { k: "perN", x: this.expr(e.operand), n: e.per, text: this.text(e) };
      case "Missing":
        return { k: "num", v: "0" };
    }
  }
}

function code(c: A.CodeRange): { from: string; to?: string } {
  return { from: c.from, ...(c.to !== undefined ? { to: c.to } : {}) };
}
