// ENGINE: SETTLE ONE PERIOD
//
// The contract semantics, once, for every way of evaluating expressions. Given a Program and one
// settlement period's data it attributes members, forms the units each clause is measured per,
// evaluates fees per claim line and per member-month, settles incentives, shared savings,
// withholds and adjustments per unit, allocates pooled amounts to the cent, and returns a
// statement whose lines each carry a trace. Pure and deterministic: no clock, no randomness, no
// global state; iteration orders are fixed by sorting. Any inconsistency throws a SettlementError
// and no statement is returned.

import { SettlementError } from "./errors.js";
import type { ClaimRow, MemberMonthRow, PhysicianRow, PracticeRow, SettlementInput } from "./input.js";
import { allocate, Dec, formatAmount, ONE, parseDecimal, plain, roundTo, ZERO } from "./money.js";
import type { ClauseSpec, Env, Evaluator, Level, MeasureSpec, ParameterSpec, Program, RowSpec, ScorecardSpec, TableSpec, Value } from "./program.js";
import { RUNTIME_ABI } from "./program.js";
import type { LineKind, Statement, StatementLine, Trace, TraceStep } from "./statement.js";

// SHAPES

interface MemberMonth {
  readonly row: MemberMonthRow;
  readonly physician: PhysicianRow;
  readonly practice: PracticeRow;
  readonly riskScore: Dec;
}

interface ClaimLine {
  readonly row: ClaimRow;
  readonly allowed: Dec;
  readonly month: string;
  /** The member-month the claim falls in, when the member is attributed that month. */
  readonly memberMonth?: MemberMonth;
}

interface Unit {
  readonly level: Level;
  readonly id: string;
  readonly label: string;
  readonly memberMonths: MemberMonth[];
  readonly claims: ClaimLine[];
  readonly physicians: Set<string>;
  readonly practices: Set<string>;
  readonly cache: Map<string, Value>;
}

type Recipient = string;

interface PendingLine {
  clause: string;
  kind: LineKind;
  recipient: Recipient;
  payer?: string;
  period: string;
  amount: Dec;
  rounding: { mode: Parameters<typeof roundTo>[2]; places: number };
  trace: { rule: string; cite?: string; unit?: string; steps: TraceStep[] };
  /** Aggregated fee lines: subtotal per distinct rate or result. */
  groups?: Map<string, { count: number; each: Dec; note: string }>;
}

const levelOrder: Level[] = ["member", "physician", "practice", "panel", "contract"];

function fail(code: SettlementError["code"], message: string, where?: SettlementError["where"]): never {
  throw new SettlementError(code, message, where);
}

function num(v: Value): Dec {
  return v as Dec;
}

const money = (x: Dec) => formatAmount(x, 2);
const pct = (x: Dec) => `${plain(x.mul(100).toDecimalPlaces(4))}%`;

// PERIODS

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

const frequencyMonths = { monthly: 1, quarterly: 3, annually: 12 } as const;

/** The label of the fee or settlement period containing `month`, aligned to the term start. */
function periodLabel(month: string, frequency: keyof typeof frequencyMonths, termStart: string): string {
  const start = monthIndex(termStart.slice(0, 7));
  const size = frequencyMonths[frequency];
  const k = Math.floor((monthIndex(month) - start) / size);
  const first = start + k * size;
  if (size === 1) return monthOf(first);
  if (size === 12) return termStart.slice(5, 7) === "01" ? monthOf(first).slice(0, 4) : `${monthOf(first)} to ${monthOf(first + 11)}`;
  return termStart.slice(5, 7) === "01" || (monthIndex(termStart.slice(0, 7)) % 3 === 0) ? `${monthOf(first).slice(0, 4)}-Q${Math.floor((first % 12) / 3) + 1}` : `${monthOf(first)} to ${monthOf(first + 2)}`;
}

// PARAMETERS

function parameterValue(spec: ParameterSpec, text: string): Value {
  if (spec.unit === "Bool") return text === "true";
  if (spec.unit === "Text" || spec.unit === "Date") return text;
  return new Dec(text);
}

/** Parses an override such as "15%", "$6.50", "0.5" for a parameter of the given unit. */
function parseOverride(spec: ParameterSpec, raw: string): string {
  const text = raw.trim().replace(/,/g, "");
  const bad = () => fail("PCMH0512", `--set ${spec.name}=${raw}: expected ${spec.unit === "Percent" ? "a percentage like 12%" : spec.unit === "Money" || spec.unit === "Rate" ? "an amount like $6.50" : "a number"}.`);
  let value: Dec | undefined;
  if (spec.unit === "Percent") value = text.endsWith("%") ? parseDecimal(text.slice(0, -1))?.div(100) : undefined;
  else if (spec.unit === "Money" || spec.unit === "Rate") value = parseDecimal(text.replace(/^(-?)\$/, "$1").replace(/\s*pmpm$/, ""));
  else if (spec.unit === "Text" || spec.unit === "Date" || spec.unit === "Bool") return text;
  else value = parseDecimal(text);
  if (!value) return bad();
  if (spec.range) {
    const [lo, hi] = spec.range.map((r) => new Dec(r)) as [Dec, Dec];
    if (value.lt(lo) || value.gt(hi)) fail("PCMH0512", `--set ${spec.name}=${raw} is outside its range, ${show(spec, lo)} to ${show(spec, hi)}.`);
  }
  return plain(value);
}

function show(spec: ParameterSpec, v: Dec): string {
  if (spec.unit === "Percent") return pct(v);
  if (spec.unit === "Money") return `$${money(v)}`;
  if (spec.unit === "Rate") return `$${money(v)} pmpm`;
  return plain(v);
}

// THE SETTLEMENT

export function settle(program: Program, input: SettlementInput): Statement {
  if (program.meta.runtimeAbi !== RUNTIME_ABI)
    fail("PCMH0511", `This contract module was compiled for runtime ABI ${program.meta.runtimeAbi}, but this runtime is ABI ${RUNTIME_ABI}. Recompile it with this version of pcmh.`);
  return new Settlement(program, input).run();
}

class Settlement {
  private readonly practices = new Map<string, PracticeRow>();
  private readonly physicians = new Map<string, PhysicianRow>();
  private readonly memberMonths: MemberMonth[] = [];
  private readonly claims: ClaimLine[] = [];
  private readonly params = new Map<string, Value>();
  private readonly paramText: Record<string, string> = {};
  private readonly valueSpecs: Map<string, Program["values"][number]>;
  private readonly tableSpecs: Map<string, TableSpec<Evaluator>>;
  private readonly scorecardSpecs: Map<string, ScorecardSpec<Evaluator>>;
  private readonly measureSpecs = new Map<string, { measure: MeasureSpec<Evaluator>; scorecard: ScorecardSpec<Evaluator> }>();
  private readonly lines = new Map<string, PendingLine>();
  private readonly notes: string[] = [];
  private readonly unitsCache = new Map<string, Map<string, Unit>>();
  private period = { from: "", to: "" };

  constructor(
    private readonly program: Program,
    private readonly input: SettlementInput,
  ) {
    this.valueSpecs = new Map(program.values.map((v) => [v.name, v]));
    this.tableSpecs = new Map(program.tables.map((t) => [t.name, t]));
    this.scorecardSpecs = new Map(program.scorecards.map((s) => [s.name, s]));
    for (const s of program.scorecards) for (const m of s.measures) this.measureSpecs.set(m.name, { measure: m, scorecard: s });
  }

  run(): Statement {
    this.index();
    this.setParameters();
    this.attribute();
    for (const clause of this.program.clauses) if (clause.kind === "claim fee" || clause.kind === "monthly fee" || (clause.kind === "incentive" && clause.inAdvance)) this.settleFee(clause);
    for (const clause of this.program.clauses) {
      if (!this.inForce(clause)) continue;
      if (clause.kind === "incentive") this.settleIncentive(clause);
      if (clause.kind === "shared savings") this.settleSavings(clause);
    }
    const base = new Map(this.lines);
    for (const clause of this.program.clauses) {
      if (!this.inForce(clause)) continue;
      if (clause.kind === "withhold") this.settleWithhold(clause, base);
      if (clause.kind === "adjustment") this.settleAdjustment(clause, base);
    }
    return this.statement();
  }

  // DATA

  private index() {
    const { input, program } = this;
    for (const [i, p] of input.practices.entries()) {
      if (this.practices.has(p.id)) fail("PCMH0504", `practice ${p.id} is listed twice.`, { file: "practices", row: i + 2, field: "practice_id" });
      this.practices.set(p.id, p);
    }
    for (const [i, d] of input.physicians.entries()) {
      if (this.physicians.has(d.id)) fail("PCMH0504", `physician ${d.id} is listed twice.`, { file: "physicians", row: i + 2, field: "physician_id" });
      if (!this.practices.has(d.practice)) fail("PCMH0505", `physician ${d.id} belongs to practice ${d.practice}, which is not in practices.`, { file: "physicians", row: i + 2, field: "practice_id" });
      if (program.panel && !d.panel) fail("PCMH0503", `physician ${d.id} has no panel, but the contract pools physicians into virtual panels.`, { file: "physicians", row: i + 2, field: "panel_id" });
      this.physicians.set(d.id, d);
    }
    for (const team of new Set(input.practices.map((p) => p.careTeam).filter((t): t is string => !!t)))
      if (program.header.careTeams.length > 0 && !program.header.careTeams.includes(team))
        fail("PCMH0505", `practices name the community care team "${team}", which the contract does not list.`, { file: "practices", field: "community_care_team" });
    if (program.panel) {
      const sizes = new Map<string, number>();
      for (const d of this.physicians.values()) sizes.set(d.panel!, (sizes.get(d.panel!) ?? 0) + 1);
      for (const [panel, size] of [...sizes].sort())
        if (size < program.panel.low || size > program.panel.high)
          fail("PCMH0507", `panel ${panel} has ${size} physician${size === 1 ? "" : "s"}; the contract requires ${program.panel.low} to ${program.panel.high}.`, { file: "physicians", field: "panel_id" });
    }
    const term = program.header.term;
    const termFrom = term.from.slice(0, 7);
    const termTo = term.to.slice(0, 7);
    const seen = new Map<string, string[]>();
    const payers = new Set(program.header.payers);
    const months = new Set<string>();
    const members = input.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const where = { file: "members", row: i + 2 };
      const monthsOfMember = seen.get(m.member);
      if (!monthsOfMember) seen.set(m.member, [m.month]);
      else if (monthsOfMember.includes(m.month)) fail("PCMH0504", `member ${m.member} has two rows for ${m.month}.`, { ...where, field: "member_id" });
      else monthsOfMember.push(m.month);
      if (m.month < termFrom || m.month > termTo) fail("PCMH0506", `${m.month} is outside the contract term, ${term.from} to ${term.to}.`, { ...where, field: "month" });
      if (m.physician && !this.physicians.has(m.physician)) fail("PCMH0505", `physician ${m.physician} is not in physicians.`, { ...where, field: "physician_id" });
      if (payers.size > 0 && !payers.has(m.payer))
        fail("PCMH0505", `payer "${m.payer}" is not a payer of this contract (${program.header.payers.map((p) => `"${p}"`).join(", ")}).`, { ...where, field: "payer" });
      months.add(m.month);
    }
    if (months.size === 0) fail("PCMH0513", "There are no member-months to settle.", { file: "members" });
    const sorted = [...months].sort();
    const window = (month: string) => periodLabel(month, program.header.settled, term.from);
    if (window(sorted[0]!) !== window(sorted[sorted.length - 1]!))
      fail("PCMH0506", `The data covers ${sorted[0]} to ${sorted[sorted.length - 1]}, which spans two settlement periods (${window(sorted[0]!)} and ${window(sorted[sorted.length - 1]!)}). Settle one period at a time.`, { file: "members", field: "month" });
    this.period = { from: sorted[0]!, to: sorted[sorted.length - 1]! };
    for (const [i, c] of input.claims.entries()) {
      if (c.physician && !this.physicians.has(c.physician) && c.physician !== "") void 0;
      const allowed = new Dec(c.allowed);
      if (allowed.isNegative()) fail("PCMH0503", `claim ${c.id} has a negative allowed amount.`, { file: "claims", row: i + 2, field: "allowed" });
      this.claims.push({ row: c, allowed, month: c.date.slice(0, 7) });
    }
  }

  private setParameters() {
    const at = `${this.period.from}-01`;
    const specs = new Map(this.program.parameters.map((p) => [p.name, p]));
    for (const spec of this.program.parameters) {
      let text = spec.value;
      for (const e of spec.effective) if (e.date <= at) text = e.value;
      if (text !== undefined) this.paramText[spec.name] = text;
    }
    for (const a of this.program.amendments)
      if (!a.effective || a.effective <= at)
        for (const s of a.sets) {
          this.paramText[s.name] = s.value;
          this.notes.push(`Amendment "${a.title}" sets ${s.name}.`);
        }
    for (const [name, raw] of Object.entries(this.input.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const spec = specs.get(name);
      if (!spec) {
        const known = [...specs.keys()].join(", ");
        fail("PCMH0512", `--set ${name}: the contract has no parameter called ${name}${known ? ` (it has ${known})` : ""}.`);
      }
      this.paramText[name] = parseOverride(spec, raw);
    }
    for (const spec of this.program.parameters) {
      const text = this.paramText[spec.name];
      if (text !== undefined) this.params.set(spec.name, parameterValue(spec, text));
    }
  }

  // ATTRIBUTION

  private attribute() {
    const spec = this.program.attribution;
    const byMember = new Map<string, string>();
    if (spec.method === "plurality") {
      const end = monthIndex(this.period.to);
      const start = end - (spec.lookbackMonths ?? 12) + 1;
      const scores = new Map<string, Map<string, { visits: number; allowed: Dec; latest: string }>>();
      // With `designation first`, only members with an undesignated month need a plurality.
      const needed = spec.designationFirst ? new Set(this.input.members.filter((m) => !m.physician).map((m) => m.member)) : undefined;
      const sumsAllowed = spec.basis === "allowed charges" || spec.tieBreakers.includes("largest allowed charges");
      for (const c of this.claims) {
        const physician = c.row.physician;
        if (!physician || !this.physicians.has(physician)) continue;
        if (needed && !needed.has(c.row.member)) continue;
        const m = monthIndex(c.month);
        if (m < start || m > end) continue;
        if (!qualifies(c.row, spec.codes)) continue;
        const perMember = scores.get(c.row.member) ?? new Map();
        scores.set(c.row.member, perMember);
        const s = perMember.get(physician) ?? { visits: 0, allowed: ZERO, latest: "" };
        perMember.set(physician, { visits: s.visits + 1, allowed: sumsAllowed ? s.allowed.add(c.allowed) : s.allowed, latest: c.row.date > s.latest ? c.row.date : s.latest });
      }
      for (const [member, perPhysician] of scores) {
        const ranked = [...perPhysician].sort(([a, x], [b, y]) => {
          const primary = spec.basis === "allowed charges" ? y.allowed.cmp(x.allowed) : y.visits - x.visits;
          if (primary !== 0) return primary;
          for (const tb of spec.tieBreakers) {
            const c = tb === "latest claim date" ? (y.latest > x.latest ? 1 : y.latest < x.latest ? -1 : 0) : tb === "largest allowed charges" ? y.allowed.cmp(x.allowed) : a < b ? -1 : a > b ? 1 : 0;
            if (c !== 0) return c;
          }
          return a < b ? -1 : a > b ? 1 : 0;
        });
        byMember.set(member, ranked[0]![0]);
      }
    }
    const mmIndex = new Map<string, Map<string, MemberMonth>>();
    const withClaims = new Map<string, Set<string>>();
    for (const c of this.claims) {
      let months = withClaims.get(c.row.member);
      if (!months) withClaims.set(c.row.member, (months = new Set()));
      months.add(c.month);
    }
    const scores = new Map<string, Dec>();
    let unattributed = 0;
    for (const row of this.input.members) {
      const designated = row.physician;
      const physicianId = spec.method === "roster" ? designated : spec.designationFirst && designated ? designated : byMember.get(row.member);
      if (!physicianId) {
        unattributed++;
        continue;
      }
      const physician = this.physicians.get(physicianId)!;
      let riskScore = scores.get(row.riskScore);
      if (!riskScore) scores.set(row.riskScore, (riskScore = new Dec(row.riskScore)));
      const mm: MemberMonth = { row, physician, practice: this.practices.get(physician.practice)!, riskScore };
      this.memberMonths.push(mm);
      if (withClaims.get(row.member)?.has(row.month)) {
        let months = mmIndex.get(row.member);
        if (!months) mmIndex.set(row.member, (months = new Map()));
        months.set(row.month, mm);
      }
    }
    if (unattributed > 0) this.notes.push(`${unattributed} member-month${unattributed === 1 ? " was" : "s were"} not attributed to any physician and earn no payments.`);
    for (let i = 0; i < this.claims.length; i++) {
      const c = this.claims[i]!;
      const mm = mmIndex.get(c.row.member)?.get(c.month);
      if (mm) this.claims[i] = { ...c, memberMonth: mm };
    }
  }

  // UNITS

  private unitKey(level: Level, mm: MemberMonth): string {
    switch (level) {
      case "member":
      case "physician":
        return mm.physician.id;
      case "practice":
        return mm.practice.id;
      case "panel":
        return mm.physician.panel ?? mm.practice.id;
      case "payer":
        return mm.row.payer;
      case "contract":
        return "contract";
    }
  }

  private units(level: Level, clause: ClauseSpec<Evaluator> | undefined): Map<string, Unit> {
    const cacheKey = `${level}\u0000${clause?.eligible || clause?.payers ? clause.title : ""}`;
    const cached = this.unitsCache.get(cacheKey);
    if (cached) return cached;
    const units = new Map<string, Unit>();
    const unitOf = (mm: MemberMonth) => {
      const id = this.unitKey(level, mm);
      let u = units.get(id);
      if (!u) {
        u = { level, id, label: level === "contract" ? "the contract" : `${level === "member" ? "physician" : level} ${id}`, memberMonths: [], claims: [], physicians: new Set(), practices: new Set(), cache: new Map() };
        units.set(id, u);
      }
      return u;
    };
    for (const mm of this.memberMonths) {
      if (mm.row.month < this.period.from || mm.row.month > this.period.to) continue;
      if (clause && !this.memberEligible(clause, mm)) continue;
      const u = unitOf(mm);
      u.memberMonths.push(mm);
      u.physicians.add(mm.physician.id);
      u.practices.add(mm.practice.id);
    }
    for (const c of this.claims) {
      if (!c.memberMonth || c.month < this.period.from || c.month > this.period.to) continue;
      if (clause && !this.memberEligible(clause, c.memberMonth)) continue;
      units.get(this.unitKey(level, c.memberMonth))?.claims.push(c);
    }
    const sorted = new Map([...units].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.unitsCache.set(cacheKey, sorted);
    return sorted;
  }

  private memberEligible(clause: ClauseSpec<Evaluator>, mm: MemberMonth): boolean {
    if (clause.payers && !clause.payers.includes(mm.row.payer)) return false;
    if (clause.effective && (mm.row.month < clause.effective.from.slice(0, 7) || (clause.effective.to && mm.row.month > clause.effective.to.slice(0, 7)))) return false;
    if (clause.eligible) return clause.eligible(this.memberScope(mm, clause)) === true;
    return true;
  }

  private inForce(clause: ClauseSpec<Evaluator>): boolean {
    if (!clause.effective) return true;
    return clause.effective.from.slice(0, 7) <= this.period.to && (!clause.effective.to || clause.effective.to.slice(0, 7) >= this.period.from);
  }

  // SCOPES (the Env that expressions see)

  private memberScope(mm: MemberMonth, clause: ClauseSpec<Evaluator> | undefined, claim?: ClaimLine): Scope {
    return new Scope(this, { kind: claim ? "claim" : "member", mm, ...(claim ? { claim } : {}) }, clause);
  }

  unitScope(unit: Unit, clause: ClauseSpec<Evaluator> | undefined, savings?: SavingsFigures): Scope {
    return new Scope(this, { kind: "unit", unit, ...(savings ? { savings } : {}) }, clause);
  }

  param(name: string): Value {
    const v = this.params.get(name);
    if (v === undefined) fail("PCMH0513", `parameter ${name} has no value in the contract, and none was set for this settlement (--set ${name}=…).`);
    return v;
  }

  showParameter(name: string): string {
    const spec = this.program.parameters.find((p) => p.name === name);
    const value = this.params.get(name);
    return spec && typeof value === "object" ? show(spec, value) : String(value);
  }

  valueSpec(name: string) {
    return this.valueSpecs.get(name);
  }

  tableSpec(name: string) {
    return this.tableSpecs.get(name);
  }

  scorecardSpec(name: string) {
    return this.scorecardSpecs.get(name);
  }

  measureSpec(name: string) {
    return this.measureSpecs.get(name);
  }

  /** The unit at `level` enclosing a unit at a finer level (its first member-month decides). */
  enclosing(unit: Unit, level: Level, clause: ClauseSpec<Evaluator> | undefined): Unit {
    if (unit.level === level || (unit.level === "member" && level === "physician")) return unit;
    if (levelOrder.indexOf(level) < levelOrder.indexOf(unit.level) || level === "payer" || unit.level === "payer")
      fail("PCMH0513", `a value measured per ${level} can't be used for ${unit.label}.`, { clause: clause?.title ?? "", unit: unit.label });
    const first = unit.memberMonths[0];
    if (!first) fail("PCMH0513", `${unit.label} has no member-months.`, { clause: clause?.title ?? "" });
    return this.units(level, undefined).get(this.unitKey(level, first))!;
  }

  qualityOf(unit: Unit, measure: string): { numerator: Dec; denominator: Dec } {
    let numerator = ZERO;
    let denominator = ZERO;
    for (const q of this.input.quality) {
      if (q.measure !== measure) continue;
      const inside = q.level === "physician" ? unit.physicians.has(q.id) : unit.practices.has(q.id) && unit.level !== "physician" && unit.level !== "member";
      if (!inside) continue;
      numerator = numerator.add(new Dec(q.numerator));
      denominator = denominator.add(new Dec(q.denominator));
    }
    return { numerator, denominator };
  }

  baselineOf(unit: Unit): { memberMonths: Dec; cost: Dec; riskWeighted: Dec } {
    let memberMonths = ZERO;
    let cost = ZERO;
    let riskWeighted = ZERO;
    let found = false;
    for (const b of this.input.baseline) {
      const inside =
        b.level === "contract"
          ? unit.level === "contract"
          : b.level === "panel"
            ? (unit.level === "panel" && unit.id === b.id) || (unit.level === "contract")
            : b.level === "practice"
              ? unit.practices.has(b.id) && unit.level !== "physician" && unit.level !== "member"
              : unit.physicians.has(b.id);
      if (!inside) continue;
      found = true;
      const mm = new Dec(b.memberMonths);
      memberMonths = memberMonths.add(mm);
      cost = cost.add(new Dec(b.cost));
      riskWeighted = riskWeighted.add(new Dec(b.riskScore).mul(mm));
    }
    if (!found) fail("PCMH0513", `there is no baseline for ${unit.label}.`, { file: "baseline" });
    return { memberMonths, cost, riskWeighted };
  }

  // FEES: per claim line and per member-month, aggregated by recipient, payer and period

  private recipientOf(clause: ClauseSpec<Evaluator>, mm: MemberMonth, physician: PhysicianRow = mm.physician): Recipient {
    const to = clause.paidTo;
    if (!to || to.recipient === "practices") return `practice:${physician.practice}`;
    if (to.recipient === "physicians") return `physician:${physician.id}`;
    if (to.recipient === "panels") return `panel:${physician.panel ?? physician.practice}`;
    if (to.team) return `community care team:${to.team}`;
    const team = this.practices.get(physician.practice)?.careTeam;
    if (!team) fail("PCMH0513", `practice ${physician.practice} has no community care team to pay.`, { file: "practices", field: "community_care_team" });
    return `community care team:${team}`;
  }

  private rounding(clause: ClauseSpec<Evaluator>) {
    return clause.rounding ?? this.program.header.rounding;
  }

  private addLine(key: Omit<PendingLine, "amount" | "trace" | "rounding" | "groups">, clause: ClauseSpec<Evaluator>, amount: Dec, trace: () => PendingLine["trace"], group?: { key: string; each: Dec; note: string }) {
    const id = `${key.clause}\u0000${key.kind}\u0000${key.recipient}\u0000${key.payer ?? ""}\u0000${key.period}`;
    let line = this.lines.get(id);
    if (!line) {
      line = { ...key, amount: ZERO, rounding: this.rounding(clause), trace: trace(), ...(group ? { groups: new Map() } : {}) };
      this.lines.set(id, line);
    }
    line.amount = line.amount.add(amount);
    if (group && line.groups) {
      const g = line.groups.get(group.key);
      if (g) g.count++;
      else line.groups.set(group.key, { count: 1, each: group.each, note: group.note });
    }
  }

  private settleFee(clause: ClauseSpec<Evaluator>) {
    const feesPaid = clause.paidEvery ?? this.program.header.feesPaid;
    const termFrom = this.program.header.term.from;
    if (clause.kind === "claim fee") {
      for (const c of this.claims) {
        const mm = c.memberMonth;
        const physician = c.row.physician ? this.physicians.get(c.row.physician) : undefined;
        if (!mm || !physician || c.month < this.period.from || c.month > this.period.to) continue;
        if (!codeMatches(c.row.code, clause.codes) || !this.memberEligible(clause, mm)) continue;
        const scope = this.memberScope(mm, clause, c);
        const amount = num(clause.pay(scope));
        const period = periodLabel(c.month, feesPaid, termFrom);
        this.addLine(
          { clause: clause.title, kind: "payment", recipient: this.recipientOf(clause, mm, physician), payer: mm.row.payer, period },
          clause,
          amount,
          () => ({ rule: `fee on codes ${codesText(clause.codes)}: pay ${clause.payText} per claim line`, ...(clause.cite ? { cite: clause.cite } : {}), steps: [] }),
          { key: `${c.row.code}`, each: amount, note: `claims on code ${c.row.code}` },
        );
      }
      return;
    }
    if (clause.kind !== "monthly fee" && !(clause.kind === "incentive" && clause.inAdvance)) return;
    if (clause.memberReads) return this.settleMemoisedFee(clause, clause.memberReads, feesPaid);
    const kind: LineKind = clause.kind === "incentive" ? "advance" : "payment";
    const text = clause.kind === "monthly fee" ? clause.payText : clause.payText;
    for (const mm of this.memberMonths) {
      if (mm.row.month < this.period.from || mm.row.month > this.period.to || !this.memberEligible(clause, mm)) continue;
      const scope = this.memberScope(mm, clause);
      let rate: Dec;
      let note: string;
      if (clause.kind === "monthly fee" && clause.table) {
        const found = lookupRow(clause.table, scope, clause.title);
        rate = num(found.value);
        note = `${clause.table.keyText} ${found.row.text}`;
      } else {
        rate = num((clause as { pay: Evaluator }).pay(scope));
        note = text;
      }
      const period = periodLabel(mm.row.month, feesPaid, termFrom);
      this.addLine(
        { clause: clause.title, kind, recipient: this.recipientOf(clause, mm), payer: mm.row.payer, period },
        clause,
        rate,
        () => ({ rule: `${clause.kind === "incentive" ? "paid in advance" : "monthly fee"}: ${text} per member-month`, ...(clause.cite ? { cite: clause.cite } : {}), steps: [] }),
        { key: `${plain(rate)}\u0000${note}`, each: rate, note },
      );
    }
  }

  /**
   * A monthly fee whose amount depends only on the member fields in `reads`: each distinct
   * combination is evaluated once, member-months are counted per recipient, payer, period and
   * amount, and each line is the exact sum of count × amount. Same statement as evaluating every
   * member-month, without an allocation per member-month.
   */
  private settleMemoisedFee(clause: ClauseSpec<Evaluator>, reads: readonly string[], feesPaid: keyof typeof frequencyMonths) {
    const kind: LineKind = clause.kind === "incentive" ? "advance" : "payment";
    const text = (clause as { payText: string }).payText;
    const table = clause.kind === "monthly fee" ? clause.table : undefined;
    const termFrom = this.program.header.term.from;
    const amounts: { rate: Dec; note: string }[] = [];
    const memo = new Map<string, number>();
    const periods = new Map<string, string>();
    const recipients = new Map<PhysicianRow, Recipient>();
    const counts = new Map<Recipient, Map<string, Map<string, Map<number, number>>>>();
    const field = (name: string, mm: MemberMonth): string => {
      switch (name) {
        case "member risk score":
          return mm.row.riskScore;
        case "member age":
          return mm.row.age ?? "";
        case "member lob":
          return mm.row.lob ?? "";
        case "practice risk group":
          return mm.practice.riskGroup ?? "";
        case "practice recognition level":
          return mm.practice.recognitionLevel ?? "";
        default:
          return "";
      }
    };
    const single = reads.length === 1 ? reads[0]! : undefined;
    for (const mm of this.memberMonths) {
      const month = mm.row.month;
      if (month < this.period.from || month > this.period.to || !this.memberEligible(clause, mm)) continue;
      const key = single ? field(single, mm) : reads.map((r) => field(r, mm)).join("\u0000");
      let index = memo.get(key);
      if (index === undefined) {
        const scope = this.memberScope(mm, clause);
        if (table) {
          const found = lookupRow(table, scope, clause.title);
          amounts.push({ rate: num(found.value), note: `${table.keyText} ${found.row.text}` });
        } else amounts.push({ rate: num((clause as { pay: Evaluator }).pay(scope)), note: text });
        index = amounts.length - 1;
        memo.set(key, index);
      }
      let recipient = recipients.get(mm.physician);
      if (recipient === undefined) recipients.set(mm.physician, (recipient = this.recipientOf(clause, mm)));
      let period = periods.get(month);
      if (period === undefined) periods.set(month, (period = periodLabel(month, feesPaid, termFrom)));
      let byPayer = counts.get(recipient);
      if (!byPayer) counts.set(recipient, (byPayer = new Map()));
      let byPeriod = byPayer.get(mm.row.payer);
      if (!byPeriod) byPayer.set(mm.row.payer, (byPeriod = new Map()));
      let byAmount = byPeriod.get(period);
      if (!byAmount) byPeriod.set(period, (byAmount = new Map()));
      byAmount.set(index, (byAmount.get(index) ?? 0) + 1);
    }
    const rule = { rule: `${clause.kind === "incentive" ? "paid in advance" : "monthly fee"}: ${text} per member-month`, ...(clause.cite ? { cite: clause.cite } : {}), steps: [] };
    for (const [recipient, byPayer] of counts)
      for (const [payer, byPeriod] of byPayer)
        for (const [period, byAmount] of byPeriod) {
          const groups = new Map<string, { count: number; each: Dec; note: string }>();
          let amount = ZERO;
          for (const [index, count] of byAmount) {
            const a = amounts[index]!;
            amount = amount.add(a.rate.mul(count));
            const groupKey = `${plain(a.rate)}\u0000${a.note}`;
            const g = groups.get(groupKey);
            if (g) g.count += count;
            else groups.set(groupKey, { count, each: a.rate, note: a.note });
          }
          const id = `${clause.title}\u0000${kind}\u0000${recipient}\u0000${payer}\u0000${period}`;
          this.lines.set(id, { clause: clause.title, kind, recipient, payer, period, amount, rounding: this.rounding(clause), trace: { ...rule, steps: [] }, groups });
        }
  }

  // UNIT-LEVEL CLAUSES

  private clauseLevel(clause: ClauseSpec<Evaluator>): Level {
    return clause.measuredPer ?? "practice";
  }

  private settlementPeriod(): string {
    return periodLabel(this.period.from, this.program.header.settled, this.program.header.term.from);
  }

  /** Pays a unit's amount to the clause's recipients, allocating a pool by the clause's basis. */
  private payUnit(clause: ClauseSpec<Evaluator>, unit: Unit, kind: LineKind, amount: Dec, trace: PendingLine["trace"]) {
    const rounding = this.rounding(clause);
    const recipientLevel = clause.paidTo?.recipient === "physicians" ? "physician" : clause.paidTo?.recipient === "panels" ? "panel" : clause.paidTo?.recipient === "community care teams" ? "team" : "practice";
    const period = this.settlementPeriod();
    const payer = unit.level === "payer" ? unit.id : undefined;
    const direct =
      (recipientLevel === "practice" && (unit.level === "practice" || ((unit.level === "physician" || unit.level === "member") && unit.practices.size === 1))) ||
      (recipientLevel === "physician" && (unit.level === "physician" || unit.level === "member")) ||
      (recipientLevel === "panel" && unit.level === "panel");
    if (direct || recipientLevel === "team") {
      const recipient =
        recipientLevel === "team"
          ? clause.paidTo?.team
            ? `community care team:${clause.paidTo.team}`
            : `community care team:${this.practices.get([...unit.practices][0]!)?.careTeam ?? "unknown"}`
          : recipientLevel === "practice"
            ? `practice:${[...unit.practices][0]}`
            : `${recipientLevel}:${unit.id}`;
      this.pushSettled(clause, { clause: clause.title, kind, recipient, ...(payer ? { payer } : {}), period }, amount, trace);
      return;
    }
    const pool = roundTo(amount, rounding.places, rounding.mode);
    const basis = clause.allocatedBy ?? "member months";
    const weights = new Map<string, { mm: number; members: Set<string> }>();
    for (const mm of unit.memberMonths) {
      const r = recipientLevel === "physician" ? `physician:${mm.physician.id}` : recipientLevel === "panel" ? `panel:${mm.physician.panel ?? mm.practice.id}` : `practice:${mm.practice.id}`;
      const w = weights.get(r) ?? { mm: 0, members: new Set() };
      w.mm++;
      w.members.add(mm.row.member);
      weights.set(r, w);
    }
    const recipients = [...weights.keys()].sort();
    const shares = allocate(
      pool,
      recipients.map((r) => (basis === "equal shares" ? ONE : new Dec(basis === "attributed members" ? weights.get(r)!.members.size : weights.get(r)!.mm))),
      rounding.places,
    );
    recipients.forEach((r, i) => {
      const w = weights.get(r)!;
      const share = shares[i]!;
      const steps = [
        ...trace.steps,
        { name: `pool for ${unit.label}`, value: money(pool) },
        { name: `allocated by ${basis}`, value: basis === "equal shares" ? `1 of ${recipients.length}` : `${basis === "attributed members" ? w.members.size : w.mm} of ${basis === "attributed members" ? unit.memberMonths.reduce((s, x, k, all) => (all.findIndex((y) => y.row.member === x.row.member) === k ? s + 1 : s), 0) : unit.memberMonths.length}`, note: "largest remainder, to the cent" },
      ];
      this.pushSettled(clause, { clause: clause.title, kind, recipient: r, ...(payer ? { payer } : {}), period }, share, { ...trace, steps }, true);
    });
  }

  private pushSettled(clause: ClauseSpec<Evaluator>, key: Omit<PendingLine, "amount" | "trace" | "rounding" | "groups">, amount: Dec, trace: PendingLine["trace"], alreadyRounded = false) {
    const id = `${key.clause}\u0000${key.kind}\u0000${key.recipient}\u0000${key.payer ?? ""}\u0000${key.period}\u0000${this.lines.size}`;
    const rounding = this.rounding(clause);
    this.lines.set(id, { ...key, amount: alreadyRounded ? amount : amount, rounding, trace });
  }

  private settleIncentive(clause: ClauseSpec<Evaluator> & { kind: "incentive" }) {
    const level = this.clauseLevel(clause);
    for (const unit of this.units(level, clause).values()) {
      const scope = this.unitScope(unit, clause);
      const cite = clause.cite ? { cite: clause.cite } : {};
      if (clause.inAdvance) {
        const advanced = this.advancedTo(clause, unit);
        const earnedRaw = num(clause.earned!(scope));
        const earned = Dec.min(Dec.max(earnedRaw, ZERO), ONE);
        const recoup = advanced.mul(ONE.sub(earned)).neg();
        const steps: TraceStep[] = [
          { name: "paid in advance", value: money(advanced) },
          { name: `earned (${clause.earnedText})`, value: pct(earnedRaw), ...(earnedRaw.eq(earned) ? {} : { note: "limited to 0%–100%" }) },
          { name: "recouped: advance × (1 − earned)", value: money(recoup.neg()) },
        ];
        this.payUnit(clause, unit, "recoupment", recoup, { rule: `incentive paid in advance, reconciled against the share earned`, ...cite, unit: unit.label, steps });
        continue;
      }
      const gate = clause.gate ? clause.gate(scope) === true : true;
      const amount = gate ? num(clause.pay(scope)) : ZERO;
      const steps: TraceStep[] = [...(clause.gate ? [{ name: "gate", value: gate ? "met" : "not met", ...(gate ? {} : { note: "nothing is paid" }) }] : []), { name: `pay ${clause.payText}`, value: money(amount) }];
      this.payUnit(clause, unit, "payment", amount, { rule: `incentive measured per ${level}`, ...cite, unit: unit.label, steps: [...this.builtinSteps(scope), ...steps] });
    }
  }

  private advancedTo(clause: ClauseSpec<Evaluator>, unit: Unit): Dec {
    let total = ZERO;
    const recipients = new Set(unit.memberMonths.map((mm) => this.recipientOf(clause, mm)));
    for (const line of this.lines.values()) if (line.clause === clause.title && line.kind === "advance" && recipients.has(line.recipient)) total = total.add(line.amount);
    return total;
  }

  private builtinSteps(scope: Scope): TraceStep[] {
    return [...scope.used].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value }));
  }

  private settleSavings(clause: ClauseSpec<Evaluator> & { kind: "shared savings" }) {
    const level = this.clauseLevel(clause);
    for (const unit of this.units(level, clause).values()) {
      const figures: SavingsFigures = {};
      const scope = this.unitScope(unit, clause, figures);
      const steps: TraceStep[] = [];
      const mm = new Dec(unit.memberMonths.length);
      const benchmarkRaw = num(clause.benchmark(scope));
      const benchmark = clause.benchmarkIsRate ? benchmarkRaw.mul(mm) : benchmarkRaw;
      if (clause.benchmarkIsRate) steps.push({ name: `benchmark per member-month (${clause.benchmarkText})`, value: plain(benchmarkRaw.toDecimalPlaces(6)) }, { name: "member months", value: plain(mm) });
      steps.push({ name: "benchmark", value: money(benchmark) });
      figures.benchmark = benchmark;
      const expenditure = clause.expenditure ? num(clause.expenditure(scope)) : num(scope.builtin("total cost"));
      steps.push({ name: clause.expenditure ? "expenditure" : "expenditure (total cost)", value: money(expenditure) });
      if (benchmark.isZero()) scope.fail("PCMH0510", "the benchmark is zero, so there is no savings rate.");
      const savings = benchmark.sub(expenditure);
      const rate = savings.div(benchmark);
      figures.savings = savings;
      figures.savingsRate = rate;
      steps.push({ name: "savings (benchmark − expenditure)", value: money(savings) }, { name: "savings rate", value: pct(rate) });
      const msr = clause.minimumSavingsRate ? num(clause.minimumSavingsRate(scope)) : ZERO;
      const mlr = clause.minimumLossRate ? num(clause.minimumLossRate(scope)) : ZERO;
      let amount = ZERO;
      const gate = clause.gate ? clause.gate(scope) === true : true;
      if (clause.gate) steps.push({ name: "gate", value: gate ? "met" : "not met" });
      if (!gate) steps.push({ name: "result", value: "0.00", note: "the gate is not met, so nothing is shared" });
      else if (savings.isPositive() && !savings.isZero()) {
        if (clause.minimumSavingsRate) steps.push({ name: "minimum savings rate", value: pct(msr) });
        if (rate.lt(msr)) steps.push({ name: "result", value: "0.00", note: "the savings rate is below the minimum savings rate" });
        else {
          let shared: Dec;
          if (clause.corridor) {
            shared = corridorShare(clause.corridor, rate, benchmark, scope);
            steps.push({ name: "shared through the corridor", value: money(shared) });
          } else {
            const base = clause.shareAboveMinimum ? savings.sub(msr.mul(benchmark)) : savings;
            const share = clause.share ? num(clause.share(scope)) : ZERO;
            shared = base.mul(share);
            steps.push({ name: clause.shareAboveMinimum ? "savings above the minimum" : "savings shared from the first dollar", value: money(base) }, { name: "sharing rate", value: pct(share) }, { name: "shared savings", value: money(shared) });
          }
          if (clause.cap) {
            const cap = num(clause.cap(scope));
            steps.push({ name: "cap", value: money(cap), ...(shared.gt(cap) ? { note: "the cap applies" } : {}) });
            shared = Dec.min(shared, cap);
          }
          for (const r of clause.reductions) {
            const by = num(r.by(scope));
            shared = shared.mul(ONE.sub(by));
            steps.push({ name: `reduced by ${pct(by)}${r.reason ? ` (${r.reason})` : ""}`, value: money(shared) });
          }
          amount = shared;
        }
      } else if (savings.isNegative() && (clause.lossShare || clause.corridor)) {
        if (clause.minimumLossRate) steps.push({ name: "minimum loss rate", value: pct(mlr) });
        if (rate.neg().lt(mlr)) steps.push({ name: "result", value: "0.00", note: "losses are within the minimum loss rate" });
        else {
          let owed: Dec;
          if (clause.corridor) {
            owed = corridorShare(clause.corridor, rate, benchmark, scope).neg();
            steps.push({ name: "losses owed through the corridor", value: money(owed) });
          } else {
            const base = clause.lossAboveMinimum ? savings.neg().sub(mlr.mul(benchmark)) : savings.neg();
            const share = num(clause.lossShare!(scope));
            owed = base.mul(share);
            steps.push({ name: "losses", value: money(base) }, { name: "loss sharing rate", value: pct(share) }, { name: "shared losses", value: money(owed) });
          }
          if (clause.limit) {
            const limit = num(clause.limit(scope));
            steps.push({ name: "loss limit", value: money(limit), ...(owed.gt(limit) ? { note: "the limit applies" } : {}) });
            owed = Dec.min(owed, limit);
          }
          amount = owed.neg();
        }
      } else steps.push({ name: "result", value: "0.00", note: savings.isZero() ? "no savings" : "a one-sided contract shares no losses" });
      this.payUnit(clause, unit, "payment", amount, { rule: `shared savings measured per ${level}`, ...(clause.cite ? { cite: clause.cite } : {}), unit: unit.label, steps: [...this.builtinSteps(scope), ...steps] });
    }
  }

  private targetLines(target: string, base: Map<string, PendingLine>): PendingLine[] {
    const lines = [...base.values()].filter((l) => l.clause === target && (l.kind === "payment" || l.kind === "advance"));
    return lines;
  }

  private recipientUnit(clause: ClauseSpec<Evaluator>, recipient: string): Unit | undefined {
    const level = this.clauseLevel(clause);
    const [kind, id] = [recipient.slice(0, recipient.indexOf(":")), recipient.slice(recipient.indexOf(":") + 1)];
    const units = this.units(level, undefined);
    if (kind === level || (kind === "physician" && level === "member")) return units.get(id);
    for (const u of units.values()) {
      if (kind === "practice" && u.practices.has(id)) return u;
      if (kind === "physician" && u.physicians.has(id)) return u;
      if (kind === "panel" && u.memberMonths.some((mm) => (mm.physician.panel ?? mm.practice.id) === id)) return u;
    }
    return undefined;
  }

  private settleWithhold(clause: ClauseSpec<Evaluator> & { kind: "withhold" }, base: Map<string, PendingLine>) {
    const byUnit = new Map<string, { unit: Unit; recipients: Map<string, Dec> }>();
    for (const line of this.targetLines(clause.target, base)) {
      const unit = this.recipientUnit(clause, line.recipient);
      const percent = num(clause.percent(unit ? this.unitScope(unit, clause) : this.unitScope(this.emptyUnit(), clause)));
      const withheld = line.amount.mul(percent).neg();
      this.pushSettled(clause, { clause: clause.title, kind: "withhold", recipient: line.recipient, ...(line.payer ? { payer: line.payer } : {}), period: line.period }, withheld, {
        rule: `withhold ${pct(percent)} of "${clause.target}"`,
        ...(clause.cite ? { cite: clause.cite } : {}),
        steps: [{ name: `"${clause.target}" for this period`, value: money(line.amount) }, { name: "withheld", value: money(withheld.neg()) }],
      });
      if (!unit) continue;
      const entry = byUnit.get(unit.id) ?? { unit, recipients: new Map<string, Dec>() };
      entry.recipients.set(line.recipient, (entry.recipients.get(line.recipient) ?? ZERO).add(withheld.neg()));
      byUnit.set(unit.id, entry);
    }
    for (const { unit, recipients } of [...byUnit.values()].sort((a, b) => (a.unit.id < b.unit.id ? -1 : 1))) {
      const scope = this.unitScope(unit, clause);
      const returnedRaw = num(clause.returned(scope));
      const returned = Dec.min(Dec.max(returnedRaw, ZERO), ONE);
      for (const [recipient, withheld] of [...recipients].sort(([a], [b]) => (a < b ? -1 : 1))) {
        this.pushSettled(clause, { clause: clause.title, kind: "withhold return", recipient, period: this.settlementPeriod() }, withheld.mul(returned), {
          rule: `withhold returned in the share earned`,
          ...(clause.cite ? { cite: clause.cite } : {}),
          unit: unit.label,
          steps: [...this.builtinSteps(scope), { name: "withheld in the period", value: money(withheld) }, { name: `returned (${clause.returnedText})`, value: pct(returnedRaw), ...(returned.eq(returnedRaw) ? {} : { note: "limited to 0%–100%" }) }],
        });
      }
    }
  }

  private emptyUnit(): Unit {
    return { level: "contract", id: "none", label: "no unit", memberMonths: [], claims: [], physicians: new Set(), practices: new Set(), cache: new Map() };
  }

  private settleAdjustment(clause: ClauseSpec<Evaluator> & { kind: "adjustment" }, base: Map<string, PendingLine>) {
    const totals = new Map<string, { unit: Unit; amount: Dec; payer?: string }>();
    for (const line of this.targetLines(clause.target, base)) {
      const unit = this.recipientUnit(clause, line.recipient);
      if (!unit) continue;
      const key = `${line.recipient}\u0000${line.payer ?? ""}`;
      const t = totals.get(key) ?? { unit, amount: ZERO, ...(line.payer ? { payer: line.payer } : {}) };
      t.amount = t.amount.add(line.amount);
      totals.set(key, t);
    }
    for (const [key, { unit, amount, payer }] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const recipient = key.split("\u0000")[0]!;
      const scope = this.unitScope(unit, clause);
      const gate = clause.gate ? clause.gate(scope) === true : true;
      const raw = gate ? num(clause.by(scope)) : ZERO;
      const factor = clause.bounds ? Dec.min(Dec.max(raw, num(clause.bounds[0](scope))), num(clause.bounds[1](scope))) : raw;
      const adjustment = amount.mul(factor);
      this.pushSettled(clause, { clause: clause.title, kind: "adjustment", recipient, ...(payer ? { payer } : {}), period: this.settlementPeriod() }, adjustment, {
        rule: `adjustment of "${clause.target}" by ${clause.byText}`,
        ...(clause.cite ? { cite: clause.cite } : {}),
        unit: unit.label,
        steps: [
          ...this.builtinSteps(scope),
          { name: `"${clause.target}" in the period`, value: money(amount) },
          ...(clause.gate ? [{ name: "gate", value: gate ? "met" : "not met" }] : []),
          { name: `adjustment (${clause.byText})`, value: pct(raw), ...(factor.eq(raw) ? {} : { note: `limited to ${pct(factor)}` }) },
          { name: "adjustment amount", value: money(adjustment) },
        ],
      });
    }
  }

  // STATEMENT

  private statement(): Statement {
    const pending = [...this.lines.values()].sort(
      (a, b) =>
        this.clauseIndex(a.clause) - this.clauseIndex(b.clause) ||
        kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
        cmpText(a.recipient, b.recipient) ||
        cmpText(a.payer ?? "", b.payer ?? "") ||
        cmpText(a.period, b.period),
    );
    const lines: StatementLine[] = pending.map((l, i) => {
      const amount = roundTo(l.amount, l.rounding.places, l.rounding.mode);
      const steps = l.groups
        ? [...l.groups.values()]
            .sort((x, y) => cmpText(x.note, y.note))
            .map((g) => ({ name: g.note, value: money(g.each.mul(g.count)), note: `${g.count} × ${plain(g.each)}` }))
        : l.trace.steps;
      const rounded = amount.eq(l.amount) ? [] : [{ name: `rounded ${l.rounding.mode} to ${l.rounding.places === 0 ? "dollars" : "cents"}`, value: formatAmount(amount, l.rounding.places), note: `from ${plain(l.amount)}` }];
      const trace: Trace = { rule: l.trace.rule, ...(l.trace.cite ? { cite: l.trace.cite } : {}), ...(l.trace.unit ? { unit: l.trace.unit } : {}), steps: [...steps, ...rounded] };
      return { id: i + 1, clause: l.clause, kind: l.kind, recipient: l.recipient, ...(l.payer ? { payer: l.payer } : {}), period: l.period, amount: formatAmount(amount, 2), trace };
    });
    const sum = (key: (l: StatementLine) => string | undefined) => {
      const out = new Map<string, Dec>();
      for (const l of lines) {
        const k = key(l);
        if (k !== undefined) out.set(k, (out.get(k) ?? ZERO).add(new Dec(l.amount)));
      }
      return Object.fromEntries([...out].sort(([a], [b]) => cmpText(a, b)).map(([k, v]) => [k, formatAmount(v, 2)]));
    };
    const total = lines.reduce((s, l) => s.add(new Dec(l.amount)), ZERO);
    const meta = this.program.meta;
    return {
      contract: { id: meta.contractId, title: meta.title, version: meta.version, sourceHash: meta.sourceHash },
      runtimeAbi: RUNTIME_ABI,
      period: this.period,
      parameters: Object.fromEntries(Object.entries(this.paramText).sort(([a], [b]) => cmpText(a, b))),
      lines,
      totals: { total: formatAmount(total, 2), byRecipient: sum((l) => l.recipient), byClause: sum((l) => l.clause), byPayer: sum((l) => l.payer ?? "(no single payer)") },
      notes: this.notes,
    };
  }

  private clauseIndex(title: string): number {
    return this.program.clauses.findIndex((c) => c.title === title);
  }
}

const kindOrder: LineKind[] = ["payment", "advance", "recoupment", "withhold", "withhold return", "adjustment"];

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// CODES

function codeMatches(code: string, codes: readonly { from: string; to?: string }[]): boolean {
  for (const c of codes) {
    if (c.to === undefined) {
      if (code === c.from) return true;
      continue;
    }
    if (/^\d+$/.test(code) && /^\d+$/.test(c.from) && /^\d+$/.test(c.to) && code.length === c.from.length) {
      if (code >= c.from && code <= c.to) return true;
    } else if (code.length === c.from.length && code >= c.from && code <= c.to) return true;
  }
  return false;
}

function codesText(codes: readonly { from: string; to?: string }[]): string {
  return codes.map((c) => (c.to ? `${c.from}-${c.to}` : c.from)).join(", ");
}

function qualifies(claim: ClaimRow, codes: readonly { from: string; to?: string }[]): boolean {
  return codes.length > 0 ? codeMatches(claim.code, codes) : claim.category === "primary_care";
}

// TABLES AND CASES

function matches(when: RowSpec<Evaluator>["when"], key: Value, env: Env): boolean {
  switch (when.kind) {
    case "below":
      return num(key).lt(num(when.bound(env)));
    case "above":
      return num(key).gt(num(when.bound(env)));
    case "at least":
      return num(key).gte(num(when.bound(env)));
    case "between": {
      const k = num(key);
      return k.gte(num(when.low(env))) && (when.inclusiveHigh ? k.lte(num(when.high(env))) : k.lt(num(when.high(env))));
    }
    case "one of":
      return when.values.some((v) => {
        const x = v(env);
        return typeof x === "object" && typeof key === "object" ? x.eq(key) : x === key;
      });
    case "otherwise":
      return true;
  }
}

function describeKey(key: Value): string {
  return typeof key === "object" ? plain(key) : typeof key === "string" ? `"${key}"` : String(key);
}

export function lookupRow(table: TableSpec<Evaluator>, env: Env, where: string): { value: Value; row: RowSpec<Evaluator> } {
  const key = table.key(env);
  const hits = table.rows.filter((r) => r.when.kind !== "otherwise" && matches(r.when, key, env));
  const fallback = table.rows.find((r) => r.when.kind === "otherwise");
  const chosen = table.policy === "first" ? (table.rows.find((r) => matches(r.when, key, env)) ?? undefined) : hits.length > 1 ? undefined : (hits[0] ?? fallback);
  if (table.policy === "unique" && hits.length > 1)
    env.fail("PCMH0509", `${table.keyText} = ${describeKey(key)} matches two rows of ${where}: "${hits[0]!.text}" and "${hits[1]!.text}".`);
  if (!chosen) env.fail("PCMH0508", `${table.keyText} = ${describeKey(key)} matches no row of ${where}.`);
  let value = chosen.result(env);
  if (table.interpolated && chosen.resultHigh && chosen.when.kind === "between") {
    const lo = num(chosen.when.low(env));
    const hi = num(chosen.when.high(env));
    const a = num(value);
    const b = num(chosen.resultHigh(env));
    value = hi.eq(lo) ? a : a.add(num(key).sub(lo).div(hi.sub(lo)).mul(b.sub(a)));
  }
  return { value, row: chosen };
}

/** Share of savings (or losses) through corridor bands of the savings rate, band by band. */
function corridorShare(rows: readonly RowSpec<Evaluator>[], rate: Dec, benchmark: Dec, env: Env): Dec {
  const lo = Dec.min(rate, ZERO);
  const hi = Dec.max(rate, ZERO);
  let total = ZERO;
  for (const row of rows) {
    let bandLo: Dec;
    let bandHi: Dec;
    switch (row.when.kind) {
      case "below":
        bandLo = lo;
        bandHi = num(row.when.bound(env));
        break;
      case "above":
      case "at least":
        bandLo = num(row.when.bound(env));
        bandHi = hi;
        break;
      case "between":
        bandLo = num(row.when.low(env));
        bandHi = num(row.when.high(env));
        break;
      default:
        continue;
    }
    const overlap = Dec.min(bandHi, hi).sub(Dec.max(bandLo, lo));
    if (overlap.isPositive() && !overlap.isZero()) total = total.add(overlap.mul(benchmark).mul(num(row.result(env))));
  }
  return total;
}

// SCOPE

interface SavingsFigures {
  benchmark?: Dec;
  savings?: Dec;
  savingsRate?: Dec;
}

type Context = { kind: "member" | "claim"; mm: MemberMonth; claim?: ClaimLine } | { kind: "unit"; unit: Unit; savings?: SavingsFigures };

class Scope implements Env {
  private readonly memo = new Map<string, Value>();
  /** Data quantities read while evaluating, for the trace. */
  readonly used = new Map<string, string>();

  constructor(
    private readonly s: Settlement,
    private readonly cx: Context,
    private readonly clause: ClauseSpec<Evaluator> | undefined,
  ) {}

  fail(code: "PCMH0508" | "PCMH0509" | "PCMH0510", message: string): never {
    const unit = this.cx.kind === "unit" ? this.cx.unit.label : `member ${this.cx.mm.row.member} in ${this.cx.mm.row.month}`;
    throw new SettlementError(code, message, { clause: this.clause?.title ?? "", unit });
  }

  param(name: string): Value {
    const value = this.s.param(name);
    this.used.set(name, this.s.showParameter(name));
    return value;
  }

  value(name: string): Value {
    const key = `value:${name}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const spec = this.s.valueSpec(name)!;
    let result: Value;
    if (spec.expr) result = spec.expr(this);
    else {
      const applying = spec.cases.filter((c) => c.when && c.when(this) === true);
      const otherwise = spec.cases.find((c) => !c.when);
      if (spec.policy === "unique" && applying.length > 1) this.fail("PCMH0509", `two cases of ${name} apply at once: "${applying[0]!.text}" and "${applying[1]!.text}".`);
      const chosen = spec.policy === "first" ? (spec.cases.find((c) => !c.when || c.when(this) === true) ?? otherwise) : (applying[0] ?? otherwise);
      if (!chosen) this.fail("PCMH0508", `no case of ${name} applies, and it has no \`otherwise\`.`);
      result = chosen.then(this);
    }
    this.memo.set(key, result);
    return result;
  }

  table(name: string): Value {
    const key = `table:${name}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const result = lookupRow(this.s.tableSpec(name)!, this, `table ${name}`).value;
    this.memo.set(key, result);
    return result;
  }

  builtin(name: string): Value {
    const cx = this.cx;
    if (cx.kind !== "unit") return this.memberBuiltin(name, cx.mm, cx.claim);
    const cached = cx.unit.cache.get(`${name}\u0000${this.clause?.title ?? ""}`);
    const value = cached ?? this.unitBuiltin(name, cx.unit);
    cx.unit.cache.set(`${name}\u0000${this.clause?.title ?? ""}`, value);
    if (typeof value === "object") this.used.set(name, plain(value.toDecimalPlaces(6)));
    return value;
  }

  private memberBuiltin(name: string, mm: MemberMonth, claim: ClaimLine | undefined): Value {
    switch (name) {
      case "member months":
        return ONE;
      case "member risk score":
        return mm.riskScore;
      case "member age":
        return mm.row.age === undefined ? this.missing("age", "members") : new Dec(mm.row.age);
      case "member lob":
        return mm.row.lob ?? this.missing("lob", "members");
      case "practice risk group":
        return mm.practice.riskGroup === undefined ? this.missing("risk_group", "practices") : new Dec(mm.practice.riskGroup);
      case "practice recognition level":
        return mm.practice.recognitionLevel === undefined ? this.missing("recognition_level", "practices") : new Dec(mm.practice.recognitionLevel);
      case "allowed":
        return claim ? claim.allowed : this.missing("allowed", "claims");
      case "claim units":
        return claim?.row.units === undefined ? this.missing("units", "claims") : new Dec(claim.row.units);
      default:
        return this.fail("PCMH0510", `${name} is not available per member-month.`);
    }
  }

  private missing(field: string, file: string): never {
    const who = this.cx.kind === "unit" ? this.cx.unit.label : `member ${this.cx.mm.row.member} in ${this.cx.mm.row.month}`;
    throw new SettlementError("PCMH0513", `the contract reads ${field}, but it is empty for ${who}.`, { file, field, clause: this.clause?.title ?? "" });
  }

  private unitBuiltin(name: string, unit: Unit): Value {
    switch (name) {
      case "member months":
        return new Dec(unit.memberMonths.length);
      case "attributed members":
        return new Dec(new Set(unit.memberMonths.map((m) => m.row.member)).size);
      case "average risk score": {
        if (unit.memberMonths.length === 0) return ZERO;
        const counts = new Map<Dec, number>();
        for (const m of unit.memberMonths) counts.set(m.riskScore, (counts.get(m.riskScore) ?? 0) + 1);
        let sum = ZERO;
        for (const [score, count] of counts) sum = sum.add(score.mul(count));
        return sum.div(unit.memberMonths.length);
      }
      case "baseline": {
        const b = this.s.baselineOf(unit);
        if (b.memberMonths.isZero()) this.fail("PCMH0510", `the baseline of ${unit.label} has no member months.`);
        return b.cost.div(b.memberMonths);
      }
      case "baseline risk score": {
        const b = this.s.baselineOf(unit);
        return b.memberMonths.isZero() ? ZERO : b.riskWeighted.div(b.memberMonths);
      }
      case "baseline member months":
        return this.s.baselineOf(unit).memberMonths;
      case "total cost":
        return this.totalCost(unit);
      case "ed visits":
        return new Dec(unit.claims.filter((c) => c.row.category === "ed").length);
      case "admissions":
        return new Dec(unit.claims.filter((c) => c.row.category === "inpatient").length);
      case "office visits":
        return new Dec(unit.claims.filter((c) => c.row.category === "primary_care").length);
      case "physicians":
        return new Dec(unit.physicians.size);
      case "practices":
        return new Dec(unit.practices.size);
      case "measures scored":
        return this.memo.get("measures scored") ?? ZERO;
      default: {
        const first = unit.memberMonths[0];
        if (first && (name === "practice risk group" || name === "practice recognition level") && unit.practices.size === 1) return this.memberBuiltin(name, first, undefined);
        return this.fail("PCMH0510", `${name} is not available for ${unit.label}.`);
      }
    }
  }

  /** Allowed cost of the unit's members in the period, after the clause's truncation and stop-loss. */
  private totalCost(unit: Unit): Dec {
    const clause = this.clause;
    const stops = clause?.kind === "shared savings" ? clause.stopLoss : [];
    if (stops.length === 0) return unit.claims.reduce((s, c) => s.add(c.allowed), ZERO);
    const perMember = new Map<string, Dec>();
    for (const c of unit.claims) perMember.set(c.row.member, (perMember.get(c.row.member) ?? ZERO).add(c.allowed));
    let total = ZERO;
    for (const cost of perMember.values()) {
      let kept = cost;
      for (const stop of stops) {
        const attachment = num(stop.attachment(this));
        const covering = stop.truncate ? ONE : stop.covering ? num(stop.covering(this)) : ONE;
        const excess = Dec.max(kept.sub(attachment), ZERO);
        kept = kept.sub(excess.mul(covering));
      }
      total = total.add(kept);
    }
    return total;
  }

  quality(measure: string): Dec {
    const unit = this.unitOrFail(`rate of "${measure}"`);
    const q = this.s.qualityOf(unit, measure);
    if (q.denominator.isZero()) throw new SettlementError("PCMH0513", `there is no quality data for measure "${measure}" for ${unit.label}.`, { file: "quality", clause: this.clause?.title ?? "" });
    const rate = q.numerator.div(q.denominator);
    this.used.set(`rate of "${measure}"`, `${plain(q.numerator)}/${plain(q.denominator)}`);
    return rate;
  }

  private unitOrFail(what: string): Unit {
    if (this.cx.kind !== "unit") return this.fail("PCMH0510", `${what} is measured for a unit, not per member-month.`);
    return this.cx.unit;
  }

  scorecard(name: string): Dec {
    const spec = this.s.scorecardSpec(name)!;
    const own = this.unitOrFail(`scorecard ${name}`);
    const unit = spec.level ? this.s.enclosing(own, spec.level, this.clause) : own;
    const key = `scorecard:${name}\u0000${this.clause?.title ?? ""}`;
    const cached = unit.cache.get(key);
    if (cached !== undefined) {
      this.used.set(`${name} score`, pct(num(cached)));
      return num(cached);
    }
    const scope = unit === own ? this : this.s.unitScope(unit, this.clause);
    let weighted = ZERO;
    let weights = ZERO;
    let scored = 0;
    for (const m of spec.measures) {
      const points = scope.points(m, unit);
      if (points === undefined) continue;
      const w = m.weight ? num(m.weight(scope)) : ONE;
      weighted = weighted.add(points.mul(w));
      weights = weights.add(w);
      scored++;
    }
    scope.memo.set("measures scored", new Dec(scored));
    let score = weights.isZero() ? ZERO : weighted.div(weights);
    if (spec.gate && spec.gate(scope) !== true) score = ZERO;
    unit.cache.set(key, score);
    this.used.set(`${name} score`, pct(score));
    return score;
  }

  /** A measure's points for the unit, or undefined when it is not scored (denominator too small). */
  points(m: MeasureSpec<Evaluator>, unit: Unit): Dec | undefined {
    if (m.denominatorOf) {
      const q = this.s.qualityOf(unit, m.denominatorOf);
      const minimum = m.minimumDenominator ? num(m.minimumDenominator(this)) : ONE;
      if (q.denominator.isZero() || q.denominator.lt(minimum)) return undefined;
    }
    const value = num(m.source(this));
    this.used.set(m.name, plain(value.toDecimalPlaces(6)));
    const s = m.scoring;
    if (!s) return value;
    const better = (a: Dec, b: Dec) => (m.direction === "lower" ? a.lte(b) : a.gte(b));
    if (s.kind === "target") return better(value, num(s.target(this))) ? ONE : ZERO;
    if (s.kind === "linear") {
      const from = num(s.from(this));
      const to = num(s.to(this));
      if (from.eq(to)) return better(value, to) ? ONE : ZERO;
      return Dec.min(Dec.max(value.sub(from).div(to.sub(from)), ZERO), ONE);
    }
    for (const row of s.rows) if (better(value, num(row.threshold(this)))) return num(row.points(this));
    return ZERO;
  }

  /** A measure's name is its points when it is scored, its value otherwise (as the checker types it). */
  measure(name: string): Dec {
    const { measure } = this.s.measureSpec(name)!;
    if (!measure.scoring) return num(measure.source(this));
    const unit = this.unitOrFail(`measure ${name}`);
    const points = this.points(measure, unit);
    if (points === undefined) throw new SettlementError("PCMH0513", `measure ${name} is not scored for ${unit.label}: its denominator is below the minimum.`, { clause: this.clause?.title ?? "" });
    return points;
  }

  savings(name: "benchmark" | "savings" | "savings rate"): Dec {
    const figures = this.cx.kind === "unit" ? this.cx.savings : undefined;
    const v = name === "benchmark" ? figures?.benchmark : name === "savings" ? figures?.savings : figures?.savingsRate;
    if (v === undefined) return this.fail("PCMH0510", `${name} is not known yet at this point of the clause.`);
    return v;
  }
}
