// ENGINE: SETTLE ONE PERIOD
//
// The contract semantics, once, for every way of evaluating expressions. Given a Program and one
// settlement period's data it attributes members, forms the units each clause is measured per,
// evaluates fees per claim line and per member-month, settles incentives, shared savings,
// withholds and adjustments per unit, allocates pooled amounts to the cent, and returns a
// statement whose lines each carry a trace. Pure and deterministic: no clock, no randomness, no
// global state; iteration orders are fixed by sorting. Any inconsistency throws a SettlementError
// and no statement is returned.
//
// It works on columns (columns.ts): a member-month or a claim is a row number, a unit is a list of
// row numbers, and an amount that depends only on a few member fields is computed once per
// distinct combination and counted, so a settlement allocates per unit and per distinct amount,
// not per member-month. Loops over rows or claims take their columns and lengths into locals
// first: an input's column objects may be slow to read properties of (ones with getters, as the
// simulator's, are dictionaries), and an input's columns are never written.

import { checkColumns, columnsOf, decAt, exactSum, isColumnar, monthOfDate, monthText, scaledToDec, type AnyInput, type ClaimColumns, type ColumnarInput, type ExactColumn, type MemberMonthColumns } from "./columns.js";
import { SettlementError } from "./errors.js";
import type { BaselineRow, PhysicianRow, PracticeRow } from "./input.js";
import { allocate, Dec, formatAmount, formatScaled, ONE, parseDecimal, plain, roundTo, ZERO } from "./money.js";
import type { ClauseSpec, Env, Evaluator, Level, MeasureSpec, ParameterSpec, Program, RowSpec, ScorecardSpec, TableSpec, Value } from "./program.js";
import { RUNTIME_ABI } from "./program.js";
import type { LineKind, Statement, StatementLine, Trace, TraceStep } from "./statement.js";

// SHAPES

interface Unit {
  readonly level: Level;
  readonly id: string;
  readonly label: string;
  /** Member-month rows, in input order (listed on first use). */
  readonly rows: Int32Array;
  readonly rowCount: number;
  /** Claim rows of those member-months, in input order (listed on first use). */
  readonly claims: Int32Array;
  /** Physician indices with member-months in the unit, in order of first appearance. */
  readonly physicianIndices: readonly number[];
  /** True when the unit holds every attributed member-month of its physicians (no eligibility filter, not per payer). */
  readonly wholePhysicians: boolean;
  readonly physicians: Set<string>;
  readonly practices: Set<string>;
  readonly cache: Map<string, Value>;
}

type Recipient = string;

/** How settleFee numbers its lines: recipient × payer × fee period. */
interface FeeLayout {
  readonly kind: LineKind;
  readonly periods: readonly string[];
  readonly recipients: readonly string[];
  readonly payerCount: number;
  /** The fee period of each month of the settlement period, from its first. */
  readonly periodOfMonth: Int32Array;
}

/** Allowed amounts summed per fee line and code, keys in order of their first claim. */
interface AllowedSums {
  readonly first: number;
  readonly keys: Float64Array;
  readonly counts: Int32Array;
  readonly totals: Float64Array;
}

/** An exact amount: a decimal, or `units / 10^scale` for a safe integer number of units and a scale of 0 to 15. */
type Exact = Dec | { readonly units: number; readonly scale: number };

const decOf = (x: Exact): Dec => ("units" in x ? scaledToDec(x.units, x.scale) : x);

/** A fee line's subtotal: `count` items of `each`, or claim lines summing to `total`. */
interface Group {
  count: number;
  each?: Dec;
  total: Exact;
  note: string;
}

interface PendingLine {
  clause: string;
  kind: LineKind;
  recipient: Recipient;
  payer?: string;
  period: string;
  amount: Dec;
  rounding: { mode: Parameters<typeof roundTo>[2]; places: number };
  trace: { rule: string; cite?: string; unit?: string; steps: TraceStep[] };
  /** Aggregated fee lines: subtotal per distinct rate, result or code. */
  groups?: Map<string, Group>;
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

const monthOf = monthText;

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

export interface SettleOptions {
  /**
   * false: each line's trace keeps its rule, citation and unit but lists no steps, which saves
   * formatting them when only amounts are wanted (Monte Carlo trials). Lines, amounts and totals
   * are the same either way. Default true.
   */
  readonly explain?: boolean;
}

export function settle(program: Program, input: AnyInput, options: SettleOptions = {}): Statement {
  if (program.meta.runtimeAbi !== RUNTIME_ABI)
    fail("PCMH0511", `This contract module was compiled for runtime ABI ${program.meta.runtimeAbi}, but this runtime is ABI ${RUNTIME_ABI}. Recompile it with this version of pcmh.`);
  if (isColumnar(input)) checkColumns(input);
  return new Settlement(program, columnsOf(input), options.explain ?? true).run();
}


class Settlement {
  private readonly practices = new Map<string, PracticeRow>();
  private readonly physicians = new Map<string, PhysicianRow>();
  /** Practice index (into the input's practices) of each physician. */
  private readonly practiceOf: Int32Array;
  /**
   * The physician each member-month is attributed to, or −1; set by attribute and never written
   * after, since it is the input's own physician column when that already says so for every row.
   */
  private attributed: Int32Array = new Int32Array(0);
  /** Attributed member-months per physician. */
  private readonly rowsPerPhysician: Int32Array;
  private readonly firstRowOfPhysician: Int32Array;
  /** Attributed claims per physician and category: physician × categories + category. */
  private readonly claimsPerCategory: Int32Array;
  /**
   * When a clause stops losses per member: each member's allowed cost (scaled) over its attributed
   * claims, members in order of their first claim, and each member's physician (−2: several).
   */
  private memberClaims: { costs: Float64Array; order: Int32Array; physicianOf: Int32Array; split: boolean } | undefined;
  /** The attributed member-month each claim falls in, or −1. */
  private readonly claimRow: Int32Array;
  private readonly params = new Map<string, Value>();
  private readonly paramText: Record<string, string> = {};
  private readonly valueSpecs: Map<string, Program["values"][number]>;
  private readonly tableSpecs: Map<string, TableSpec<Evaluator>>;
  private readonly scorecardSpecs: Map<string, ScorecardSpec<Evaluator>>;
  private readonly measureSpecs = new Map<string, { measure: MeasureSpec<Evaluator>; scorecard: ScorecardSpec<Evaluator> }>();
  private readonly lines = new Map<string, PendingLine>();
  private readonly notes: string[] = [];
  private readonly unitsCache = new Map<string, Map<string, Unit>>();
  private readonly eligibilityCache = new Map<string, Uint8Array | undefined>();
  /**
   * Each member's first row, when each member's rows are together with months increasing (as
   * readers and the simulator give them); claims then find their member-month in the member's run.
   */
  private runStart: Int32Array | undefined;
  private period = { from: "", to: "" };
  private periodFrom = 0;
  private periodTo = 0;
  /** Scratch marks over members, for counting distinct members without allocating. */
  private readonly memberMark: Int32Array;
  private mark = 0;

  constructor(
    private readonly program: Program,
    readonly data: ColumnarInput,
    private readonly explain: boolean,
  ) {
    this.valueSpecs = new Map(program.values.map((v) => [v.name, v]));
    this.tableSpecs = new Map(program.tables.map((t) => [t.name, t]));
    this.scorecardSpecs = new Map(program.scorecards.map((s) => [s.name, s]));
    for (const s of program.scorecards) for (const m of s.measures) this.measureSpecs.set(m.name, { measure: m, scorecard: s });
    this.practiceOf = new Int32Array(data.physicians.length);
    this.rowsPerPhysician = new Int32Array(data.physicians.length);
    this.firstRowOfPhysician = new Int32Array(data.physicians.length);
    this.claimsPerCategory = new Int32Array(data.physicians.length * data.categories.length);
    this.claimRow = new Int32Array(data.claims.length).fill(-1);
    this.memberMark = new Int32Array(data.memberIds.length);
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
    const { data, program } = this;
    for (const [i, p] of data.practices.entries()) {
      if (this.practices.has(p.id)) fail("PCMH0504", `practice ${p.id} is listed twice.`, { file: "practices", row: i + 2, field: "practice_id" });
      this.practices.set(p.id, p);
    }
    const practiceIndex = new Map(data.practices.map((p, i) => [p.id, i]));
    for (const [i, d] of data.physicians.entries()) {
      if (this.physicians.has(d.id)) fail("PCMH0504", `physician ${d.id} is listed twice.`, { file: "physicians", row: i + 2, field: "physician_id" });
      if (!this.practices.has(d.practice)) fail("PCMH0505", `physician ${d.id} belongs to practice ${d.practice}, which is not in practices.`, { file: "physicians", row: i + 2, field: "practice_id" });
      if (program.panel && !d.panel) fail("PCMH0503", `physician ${d.id} has no panel, but the contract pools physicians into virtual panels.`, { file: "physicians", row: i + 2, field: "panel_id" });
      this.physicians.set(d.id, d);
      this.practiceOf[i] = practiceIndex.get(d.practice)!;
    }
    for (const team of new Set(data.practices.map((p) => p.careTeam).filter((t): t is string => !!t)))
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
    const termFrom = monthIndex(term.from);
    const termTo = monthIndex(term.to);
    const m = data.members;
    const n = m.length;
    if (n === 0) fail("PCMH0513", "There are no member-months to settle.", { file: "members" });
    const payers = new Set(program.header.payers);
    const payerOk = data.payers.map((p) => payers.size === 0 || payers.has(p));
    const payerFlags = payerOk.every((ok) => ok) ? undefined : Uint8Array.from(payerOk, (ok) => (ok ? 1 : 0));
    const runStart = new Int32Array(data.memberIds.length).fill(-1);
    const found = new Int32Array(3);
    const bad = scanMemberMonths(m, termFrom, termTo, payerFlags, runStart, found);
    if (bad >= 0) this.badMemberRow(bad, termFrom, termTo);
    const low = found[0]!;
    const high = found[1]!;
    this.runStart = found[2] ? runStart : undefined;
    const window = (month: number) => periodLabel(monthText(month), program.header.settled, term.from);
    if (window(low) !== window(high))
      fail("PCMH0506", `The data covers ${monthText(low)} to ${monthText(high)}, which spans two settlement periods (${window(low)} and ${window(high)}). Settle one period at a time.`, { file: "members", field: "month" });
    this.period = { from: monthText(low), to: monthText(high) };
    this.periodFrom = low;
    this.periodTo = high;
  }

  private badMemberRow(i: number, termFrom: number, termTo: number): never {
    const { data, program } = this;
    const term = program.header.term;
    const month = data.members.month[i]!;
    if (month < termFrom || month > termTo) fail("PCMH0506", `${monthText(month)} is outside the contract term, ${term.from} to ${term.to}.`, { file: "members", row: i + 2, field: "month" });
    return fail("PCMH0505", `payer "${data.payers[data.members.payer[i]!]}" is not a payer of this contract (${program.header.payers.map((p) => `"${p}"`).join(", ")}).`, { file: "members", row: i + 2, field: "payer" });
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
    for (const [name, raw] of Object.entries(this.data.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
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
    const { members: m, claims: c } = this.data;
    const memberCount = this.data.memberIds.length;
    const plurality = spec.method === "plurality";
    const n = m.length;
    const designatedOf = m.physician;
    const memberOf = m.member;
    const monthOf = m.month;
    const rowsPerPhysician = this.rowsPerPhysician;
    const firstRowOfPhysician = this.firstRowOfPhysician;
    // Rows go to their roster physician, or with `designation first` to their designated one;
    // the other rows (of members who need a plurality) go to the member's plurality physician.
    const designation = !plurality || spec.designationFirst;
    let attributedCount = designation ? countRowsPerPhysician(designatedOf, rowsPerPhysician, firstRowOfPhysician) : 0;
    let attributed: Int32Array = designatedOf;
    if (plurality && attributedCount < n) {
      let needed: Uint8Array | undefined;
      if (designation) {
        needed = new Uint8Array(memberCount);
        for (let i = 0; i < n; i++) if (designatedOf[i]! < 0) needed[memberOf[i]!] = 1;
        attributed = designatedOf.slice();
      } else attributed = new Int32Array(n).fill(-1);
      const byMember = this.pluralities(needed);
      for (let i = 0; i < n; i++) {
        if (needed && designatedOf[i]! >= 0) continue;
        const physician = byMember[memberOf[i]!]!;
        if (physician < 0) continue;
        attributed[i] = physician;
        if (rowsPerPhysician[physician]!++ === 0 || i < firstRowOfPhysician[physician]!) firstRowOfPhysician[physician] = i;
        attributedCount++;
      }
    }
    this.attributed = attributed;
    const unattributed = n - attributedCount;
    if (unattributed > 0) this.notes.push(`${unattributed} member-month${unattributed === 1 ? " was" : "s were"} not attributed to any physician and earn no payments.`);
    // Each member's row per month of the period: duplicates are an error, and claims find their
    // member-month, in the member's run of rows (index) or else through a member × month table.
    const span = this.periodTo - this.periodFrom + 1;
    const from = this.periodFrom;
    const runStart = this.runStart;
    let rowAt: Int32Array | undefined;
    if (!runStart) {
      rowAt = new Int32Array(memberCount * span);
      for (let i = 0; i < n; i++) {
        const slot = memberOf[i]! * span + (monthOf[i]! - from);
        if (rowAt[slot] !== 0) fail("PCMH0504", `member ${this.data.memberIds[m.member[i]!]} has two rows for ${monthText(m.month[i]!)}.`, { file: "members", row: i + 2, field: "member_id" });
        rowAt[slot] = i + 1;
      }
    }
    const perMember = this.program.clauses.some((clause) => clause.kind === "shared savings" && clause.stopLoss.length > 0);
    const sums = perMember ? { costs: new Float64Array(memberCount), order: new Int32Array(memberCount), physicianOf: new Int32Array(memberCount).fill(-1) } : undefined;
    const found = new Int32Array(2);
    placeClaims(c, m, { from, to: this.periodTo, rowAt, runStart }, attributed, this.data.categories.length, this.claimsPerCategory, this.claimRow, sums, found);
    if (sums) this.memberClaims = { costs: sums.costs, order: sums.order.subarray(0, found[0]), physicianOf: sums.physicianOf, split: found[1] === 1 };
  }

  /** Each member's plurality physician (−1: none) over the lookback window; only `needed` members when given. */
  private pluralities(needed: Uint8Array | undefined): Int32Array {
    const spec = this.program.attribution;
    const c = this.data.claims;
    const byMember = new Int32Array(this.data.memberIds.length).fill(-1);
    const end = this.periodTo;
    const start = end - (spec.lookbackMonths ?? 12) + 1;
    const sumsAllowed = spec.basis === "allowed charges" || spec.tieBreakers.includes("largest allowed charges");
    const qualifying = this.data.codes.map((code) => (spec.codes.length > 0 ? codeMatches(code, spec.codes) : false));
    const primaryCare = this.data.categories.indexOf("primary_care");
    const byCodes = spec.codes.length > 0;
    const scores = new Map<number, Map<number, { visits: number; allowed: number; latest: number }>>();
    const claimCount = c.length;
    const physicianOf = c.physician;
    const memberOf = c.member;
    const dates = c.date;
    const codeOf = c.code;
    const categoryOf = c.category;
    const allowedOf = c.allowed.scaled;
    for (let k = 0; k < claimCount; k++) {
      const physician = physicianOf[k]!;
      if (physician < 0) continue;
      const member = memberOf[k]!;
      if (needed && !needed[member]) continue;
      const date = dates[k]!;
      const month = monthOfDate(date);
      if (month < start || month > end) continue;
      if (byCodes ? !qualifying[codeOf[k]!] : categoryOf[k] !== primaryCare) continue;
      let perMember = scores.get(member);
      if (!perMember) scores.set(member, (perMember = new Map()));
      const s = perMember.get(physician);
      const allowed = sumsAllowed ? allowedOf[k]! : 0;
      if (s) {
        s.visits++;
        s.allowed += allowed;
        if (date > s.latest) s.latest = date;
      } else perMember.set(physician, { visits: 1, allowed, latest: date });
    }
    const ids = this.data.physicians.map((d) => d.id);
    for (const [member, perPhysician] of scores) {
      const ranked = [...perPhysician].sort(([a, x], [b, y]) => {
        const primary = spec.basis === "allowed charges" ? y.allowed - x.allowed : y.visits - x.visits;
        if (primary !== 0) return primary;
        for (const tb of spec.tieBreakers) {
          const d = tb === "latest claim date" ? y.latest - x.latest : tb === "largest allowed charges" ? y.allowed - x.allowed : cmpText(ids[a]!, ids[b]!);
          if (d !== 0) return d;
        }
        return cmpText(ids[a]!, ids[b]!);
      });
      if (sumsAllowed && ranked.some(([, s]) => !Number.isSafeInteger(s.allowed)))
        fail("PCMH0503", `member ${this.data.memberIds[member]}'s allowed charges are too large to compare exactly.`, { file: "claims", field: "allowed" });
      byMember[member] = ranked[0]![0];
    }
    return byMember;
  }

  // UNITS

  private unitKeyOfPhysician(level: Level, physician: number): string {
    const d = this.data.physicians[physician]!;
    switch (level) {
      case "member":
      case "physician":
        return d.id;
      case "practice":
        return d.practice;
      case "panel":
        return d.panel ?? d.practice;
      case "contract":
        return "contract";
      case "payer":
        return "";
    }
  }

  private unitKey(level: Level, row: number): string {
    return level === "payer" ? this.data.payers[this.data.members.payer[row]!]! : this.unitKeyOfPhysician(level, this.attributed[row]!);
  }

  private units(level: Level, clause: ClauseSpec<Evaluator> | undefined): Map<string, Unit> {
    const mask = clause ? this.eligibility(clause) : undefined;
    const cacheKey = `${level}\u0000${mask ? clause!.title : ""}`;
    const cached = this.unitsCache.get(cacheKey);
    if (cached) return cached;
    const { members: m, claims: c, physicians } = this.data;
    // Provisional unit numbers: by physician, or by payer.
    const ids: string[] = [];
    const idIndex = new Map<string, number>();
    const numberOf = (id: string) => {
      let u = idIndex.get(id);
      if (u === undefined) {
        idIndex.set(id, (u = ids.length));
        ids.push(id);
      }
      return u;
    };
    const byPayer = level === "payer";
    const unitOf = byPayer ? Int32Array.from(this.data.payers, (p) => numberOf(p)) : Int32Array.from(physicians, (_, p) => numberOf(this.unitKeyOfPhysician(level, p)));
    const unitKey = byPayer ? m.payer : this.attributed;
    const counts = new Int32Array(ids.length);
    const pairs: number[][] = ids.map(() => []);
    const seenPairs = new Set<number>();
    let lastPair = -1;
    const P = physicians.length;
    const attributed = this.attributed;
    const claimRow = this.claimRow;
    const whole = !mask && !byPayer;
    if (whole) for (let p = 0; p < P; p++) counts[unitOf[p]!]! += this.rowsPerPhysician[p]!;
    else
      for (let row = 0; row < attributed.length; row++) {
        if (attributed[row]! < 0 || (mask && !mask[row])) continue;
        counts[unitOf[unitKey[row]!]!]!++;
      }
    // Claims are listed only when something asks. Units made of whole physicians list their
    // member-month rows only then too: their counts, risk sums, claim counts and costs come from
    // per-physician and per-member figures.
    const fillRows = (withPairs: boolean): Int32Array[] => {
      const lists = ids.map((_, u) => new Int32Array(counts[u]!));
      const at = new Int32Array(ids.length);
      for (let row = 0; row < attributed.length; row++) {
        if (attributed[row]! < 0 || (mask && !mask[row])) continue;
        const u = unitOf[unitKey[row]!]!;
        lists[u]![at[u]!++] = row;
        if (!withPairs) continue;
        const pair = u * P + attributed[row]!;
        if (pair !== lastPair) {
          lastPair = pair;
          if (!seenPairs.has(pair)) {
            seenPairs.add(pair);
            pairs[u]!.push(attributed[row]!);
          }
        }
      }
      return lists;
    };
    let rowLists: Int32Array[] | undefined;
    if (whole) {
      const byFirstRow = Array.from({ length: P }, (_, p) => p)
        .filter((p) => this.rowsPerPhysician[p]! > 0)
        .sort((a, b) => this.firstRowOfPhysician[a]! - this.firstRowOfPhysician[b]!);
      for (const p of byFirstRow) pairs[unitOf[p]!]!.push(p);
    } else rowLists = fillRows(true);
    const rowsOf = (u: number) => (rowLists ??= fillRows(false))[u]!;
    const unitsOfClaims = () => {
      const units = new Int32Array(c.length);
      for (let k = 0; k < units.length; k++) {
        const row = claimRow[k]!;
        units[k] = row < 0 || (mask && !mask[row]) ? -1 : unitOf[unitKey[row]!]!;
      }
      return units;
    };
    let claimLists: Int32Array[] | undefined;
    const claimsOf = (u: number) => (claimLists ??= listsByGroup(ids.length, unitsOfClaims()))[u]!;
    const units = new Map<string, Unit>();
    const order = ids.map((_, u) => u).filter((u) => counts[u]! > 0).sort((a, b) => cmpText(ids[a]!, ids[b]!));
    for (const u of order) {
      const id = ids[u]!;
      const physicianIndices = pairs[u]!;
      units.set(id, {
        level,
        id,
        label: level === "contract" ? "the contract" : `${level === "member" ? "physician" : level} ${id}`,
        get rows() {
          return rowsOf(u);
        },
        rowCount: counts[u]!,
        get claims() {
          return claimsOf(u);
        },
        physicianIndices,
        wholePhysicians: whole,
        physicians: new Set(physicianIndices.map((p) => physicians[p]!.id)),
        practices: new Set(physicianIndices.map((p) => physicians[p]!.practice)),
        cache: new Map(),
      });
    }
    this.unitsCache.set(cacheKey, units);
    return units;
  }

  /** Which member-months a clause applies to (payers, effective dates, eligibility); undefined: all. */
  private eligibility(clause: ClauseSpec<Evaluator>): Uint8Array | undefined {
    if (!clause.payers && !clause.effective && !clause.eligible) return undefined;
    if (this.eligibilityCache.has(clause.title)) return this.eligibilityCache.get(clause.title);
    const m = this.data.members;
    const mask = new Uint8Array(m.length);
    const payerOk = Uint8Array.from(this.data.payers, (p) => (!clause.payers || clause.payers.includes(p) ? 1 : 0));
    const from = clause.effective ? monthIndex(clause.effective.from) : -Infinity;
    const to = clause.effective?.to ? monthIndex(clause.effective.to) : Infinity;
    const memo = new Map<number | string, boolean>();
    const reads = clause.eligibleReads;
    const column = reads?.length === 1 ? this.readColumn(reads[0]!) : undefined;
    const attributed = this.attributed;
    const months = m.month;
    const payerOf = m.payer;
    // Consecutive member-months mostly share their key: the last decision is kept.
    let lastKey: number | string = NaN;
    let lastOk = false;
    for (let row = 0; row < mask.length; row++) {
      if (attributed[row]! < 0) continue;
      const month = months[row]!;
      if (!payerOk[payerOf[row]!] || month < from || month > to) continue;
      let ok = true;
      if (clause.eligible) {
        if (reads) {
          const key = column ? column[row]! : this.memoKey(reads, row, -1);
          if (key !== lastKey) {
            let hit = memo.get(key);
            if (hit === undefined) memo.set(key, (hit = clause.eligible(this.memberScope(row, clause)) === true));
            lastKey = key;
            lastOk = hit;
          }
          ok = lastOk;
        } else ok = clause.eligible(this.memberScope(row, clause)) === true;
      }
      if (ok) mask[row] = 1;
    }
    this.eligibilityCache.set(clause.title, mask);
    return mask;
  }

  /** A key that is equal for two rows exactly when every one of `reads` is equal for them. */
  private memoKey(reads: readonly string[], row: number, claim: number): number | string {
    if (reads.length === 1) return this.readKey(reads[0]!, row, claim);
    let key = "";
    for (const r of reads) key += `${this.readKey(r, row, claim)},`;
    return key;
  }

  /** The member-month column a single read is, when it is one. */
  private readColumn(read: string): ArrayLike<number> | undefined {
    const m = this.data.members;
    return read === "member risk score" ? m.riskScore.scaled : read === "member age" ? m.age.scaled : read === "member lob" ? m.lob : undefined;
  }

  private readKey(read: string, row: number, claim: number): number {
    const { members: m, claims: c } = this.data;
    switch (read) {
      case "member risk score":
        return m.riskScore.scaled[row]!;
      case "member age":
        return m.age.scaled[row]!;
      case "member lob":
        return m.lob[row]!;
      case "practice risk group":
      case "practice recognition level":
        return this.practiceOf[this.attributed[row]!]!;
      case "allowed":
        return claim < 0 ? NaN : c.allowed.scaled[claim]!;
      case "claim units":
        return claim < 0 ? NaN : c.units.scaled[claim]!;
      default:
        return 0;
    }
  }

  private inForce(clause: ClauseSpec<Evaluator>): boolean {
    if (!clause.effective) return true;
    return clause.effective.from.slice(0, 7) <= this.period.to && (!clause.effective.to || clause.effective.to.slice(0, 7) >= this.period.from);
  }

  // SCOPES (the Env that expressions see)

  private memberScope(row: number, clause: ClauseSpec<Evaluator> | undefined, claim = -1): Scope {
    return new Scope(this, { kind: claim >= 0 ? "claim" : "member", row, claim }, clause);
  }

  unitScope(unit: Unit, clause: ClauseSpec<Evaluator> | undefined, savings?: SavingsFigures): Scope {
    return new Scope(this, { kind: "unit", unit, ...(savings ? { savings } : {}) }, clause);
  }

  /** "member M1 in 2026-03", for messages. */
  memberMonthText(row: number): string {
    return `member ${this.data.memberIds[this.data.members.member[row]!]} in ${monthText(this.data.members.month[row]!)}`;
  }

  practiceOfRow(row: number): PracticeRow {
    return this.data.practices[this.practiceOf[this.attributed[row]!]!]!;
  }

  /** Distinct members among member-month rows. */
  distinctMembers(rows: Int32Array): number {
    const mark = ++this.mark;
    const member = this.data.members.member;
    let count = 0;
    for (let k = 0; k < rows.length; k++) {
      const who = member[rows[k]!]!;
      if (this.memberMark[who] !== mark) {
        this.memberMark[who] = mark;
        count++;
      }
    }
    return count;
  }

  private physicianRiskSums: Float64Array | undefined;

  /** The exact sum of the unit's member-month risk scores; per physician once, when the unit is made of whole physicians. */
  riskSum(unit: Unit): Dec {
    const risk = this.data.members.riskScore;
    if (!unit.wholePhysicians) return exactSum(risk, unit.rows);
    if (!this.physicianRiskSums) {
      const sums = new Float64Array(this.data.physicians.length);
      if (!(sumPerPhysician(this.attributed, risk.scaled, sums) <= Number.MAX_SAFE_INTEGER)) return exactSum(risk, unit.rows);
      this.physicianRiskSums = sums;
    }
    let total = 0;
    for (const p of unit.physicianIndices) total += this.physicianRiskSums[p]!;
    return scaledToDec(total, risk.places);
  }

  private memberCosts: Float64Array | undefined;

  /** Scratch per-member sums, all NaN; whoever uses it puts NaN back. */
  memberCost(): Float64Array {
    return (this.memberCosts ??= new Float64Array(this.data.memberIds.length).fill(NaN));
  }

  /** The unit's claims in a category; per physician, when the unit is made of whole physicians. */
  claimsInCategory(unit: Unit, category: string): number {
    const index = this.data.categories.indexOf(category);
    if (index < 0) return 0;
    let n = 0;
    if (unit.wholePhysicians) {
      const categoryCount = this.data.categories.length;
      for (const p of unit.physicianIndices) n += this.claimsPerCategory[p * categoryCount + index]!;
      return n;
    }
    const categories = this.data.claims.category;
    const claims = unit.claims;
    for (let k = 0; k < claims.length; k++) if (categories[claims[k]!] === index) n++;
    return n;
  }

  /** Allowed amounts per physician when their sum is exact; null when it might not be. */
  private physicianAllowed: Float64Array | null | undefined;

  /** The exact sum of the allowed amounts of the unit's claims; per physician once, when the unit is made of whole physicians. */
  allowedSum(unit: Unit): Dec {
    const allowed = this.data.claims.allowed;
    if (!unit.wholePhysicians) return exactSum(allowed, unit.claims);
    if (this.physicianAllowed === undefined) {
      const sums = new Float64Array(this.data.physicians.length);
      this.physicianAllowed = sumClaimsPerPhysician(this.claimRow, this.attributed, allowed.scaled, sums) <= Number.MAX_SAFE_INTEGER ? sums : null;
    }
    if (!this.physicianAllowed) return exactSum(allowed, unit.claims);
    let total = 0;
    for (const p of unit.physicianIndices) total += this.physicianAllowed[p]!;
    return scaledToDec(total, allowed.places);
  }

  private readonly membersByLevel = new Map<Level, Map<Unit, Int32Array>>();

  /**
   * For a unit made of whole physicians: its members' allowed costs (scaled), members in order of
   * their first claim; undefined unless a clause stops losses per member and each member's claims
   * are at one physician.
   */
  memberCostsIn(unit: Unit): { costs: Float64Array; members: Int32Array } | undefined {
    const known = this.memberClaims;
    if (!known || known.split) return undefined;
    let members = this.membersByLevel.get(unit.level);
    if (!members) this.membersByLevel.set(unit.level, (members = this.membersByUnit(unit.level, known)));
    return { costs: known.costs, members: members.get(unit)! };
  }

  /** The members of each unit of a level, in order of their first claim, when each member's claims are at one physician. */
  private membersByUnit(level: Level, known: { order: Int32Array; physicianOf: Int32Array }): Map<Unit, Int32Array> {
    const units = [...this.units(level, undefined).values()];
    const unitOfPhysician = new Int32Array(this.data.physicians.length).fill(-1);
    units.forEach((unit, u) => {
      for (const p of unit.physicianIndices) unitOfPhysician[p] = u;
    });
    const { order, physicianOf } = known;
    const lists = listsByGroup(units.length, unitsOfMembers(order, physicianOf, unitOfPhysician), order);
    return new Map(units.map((unit, u) => [unit, lists[u]!]));
  }

  param(name: string): Value {
    const v = this.params.get(name);
    if (v === undefined) fail("PCMH0513", `parameter ${name} has no value in the contract, and none was set for this settlement (--set ${name}=…).`);
    return v;
  }

  showParameter(name: string): string {
    let text = this.parameterText.get(name);
    if (text === undefined) {
      const spec = this.program.parameters.find((p) => p.name === name);
      const value = this.params.get(name);
      text = spec && typeof value === "object" ? show(spec, value) : String(value);
      this.parameterText.set(name, text);
    }
    return text;
  }

  private readonly parameterText = new Map<string, string>();

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

  /** The unit's first member-month row: for whole physicians, the first row of its first physician. */
  firstRow(unit: Unit): number {
    return unit.wholePhysicians ? this.firstRowOfPhysician[unit.physicianIndices[0]!]! : unit.rows[0]!;
  }

  /** The unit at `level` enclosing a unit at a finer level (its first member-month decides). */
  enclosing(unit: Unit, level: Level, clause: ClauseSpec<Evaluator> | undefined): Unit {
    if (unit.level === level || (unit.level === "member" && level === "physician")) return unit;
    if (levelOrder.indexOf(level) < levelOrder.indexOf(unit.level) || level === "payer" || unit.level === "payer")
      fail("PCMH0513", `a value measured per ${level} can't be used for ${unit.label}.`, { clause: clause?.title ?? "", unit: unit.label });
    if (unit.rowCount === 0) fail("PCMH0513", `${unit.label} has no member-months.`, { clause: clause?.title ?? "" });
    return this.units(level, undefined).get(this.unitKey(level, this.firstRow(unit)))!;
  }

  qualityOf(unit: Unit, measure: string): { numerator: Dec; denominator: Dec } {
    let numerator = ZERO;
    let denominator = ZERO;
    for (const q of this.data.quality) {
      if (q.measure !== measure) continue;
      const inside = q.level === "physician" ? unit.physicians.has(q.id) : unit.practices.has(q.id) && unit.level !== "physician" && unit.level !== "member";
      if (!inside) continue;
      numerator = numerator.add(new Dec(q.numerator));
      denominator = denominator.add(new Dec(q.denominator));
    }
    return { numerator, denominator };
  }

  /**
   * The unit's baseline: its own row when the data has one, otherwise the sum of the rows one level
   * finer inside it (a panel's practices, a practice's physicians), never rows of two levels at once.
   */
  baselineOf(unit: Unit): { memberMonths: Dec; cost: Dec; riskWeighted: Dec } {
    const cached = this.baselines.get(unit);
    if (cached) return cached;
    const preference: Record<Level, readonly BaselineRow["level"][]> = {
      contract: ["contract", "panel", "practice", "physician"],
      payer: ["practice", "physician"],
      panel: ["panel", "practice", "physician"],
      practice: ["practice", "physician"],
      physician: ["physician"],
      member: ["physician"],
    };
    const inside = (b: BaselineRow) =>
      b.level === "contract" ? true : b.level === "panel" ? unit.level === "contract" || unit.id === b.id : b.level === "practice" ? unit.practices.has(b.id) : unit.physicians.has(b.id);
    for (const level of preference[unit.level]) {
      const rows = this.data.baseline.filter((b) => b.level === level && inside(b));
      if (rows.length === 0) continue;
      let memberMonths = ZERO;
      let cost = ZERO;
      let riskWeighted = ZERO;
      for (const b of rows) {
        const mm = new Dec(b.memberMonths);
        memberMonths = memberMonths.add(mm);
        cost = cost.add(new Dec(b.cost));
        riskWeighted = riskWeighted.add(new Dec(b.riskScore).mul(mm));
      }
      const found = { memberMonths, cost, riskWeighted };
      this.baselines.set(unit, found);
      return found;
    }
    return fail("PCMH0513", `there is no baseline for ${unit.label}.`, { file: "baseline" });
  }

  private readonly baselines = new Map<Unit, { memberMonths: Dec; cost: Dec; riskWeighted: Dec }>();

  // FEES: per claim line and per member-month, aggregated by recipient, payer and period

  private recipientOf(clause: ClauseSpec<Evaluator>, physician: PhysicianRow): Recipient {
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

  /**
   * Fees per claim line or per member-month. Each line (recipient, payer, period) counts its items
   * per distinct amount; an amount that depends only on the clause's listed reads is computed once
   * per distinct combination of them. Each line is the exact sum of count × amount.
   */
  private settleFee(clause: ClauseSpec<Evaluator>) {
    if (clause.kind !== "claim fee" && clause.kind !== "monthly fee" && !(clause.kind === "incentive" && clause.inAdvance)) return;
    const feesPaid = clause.paidEvery ?? this.program.header.feesPaid;
    const termFrom = this.program.header.term.from;
    const { members: m, claims: c, physicians } = this.data;
    const perClaim = clause.kind === "claim fee";
    const kind: LineKind = clause.kind === "incentive" ? "advance" : "payment";
    const text = clause.payText;
    const table = clause.kind === "monthly fee" ? clause.table : undefined;
    const mask = this.eligibility(clause);
    const reads = clause.memberReads;

    // Line numbers: recipient (by physician) × payer × fee period (by month).
    const recipients: string[] = [];
    const recipientIndex = new Map<string, number>();
    const recipientOfPhysician = new Int32Array(physicians.length).fill(-1);
    const recipient = (physician: number) => {
      let r = recipientOfPhysician[physician]!;
      if (r < 0) {
        const name = this.recipientOf(clause, physicians[physician]!);
        r = recipientIndex.get(name) ?? recipients.length;
        if (r === recipients.length) {
          recipients.push(name);
          recipientIndex.set(name, r);
        }
        recipientOfPhysician[physician] = r;
      }
      return r;
    };
    const span = this.periodTo - this.periodFrom + 1;
    const periods: string[] = [];
    const periodOfMonth = Int32Array.from({ length: span }, (_, k) => {
      const label = periodLabel(monthText(this.periodFrom + k), feesPaid, termFrom);
      let p = periods.indexOf(label);
      if (p < 0) p = periods.push(label) - 1;
      return p;
    });
    const payerCount = this.data.payers.length;
    const lineKey = (r: number, payer: number, month: number) => (r * payerCount + payer) * periods.length + periodOfMonth[month - this.periodFrom]!;

    // Distinct amounts, and per line the count of items per amount (and per code, for claims).
    const amounts: { rate: Dec; note: string }[] = [];
    const amountByText = new Map<string, number>();
    const memo = new Map<number | string, number>();
    const codeCount = this.data.codes.length;
    const lines = new Map<number, Map<number, number>>();
    const amountOf = (row: number, claim: number): number => {
      const key = reads ? this.memoKey(reads, row, claim) : undefined;
      if (key !== undefined) {
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
      }
      const scope = this.memberScope(row, clause, claim);
      let rate: Dec;
      let note: string;
      if (table) {
        const found = lookupRow(table, scope, clause.title);
        rate = num(found.value);
        note = `${table.keyText} ${found.row.text}`;
      } else {
        rate = num((clause as { pay: Evaluator }).pay(scope));
        note = text;
      }
      const byText = `${plain(rate)}\u0000${note}`;
      let index = amountByText.get(byText);
      if (index === undefined) {
        index = amounts.push({ rate, note }) - 1;
        amountByText.set(byText, index);
      }
      if (key !== undefined) memo.set(key, index);
      return index;
    };
    const count = (line: number, item: number) => {
      let counts = lines.get(line);
      if (!counts) lines.set(line, (counts = new Map()));
      counts.set(item, (counts.get(item) ?? 0) + 1);
    };

    const layout: FeeLayout = { kind, periods, recipients, payerCount, periodOfMonth };
    if (perClaim && clause.perAllowed && this.settlePerAllowed(clause, clause.perAllowed, mask, recipient, layout)) return;
    if (perClaim) {
      const paid = this.paidCodes(clause as ClauseSpec<Evaluator> & { kind: "claim fee" });
      const claimRow = this.claimRow;
      const physicianOf = c.physician;
      const codeOf = c.code;
      const payerOf = m.payer;
      const monthOf = m.month;
      for (let k = 0; k < claimRow.length; k++) {
        const row = claimRow[k]!;
        const physician = physicianOf[k]!;
        const code = codeOf[k]!;
        if (row < 0 || physician < 0 || !paid[code] || (mask && !mask[row])) continue;
        const a = amountOf(row, k);
        count(lineKey(recipient(physician), payerOf[row]!, monthOf[row]!), a * codeCount + code);
      }
    } else {
      // Member-months: counts in a dense array (line × amount), growing as amounts appear.
      const lineCount = physicians.length * payerCount * periods.length;
      if (physicians.length * payerCount * Math.max(periods.length, span + 1) > 1 << 21) {
        // Beyond a few million lines (physicians × payers × periods, or months) counts go to maps instead.
        const attributed = this.attributed;
        const payerOf = m.payer;
        const monthOf = m.month;
        for (let row = 0; row < attributed.length; row++) {
          const physician = attributed[row]!;
          if (physician < 0 || (mask && !mask[row])) continue;
          count(lineKey(recipient(physician), payerOf[row]!, monthOf[row]!), amountOf(row, -1));
        }
      } else {
        const band = table?.bandKey ? this.bandColumn(table.bandKey) : undefined;
        const column = band ? band.scaled : reads?.length === 1 ? this.readColumn(reads[0]!) : undefined;
        const amountOfKey = byWholeKey(band ? this.bandAmounts(table!, clause, band.places, amountOf) : (row) => amountOf(row, -1));
        const counting: FeeRowCounts = {
          attributed: this.attributed,
          mask,
          column,
          constant: reads?.length === 0,
          payerOf: m.payer,
          monthOf: m.month,
          periodOfMonth,
          firstMonth: this.periodFrom,
          payerCount,
          periodCount: periods.length,
          recipient,
          amountOfKey,
          amountOfRow: amountOf,
          dense: new Float64Array(lineCount * 4),
          width: 4,
        };
        for (let row = countFeeRows(counting, 0); row < this.attributed.length; row = countFeeRows(counting, row)) {
          const { dense, width } = counting;
          const wider = new Float64Array(lineCount * width * 2);
          for (let line = 0; line < lineCount; line++) wider.set(dense.subarray(line * width, (line + 1) * width), line * width * 2);
          counting.dense = wider;
          counting.width = width * 2;
        }
        const { dense, width } = counting;
        for (let line = 0; line < lineCount; line++)
          for (let a = 0; a < amounts.length; a++) {
            const n = dense[line * width + a]!;
            if (n === 0) continue;
            let counts = lines.get(line);
            if (!counts) lines.set(line, (counts = new Map()));
            counts.set(a, n);
          }
      }
    }

    // Amounts as whole numbers at one scale, when they all fit: totals are then sums of integers.
    const places = amounts.reduce((most, a) => Math.max(most, a.rate.decimalPlaces()), 0);
    let scaled: Float64Array | undefined = places <= 15 ? new Float64Array(amounts.length) : undefined;
    for (let a = 0; scaled && a < amounts.length; a++) {
      const v = amounts[a]!.rate.mul(`1e${places}`).toNumber();
      if (Number.isSafeInteger(v)) scaled[a] = v;
      else scaled = undefined;
    }
    const amountKeys = perClaim ? [] : amounts.map((a) => `${plain(a.rate)}\u0000${a.note}`);
    for (const [line, counts] of lines) this.putFeeLine(clause, layout, line, (scaled && this.scaledGroups(counts, scaled, places, amounts, amountKeys, perClaim, codeCount)) || this.decimalGroups(counts, amounts, amountKeys, perClaim, codeCount));
  }

  /** The member-month column a band table is keyed by. */
  private bandColumn(key: "member risk score" | "member age"): ExactColumn {
    return key === "member risk score" ? this.data.members.riskScore : this.data.members.age;
  }

  /**
   * A band table's amount by scaled key: the table's bounds cut the keys into bands within which
   * every row matches alike, so each band's first member-month is looked up (and fails) as any
   * other would be, and the rest of the band shares its amount. Bounds are evaluated at the first
   * member-month; if one is not an exact number or fails, every key is looked up.
   */
  private bandAmounts(table: TableSpec<Evaluator>, clause: ClauseSpec<Evaluator>, places: number, amountOf: (row: number, claim: number) => number): (row: number, key: number) => number {
    let thresholds: Float64Array | undefined;
    let amounts = new Int32Array(0);
    let ready = false;
    return (row, key) => {
      if (!ready) {
        ready = true;
        thresholds = bandThresholds(table, this.memberScope(row, clause), places);
        if (thresholds) amounts = new Int32Array(2 * thresholds.length + 1);
      }
      if (!thresholds || !Number.isSafeInteger(key)) return amountOf(row, -1);
      const band = bandOf(thresholds, key);
      let a = amounts[band]! - 1;
      if (a < 0) amounts[band] = (a = amountOf(row, -1)) + 1;
      return a;
    };
  }

  /** Which of the data's claim codes a claim fee pays on (1) or not (0). */
  private paidCodes(clause: ClauseSpec<Evaluator> & { kind: "claim fee" }): Uint8Array {
    return Uint8Array.from(this.data.codes, (code) => (codeMatches(code, clause.codes) ? 1 : 0));
  }

  /** Stores fee line `line` (recipient × payer × period, numbered as in settleFee): the sum of its subtotals. */
  private putFeeLine(clause: ClauseSpec<Evaluator>, layout: FeeLayout, line: number, groups: Map<string, Group>) {
    const perPeriod = layout.periods.length;
    const period = layout.periods[line % perPeriod]!;
    const payer = this.data.payers[Math.floor(line / perPeriod) % layout.payerCount]!;
    const recipient = layout.recipients[Math.floor(line / perPeriod / layout.payerCount)]!;
    // Subtotals at one scale add up as integers while the sum stays exact.
    let amount = ZERO;
    let units = 0;
    let magnitude = 0;
    let scale = -1;
    for (const { total } of groups.values()) {
      if (!("units" in total) || (scale >= 0 && total.scale !== scale)) {
        scale = -2;
        break;
      }
      scale = total.scale;
      units += total.units;
      magnitude += Math.abs(total.units);
    }
    if (scale >= 0 && magnitude <= Number.MAX_SAFE_INTEGER) amount = scaledToDec(units, scale);
    else for (const g of groups.values()) amount = amount.add(decOf(g.total));
    const id = `${clause.title}\u0000${layout.kind}\u0000${recipient}\u0000${payer}\u0000${period}`;
    this.lines.set(id, { clause: clause.title, kind: layout.kind, recipient, payer, period, amount, rounding: this.rounding(clause), trace: { ...feeRule(clause), steps: [] }, groups });
  }

  /**
   * A claim fee that is a factor times each claim's allowed amount: allowed amounts are summed as
   * integers per line and code, and each code's subtotal is the factor times its sum, which is
   * exactly the sum of the claims' amounts. False (nothing done) when a sum could lose a digit.
   */
  private settlePerAllowed(clause: ClauseSpec<Evaluator> & { kind: "claim fee" }, factorOf: Evaluator, mask: Uint8Array | undefined, recipient: (physician: number) => number, layout: FeeLayout): boolean {
    const { claims: c, codes, physicians } = this.data;
    const paidCodes: number[] = [];
    const paidIndex = Int32Array.from(this.paidCodes(clause), (paid, code) => (paid ? paidCodes.push(code) - 1 : -1));
    const keyCount = physicians.length * layout.payerCount * layout.periods.length * paidCodes.length;
    const sums = keyCount <= Math.max(1 << 16, 2 * c.length) ? this.allowedSums(paidIndex, paidCodes.length, keyCount, mask, recipient, layout) : this.allowedSumsSparse(paidIndex, paidCodes.length, mask, recipient, layout);
    if (!sums) return false;
    if (sums.first < 0) return true;
    const factor = num(factorOf(this.memberScope(this.claimRow[sums.first]!, clause, sums.first)));
    // The factor as whole units at its scale: subtotals are then whole units too, while they fit.
    const places = c.allowed.places;
    const factorScale = factor.decimalPlaces();
    const factorUnits = factorScale + places <= 15 ? factor.mul(`1e${factorScale}`).toNumber() : NaN;
    const byLine = new Map<number, Map<string, Group>>();
    for (let i = 0; i < sums.keys.length; i++) {
      const key = sums.keys[i]!;
      const lineNumber = Math.floor(key / paidCodes.length);
      const code = codes[paidCodes[key % paidCodes.length]!]!;
      let groups = byLine.get(lineNumber);
      if (!groups) byLine.set(lineNumber, (groups = new Map()));
      const units = factorUnits * sums.totals[i]!;
      const total = Number.isSafeInteger(factorUnits) && Math.abs(units) <= Number.MAX_SAFE_INTEGER ? { units, scale: factorScale + places } : factor.mul(scaledToDec(sums.totals[i]!, places));
      groups.set(code, { count: sums.counts[i]!, total, note: `claims on code ${code}` });
    }
    for (const [lineNumber, groups] of byLine) this.putFeeLine(clause, layout, lineNumber, groups);
    return true;
  }

  /**
   * Allowed amounts of paid claims summed per key (line × paid codes + paid code) in an array of
   * every key: keys in order of their first claim, with their claim counts and sums, and the
   * first claim (−1: none). Undefined when a sum could lose a digit.
   */
  private allowedSums(paidIndex: Int32Array, paidCount: number, keyCount: number, mask: Uint8Array | undefined, recipient: (physician: number) => number, layout: FeeLayout): AllowedSums | undefined {
    const { members: m, claims: c, physicians } = this.data;
    const { payerCount, periodOfMonth } = layout;
    const periodCount = layout.periods.length;
    const firstMonth = this.periodFrom;
    const claimRow = this.claimRow;
    const physicianOf = c.physician;
    const codeOf = c.code;
    const payerOf = m.payer;
    const monthOf = m.month;
    const allowed = c.allowed.scaled;
    const recipientOf = new Int32Array(physicians.length).fill(-1);
    const counts = new Int32Array(keyCount);
    const sums = new Float64Array(keyCount);
    /** Sums of magnitudes, once an amount is negative; until then they are the sums. */
    let magnitudes: Float64Array | undefined;
    const order = new Int32Array(Math.min(keyCount, claimRow.length));
    let used = 0;
    let first = -1;
    for (let k = 0; k < claimRow.length; k++) {
      const physician = physicianOf[k]!;
      if (physician < 0) continue;
      const code = paidIndex[codeOf[k]!]!;
      const row = claimRow[k]!;
      if (!(code >= 0) || row < 0 || (mask && !mask[row])) continue;
      if (first < 0) first = k;
      let r = recipientOf[physician]!;
      if (r < 0) recipientOf[physician] = r = recipient(physician);
      const key = ((r * payerCount + payerOf[row]!) * periodCount + periodOfMonth[monthOf[row]! - firstMonth]!) * paidCount + code;
      if (counts[key]!++ === 0) order[used++] = key;
      const v = allowed[k]!;
      if (v < 0 && !magnitudes) magnitudes = sums.slice();
      sums[key] += v;
      if (magnitudes) magnitudes[key] += Math.abs(v);
    }
    const magnitude = magnitudes ?? sums;
    const keys = new Float64Array(used);
    const keyCounts = new Int32Array(used);
    const totals = new Float64Array(used);
    for (let i = 0; i < used; i++) {
      const key = order[i]!;
      if (!(magnitude[key]! <= Number.MAX_SAFE_INTEGER)) return undefined;
      keys[i] = key;
      keyCounts[i] = counts[key]!;
      totals[i] = sums[key]!;
    }
    return { first, keys, counts: keyCounts, totals };
  }

  /** allowedSums for more keys than an array should hold: sums per key in a map. */
  private allowedSumsSparse(paidIndex: Int32Array, paidCount: number, mask: Uint8Array | undefined, recipient: (physician: number) => number, layout: FeeLayout): AllowedSums | undefined {
    const { members: m, claims: c } = this.data;
    const periodCount = layout.periods.length;
    const sums = new Map<number, { count: number; sum: number; magnitude: number }>();
    const claimRow = this.claimRow;
    const physicianOf = c.physician;
    const codeOf = c.code;
    const allowed = c.allowed.scaled;
    const payerOf = m.payer;
    const monthOf = m.month;
    let first = -1;
    for (let k = 0; k < claimRow.length; k++) {
      const row = claimRow[k]!;
      const physician = physicianOf[k]!;
      const code = paidIndex[codeOf[k]!]!;
      if (row < 0 || physician < 0 || !(code >= 0) || (mask && !mask[row])) continue;
      if (first < 0) first = k;
      const key = ((recipient(physician) * layout.payerCount + payerOf[row]!) * periodCount + layout.periodOfMonth[monthOf[row]! - this.periodFrom]!) * paidCount + code;
      const v = allowed[k]!;
      const s = sums.get(key);
      if (s) {
        s.count++;
        s.sum += v;
        s.magnitude += Math.abs(v);
      } else sums.set(key, { count: 1, sum: v, magnitude: Math.abs(v) });
    }
    for (const s of sums.values()) if (!(s.magnitude <= Number.MAX_SAFE_INTEGER)) return undefined;
    const values = [...sums.values()];
    return { first, keys: Float64Array.from(sums.keys()), counts: Int32Array.from(values, (s) => s.count), totals: Float64Array.from(values, (s) => s.sum) };
  }

  /** A fee line's subtotals (per code for claims, per amount otherwise), in integer sums; undefined if they could lose a digit. */
  private scaledGroups(counts: Map<number, number>, scaled: Float64Array, places: number, amounts: readonly { rate: Dec; note: string }[], amountKeys: readonly string[], perClaim: boolean, codeCount: number): Map<string, Group> | undefined {
    const sums = new Map<string, { count: number; sum: number; magnitude: number; amount: number }>();
    for (const [item, n] of counts) {
      const a = perClaim ? Math.floor(item / codeCount) : item;
      const key = perClaim ? this.data.codes[item % codeCount]! : amountKeys[a]!;
      const v = scaled[a]! * n;
      const g = sums.get(key);
      if (g) {
        g.count += n;
        g.sum += v;
        g.magnitude += Math.abs(v);
      } else sums.set(key, { count: n, sum: v, magnitude: Math.abs(v), amount: a });
    }
    const groups = new Map<string, Group>();
    for (const [key, g] of sums) {
      if (!(g.magnitude <= Number.MAX_SAFE_INTEGER)) return undefined;
      const total = { units: g.sum, scale: places };
      const a = amounts[g.amount]!;
      groups.set(key, perClaim ? { count: g.count, total, note: `claims on code ${key}` } : { count: g.count, each: a.rate, total, note: a.note });
    }
    return groups;
  }

  private decimalGroups(counts: Map<number, number>, amounts: readonly { rate: Dec; note: string }[], amountKeys: readonly string[], perClaim: boolean, codeCount: number): Map<string, Group> {
    const groups = new Map<string, Group>();
    for (const [item, n] of counts) {
      const a = amounts[perClaim ? Math.floor(item / codeCount) : item]!;
      const subtotal = a.rate.mul(n);
      const groupKey = perClaim ? this.data.codes[item % codeCount]! : amountKeys[item]!;
      const g = groups.get(groupKey);
      if (g) {
        g.count += n;
        g.total = decOf(g.total).add(subtotal);
      } else groups.set(groupKey, perClaim ? { count: n, total: subtotal, note: `claims on code ${groupKey}` } : { count: n, each: a.rate, total: subtotal, note: a.note });
    }
    return groups;
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
    const physicians = this.data.physicians;
    const recipientOfPhysician = new Map<number, string>();
    for (const p of unit.physicianIndices) {
      const d = physicians[p]!;
      recipientOfPhysician.set(p, recipientLevel === "physician" ? `physician:${d.id}` : recipientLevel === "panel" ? `panel:${d.panel ?? d.practice}` : `practice:${d.practice}`);
    }
    const recipients = [...new Set(recipientOfPhysician.values())].sort();
    const recipientNumber = new Map(recipients.map((r, i) => [r, i]));
    let rowsPerPhysician = this.rowsPerPhysician;
    if (!unit.wholePhysicians) {
      rowsPerPhysician = new Int32Array(physicians.length);
      const rows = unit.rows;
      for (let k = 0; k < rows.length; k++) rowsPerPhysician[this.attributed[rows[k]!]!]!++;
    }
    const weights = recipients.map(() => 0);
    if (basis === "attributed members") {
      const seen = recipients.map(() => new Set<number>());
      const member = this.data.members.member;
      const rows = unit.rows;
      for (let k = 0; k < rows.length; k++) seen[recipientNumber.get(recipientOfPhysician.get(this.attributed[rows[k]!]!)!)!]!.add(member[rows[k]!]!);
      seen.forEach((s, i) => (weights[i] = s.size));
    } else for (const [p, r] of recipientOfPhysician) weights[recipientNumber.get(r)!]! += rowsPerPhysician[p]!;
    const shares = allocate(
      pool,
      weights.map((w) => (basis === "equal shares" ? ONE : new Dec(w))),
      rounding.places,
    );
    const whole = basis === "attributed members" ? this.distinctMembers(unit.rows) : unit.rowCount;
    recipients.forEach((r, i) => {
      const share = shares[i]!;
      const steps = [
        ...trace.steps,
        { name: `pool for ${unit.label}`, value: money(pool) },
        { name: `allocated by ${basis}`, value: basis === "equal shares" ? `1 of ${recipients.length}` : `${weights[i]} of ${whole}`, note: "largest remainder, to the cent" },
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
    const recipients = new Set(unit.physicianIndices.map((p) => this.recipientOf(clause, this.data.physicians[p]!)));
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
      const mm = new Dec(unit.rowCount);
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
      if (kind === "panel" && u.physicianIndices.some((p) => (this.data.physicians[p]!.panel ?? this.data.physicians[p]!.practice) === id)) return u;
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
    return { level: "contract", id: "none", label: "no unit", rows: new Int32Array(0), rowCount: 0, claims: new Int32Array(0), physicianIndices: [], wholePhysicians: false, physicians: new Set(), practices: new Set(), cache: new Map() };
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
    // by the contract's order of clauses (the first clause of a title), then kind, recipient, payer, period
    const clauseOrder = new Map<string, number>();
    this.program.clauses.forEach((c, i) => clauseOrder.has(c.title) || clauseOrder.set(c.title, i));
    const clauseIndex = (title: string) => clauseOrder.get(title) ?? -1;
    const pending = [...this.lines.values()].sort(
      (a, b) =>
        clauseIndex(a.clause) - clauseIndex(b.clause) ||
        kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
        cmpText(a.recipient, b.recipient) ||
        cmpText(a.payer ?? "", b.payer ?? "") ||
        cmpText(a.period, b.period),
    );
    // Each line's amount as stated, to add up totals: the rounded amount itself when it has cents at most.
    const stated: Dec[] = [];
    const lines: StatementLine[] = pending.map((l, i) => {
      const amount = roundTo(l.amount, l.rounding.places, l.rounding.mode);
      const text = formatAmount(amount, 2);
      stated.push(l.rounding.places <= 2 ? amount : new Dec(text));
      const steps = !this.explain
        ? []
        : l.groups
        ? [...l.groups.values()]
            .sort((x, y) => cmpText(x.note, y.note))
            .map((g) => ({ name: g.note, value: "units" in g.total ? formatScaled(g.total.units, g.total.scale) : money(g.total), note: g.each ? `${g.count} × ${plain(g.each)}` : `${g.count} claim line${g.count === 1 ? "" : "s"}` }))
        : l.trace.steps;
      const rounded = !this.explain || amount.eq(l.amount) ? [] : [{ name: `rounded ${l.rounding.mode} to ${l.rounding.places === 0 ? "dollars" : "cents"}`, value: formatAmount(amount, l.rounding.places), note: `from ${plain(l.amount)}` }];
      const trace: Trace = { rule: l.trace.rule, ...(l.trace.cite ? { cite: l.trace.cite } : {}), ...(l.trace.unit ? { unit: l.trace.unit } : {}), steps: [...steps, ...rounded] };
      return { id: i + 1, clause: l.clause, kind: l.kind, recipient: l.recipient, ...(l.payer ? { payer: l.payer } : {}), period: l.period, amount: text, trace };
    });
    const sum = (key: (l: StatementLine) => string | undefined) => {
      const out = new Map<string, Dec>();
      lines.forEach((l, i) => {
        const k = key(l);
        if (k !== undefined) out.set(k, (out.get(k) ?? ZERO).add(stated[i]!));
      });
      return Object.fromEntries([...out].sort(([a], [b]) => cmpText(a, b)).map(([k, v]) => [k, formatAmount(v, 2)]));
    };
    const total = stated.reduce((s, x) => s.add(x), ZERO);
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

}

const kindOrder: LineKind[] = ["payment", "advance", "recoupment", "withhold", "withhold return", "adjustment"];

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rule a fee line's trace names. */
function feeRule(clause: ClauseSpec<Evaluator>): { rule: string; cite?: string } {
  const text = (clause as { payText: string }).payText;
  const rule = clause.kind === "claim fee" ? `fee on codes ${codesText(clause.codes)}: pay ${text} per claim line` : `${clause.kind === "incentive" ? "paid in advance" : "monthly fee"}: ${text} per member-month`;
  return { rule, ...(clause.cite ? { cite: clause.cite } : {}) };
}

// GROUPING

/** items[i] (i itself without items) for i < groupOf.length, listed by group in order of i; groupOf[i] = −1 leaves i out. */
function listsByGroup(groupCount: number, groupOf: Int32Array, items?: ArrayLike<number>): Int32Array[] {
  const n = groupOf.length;
  const sizes = new Int32Array(groupCount);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g >= 0) sizes[g]!++;
  }
  const lists = Array.from({ length: groupCount }, (_, g) => new Int32Array(sizes[g]!));
  sizes.fill(0);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g >= 0) lists[g]![sizes[g]!++] = items ? items[i]! : i;
  }
  return lists;
}

// LOOPS OVER ROWS AND CLAIMS
//
// Each returns as soon as its loop ends, any second result written while it runs: code after a
// long loop, optimised while the loop first ran and so without type feedback, would be
// deoptimised on every later call.

/** The unit of each member in `order` (through its physician); a loop of its own, so the JIT does not compile what follows it before that has run. */
function unitsOfMembers(order: Int32Array, physicianOf: Int32Array, unitOfPhysician: Int32Array): Int32Array {
  const unitOfMember = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) unitOfMember[i] = unitOfPhysician[physicianOf[order[i]!]!]!;
  return unitOfMember;
}

/**
 * Places each claim dated in the period (months `from` to `to`) in its member-month: the row of
 * the claim's member and month, through `rowAt` (member × month of the period → row + 1) or else
 * in the member's run of rows from `runStart`. A placed claim whose row is attributed gets the row
 * in claimRow and counts for the physician's category in claimsPerCategory; with `sums`, its
 * allowed amount adds to its member's cost, members go into `order` at their first claim, and a
 * member's physician is −2 once its claims have several. `found`: [members in order, 1 when a
 * member's claims have several physicians].
 */
function placeClaims(
  c: ClaimColumns,
  m: MemberMonthColumns,
  period: { from: number; to: number; rowAt: Int32Array | undefined; runStart: Int32Array | undefined },
  attributed: Int32Array,
  categoryCount: number,
  claimsPerCategory: Int32Array,
  claimRow: Int32Array,
  sums: { costs: Float64Array; order: Int32Array; physicianOf: Int32Array } | undefined,
  found: Int32Array,
): void {
  const { from, to, rowAt, runStart } = period;
  const span = to - from + 1;
  const n = m.length;
  const memberOf = m.member;
  const monthOf = m.month;
  const dates = c.date;
  const claimMember = c.member;
  const categoryOf = c.category;
  const allowed = c.allowed.scaled;
  const claimCount = c.length;
  const costs = sums?.costs ?? new Float64Array(0);
  const order = sums?.order ?? new Int32Array(0);
  const physicianOfMember = sums?.physicianOf ?? new Int32Array(0);
  const perMember = sums !== undefined;
  let ordered = 0;
  let split = 0;
  for (let k = 0; k < claimCount; k++) {
    const month = monthOfDate(dates[k]!);
    if (month < from || month > to) continue;
    const member = claimMember[k]!;
    let row = -1;
    if (rowAt) row = rowAt[member * span + (month - from)]! - 1;
    else {
      const start = runStart![member]!;
      // Months without gaps put the claim's month at its offset in the run; otherwise look.
      const guess = start + (month - monthOf[start]!);
      if (start >= 0 && guess >= start && guess < n && memberOf[guess] === member && monthOf[guess] === month) row = guess;
      else
        for (let r = start; r >= 0 && r < n && memberOf[r] === member; r++)
          if (monthOf[r] === month) {
            row = r;
            break;
          }
    }
    if (row < 0) continue;
    const physician = attributed[row]!;
    if (physician < 0) continue;
    claimRow[k] = row;
    claimsPerCategory[physician * categoryCount + categoryOf[k]!]!++;
    if (!perMember) continue;
    const first = physicianOfMember[member]!;
    if (first === -1) {
      physicianOfMember[member] = physician;
      order[ordered++] = member;
      costs[member] = allowed[k]!;
      continue;
    }
    if (first !== physician && first !== -2) {
      physicianOfMember[member] = -2;
      split = 1;
    }
    costs[member] += allowed[k]!;
  }
  found[0] = ordered;
  found[1] = split;
}

/**
 * The first member-month row outside the term or of a payer not in `payerFlags` (−1: none), with
 * `found` = [first month, last month, 1 when each member's rows are together with months
 * increasing] and, then, each member's first row in `runStart` (all −1 at the start).
 */
function scanMemberMonths(m: MemberMonthColumns, termFrom: number, termTo: number, payerFlags: Uint8Array | undefined, runStart: Int32Array, found: Int32Array): number {
  const months = m.month;
  const payerOf = m.payer;
  const memberOf = m.member;
  let low = months[0]!;
  let high = low;
  found[0] = low;
  found[1] = high;
  found[2] = 1;
  let grouped = true;
  for (let i = 0, previous = -1; i < months.length; i++) {
    const month = months[i]!;
    if (month < termFrom || month > termTo || (payerFlags && payerFlags[payerOf[i]!] === 0)) return i;
    if (month < low) found[0] = low = month;
    if (month > high) found[1] = high = month;
    if (!grouped) continue;
    const member = memberOf[i]!;
    if (member !== previous) {
      if (runStart[member] !== -1) {
        grouped = false;
        found[2] = 0;
      }
      runStart[member] = i;
      previous = member;
    } else if (month <= months[i - 1]!) {
      grouped = false;
      found[2] = 0;
    }
  }
  return -1;
}

/** A monthly fee's member-month counts: per fee line (recipient × payer × period) and amount, at line × width + amount. */
interface FeeRowCounts {
  readonly attributed: Int32Array;
  readonly mask: Uint8Array | undefined;
  /** The member-month column the amount depends on alone, if any. */
  readonly column: ArrayLike<number> | undefined;
  /** True when the amount is the same for every member-month. */
  readonly constant: boolean;
  readonly payerOf: Int32Array;
  readonly monthOf: Int32Array;
  /** The fee period of each month of the settlement period, from `firstMonth`. */
  readonly periodOfMonth: Int32Array;
  readonly firstMonth: number;
  readonly payerCount: number;
  readonly periodCount: number;
  readonly recipient: (physician: number) => number;
  readonly amountOfKey: (row: number, key: number) => number;
  readonly amountOfRow: (row: number, claim: number) => number;
  dense: Float64Array;
  width: number;
}

/**
 * Adds the member-months from row `start` on that the fee applies to (attributed, and in the mask)
 * to their counts. Stops at a member-month whose amount is `width` or more, returning its row, for
 * the caller to widen the counts and go on from it; returns the row count when done.
 */
function countFeeRows(f: FeeRowCounts, start: number): number {
  const { attributed, mask, column, constant, payerOf, monthOf, periodOfMonth, firstMonth, payerCount, periodCount, recipient, amountOfKey, amountOfRow, dense, width } = f;
  // Consecutive rows of one recipient, payer and amount in consecutive months (a member's months,
  // mostly) are a run, counted by +1 at its first month and −1 after its last in `starts`, per
  // recipient × payer, amount and month; the counts are those summed month by month.
  const span = periodOfMonth.length;
  const stride = span + 1;
  const starts = new Int32Array((dense.length / periodCount) * stride);
  let lastPhysician = -1;
  let r = -1;
  let lastKey = NaN;
  let lastAmount = -1;
  let runPhysician = -1;
  let runPayer = -1;
  let runAmount = -1;
  let runFirst = 0;
  let runLast = -2;
  let runAt = -1;
  let row = start;
  for (; row < attributed.length; row++) {
    const physician = attributed[row]!;
    if (physician < 0 || (mask && !mask[row])) continue;
    const payer = payerOf[row]!;
    const month = monthOf[row]!;
    let a: number;
    if (column) {
      const key = column[row]!;
      if (key === lastKey) a = lastAmount;
      else {
        a = amountOfKey(row, key);
        lastKey = key;
        lastAmount = a;
      }
    } else if (constant) {
      if (lastAmount < 0) lastAmount = amountOfRow(row, -1);
      a = lastAmount;
    } else a = amountOfRow(row, -1);
    if (month === runLast + 1 && a === runAmount && physician === runPhysician && payer === runPayer) {
      runLast = month;
      continue;
    }
    if (runAt >= 0) {
      starts[runAt + runFirst - firstMonth]!++;
      starts[runAt + runLast + 1 - firstMonth]!--;
      runAt = -1;
    }
    if (a >= width) break;
    if (physician !== lastPhysician) {
      lastPhysician = physician;
      r = recipient(physician);
    }
    runPhysician = physician;
    runPayer = payer;
    runAmount = a;
    runFirst = runLast = month;
    runAt = ((r * payerCount + payer) * width + a) * stride;
  }
  if (runAt >= 0) {
    starts[runAt + runFirst - firstMonth]!++;
    starts[runAt + runLast + 1 - firstMonth]!--;
  }
  addRuns(starts, stride, span, width, periodOfMonth, periodCount, dense);
  return row;
}

/** Adds the counts that countFeeRows' run starts and ends in `starts` make to `dense`. */
function addRuns(starts: Int32Array, stride: number, span: number, width: number, periodOfMonth: Int32Array, periodCount: number, dense: Float64Array): void {
  for (let at = 0; at < starts.length; at += stride) {
    const slot = at / stride;
    const a = slot % width;
    const line = ((slot - a) / width) * periodCount;
    let n = 0;
    for (let month = 0; month < span; month++) {
      n += starts[at + month]!;
      if (n !== 0) dense[(line + periodOfMonth[month]!) * width + a]! += n;
    }
  }
}

/**
 * Adds each physician's rows (physicianOf[i] ≥ 0) to its count in `rows`, and records its first row
 * in `firstRow` when its count was 0; returns how many rows have a physician.
 */
function countRowsPerPhysician(physicianOf: Int32Array, rows: Int32Array, firstRow: Int32Array): number {
  let counted = 0;
  for (let i = 0; i < physicianOf.length; ) {
    const physician = physicianOf[i]!;
    let end = i + 1;
    while (end < physicianOf.length && physicianOf[end] === physician) end++;
    if (physician >= 0) {
      if (rows[physician] === 0) firstRow[physician] = i;
      rows[physician] += end - i;
      counted += end - i;
    }
    i = end;
  }
  return counted;
}

/** Adds each attributed claim's value to its physician's sum, empty values skipped; returns the sum of their magnitudes. */
function sumClaimsPerPhysician(claimRow: Int32Array, attributed: Int32Array, values: Float64Array, sums: Float64Array): number {
  let magnitude = 0;
  for (let k = 0; k < claimRow.length; k++) {
    const row = claimRow[k]!;
    const v = values[k]!;
    if (row < 0 || v !== v) continue;
    sums[attributed[row]!]! += v;
    magnitude += v < 0 ? -v : v;
  }
  return magnitude;
}

/**
 * Adds each attributed member-month's value to its physician's sum; returns the sum of all of them,
 * or NaN (sums unfinished) at a negative value.
 */
function sumPerPhysician(attributed: Int32Array, values: Float64Array, sums: Float64Array): number {
  // A run of rows of one physician is summed in a local, then added to its sum.
  let total = 0;
  let run = 0;
  let current = -1;
  for (let i = 0; i < attributed.length; i++) {
    const physician = attributed[i]!;
    const v = values[i]!;
    if (v < 0) return NaN;
    if (physician !== current) {
      if (current >= 0) {
        sums[current]! += run;
        total += run;
      }
      current = physician;
      run = 0;
    }
    run += v;
  }
  if (current >= 0) {
    sums[current]! += run;
    total += run;
  }
  return total;
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

/**
 * The scaled keys at which a band table's rows may change, ascending: for a bound b, t = b × 10^places
 * and floor(t), since a whole key k is above t exactly when k > floor(t), and equal to it exactly
 * when t is whole and k = floor(t). Undefined when a bound fails, is not a number or does not fit.
 */
function bandThresholds(table: TableSpec<Evaluator>, env: Env, places: number): Float64Array | undefined {
  const scale = new Dec(10).pow(places);
  const points: number[] = [];
  const point = (v: Value, onlyEqual: boolean): boolean => {
    // A `one of` value that is not a number equals no key.
    if (typeof v !== "object") return onlyEqual;
    if (!(v.sd() <= 40)) return false;
    const t = scale.mul(v);
    const floor = t.floor();
    if (!floor.abs().lte(Number.MAX_SAFE_INTEGER)) return false;
    if (!onlyEqual || t.isInteger()) points.push(floor.toNumber());
    return true;
  };
  try {
    for (const { when } of table.rows) {
      const ok =
        when.kind === "otherwise" ||
        (when.kind === "one of" ? when.values.every((v) => point(v(env), true)) : when.kind === "between" ? point(when.low(env), false) && point(when.high(env), false) : point(when.bound(env), false));
      if (!ok) return undefined;
    }
  } catch {
    return undefined;
  }
  return Float64Array.from(new Set(points)).sort();
}

/** The band of a scaled key: 2i below threshold i (and above i − 1), 2i + 1 at it. */
function bandOf(thresholds: Float64Array, key: number): number {
  let i = 0;
  while (i < thresholds.length && key > thresholds[i]!) i++;
  return i < thresholds.length && key === thresholds[i] ? 2 * i + 1 : 2 * i;
}

/** Amounts by key: whole keys below 2^16 (risk scores in hundredths, line-of-business indices) from a growing array, others from `amountOf`. */
function byWholeKey(amountOf: (row: number, key: number) => number): (row: number, key: number) => number {
  let known = new Int32Array(256);
  return (row, key) => {
    let a = key >= 0 && key < known.length ? known[key]! - 1 : -1;
    if (a >= 0) return a;
    a = amountOf(row, key);
    if (key >= 0 && key < 1 << 16 && Math.floor(key) === key) {
      if (key >= known.length) {
        const wider = new Int32Array(Math.min(1 << 16, Math.max(2 * known.length, key + 1)));
        wider.set(known);
        known = wider;
      }
      known[key] = a + 1;
    }
    return a;
  };
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

type Context = { kind: "member" | "claim"; row: number; claim: number } | { kind: "unit"; unit: Unit; savings?: SavingsFigures };

class Scope implements Env {
  private readonly memo = new Map<string, Value>();
  /** Data quantities read while evaluating, for the trace. */
  readonly used = new Map<string, string>();

  constructor(
    private readonly s: Settlement,
    private readonly cx: Context,
    private readonly clause: ClauseSpec<Evaluator> | undefined,
  ) {}

  private where(): string {
    return this.cx.kind === "unit" ? this.cx.unit.label : this.s.memberMonthText(this.cx.row);
  }

  fail(code: "PCMH0508" | "PCMH0509" | "PCMH0510", message: string): never {
    throw new SettlementError(code, message, { clause: this.clause?.title ?? "", unit: this.where() });
  }

  param(name: string): Value {
    const value = this.s.param(name);
    if (this.cx.kind === "unit") this.used.set(name, this.s.showParameter(name));
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
    if (cx.kind !== "unit") return this.memberBuiltin(name, cx.row, cx.claim);
    const cached = cx.unit.cache.get(`${name}\u0000${this.clause?.title ?? ""}`);
    const value = cached ?? this.unitBuiltin(name, cx.unit);
    cx.unit.cache.set(`${name}\u0000${this.clause?.title ?? ""}`, value);
    if (typeof value === "object") this.used.set(name, plain(value.toDecimalPlaces(6)));
    return value;
  }

  private memberBuiltin(name: string, row: number, claim: number): Value {
    const { members: m, claims: c, lobs } = this.s.data;
    switch (name) {
      case "member months":
        return ONE;
      case "member risk score":
        return decAt(m.riskScore, row)!;
      case "member age":
        return decAt(m.age, row) ?? this.missing("age", "members");
      case "member lob":
        return m.lob[row]! < 0 ? this.missing("lob", "members") : lobs[m.lob[row]!]!;
      case "practice risk group": {
        const group = this.s.practiceOfRow(row).riskGroup;
        return group === undefined ? this.missing("risk_group", "practices") : new Dec(group);
      }
      case "practice recognition level": {
        const level = this.s.practiceOfRow(row).recognitionLevel;
        return level === undefined ? this.missing("recognition_level", "practices") : new Dec(level);
      }
      case "allowed":
        return claim >= 0 ? decAt(c.allowed, claim)! : this.missing("allowed", "claims");
      case "claim units":
        return (claim >= 0 ? decAt(c.units, claim) : undefined) ?? this.missing("units", "claims");
      default:
        return this.fail("PCMH0510", `${name} is not available per member-month.`);
    }
  }

  private missing(field: string, file: string): never {
    throw new SettlementError("PCMH0513", `the contract reads ${field}, but it is empty for ${this.where()}.`, { file, field, clause: this.clause?.title ?? "" });
  }

  private unitBuiltin(name: string, unit: Unit): Value {
    const categoryCount = (category: string) => new Dec(this.s.claimsInCategory(unit, category));
    switch (name) {
      case "member months":
        return new Dec(unit.rowCount);
      case "attributed members":
        return new Dec(this.s.distinctMembers(unit.rows));
      case "average risk score":
        if (unit.rowCount === 0) return ZERO;
        return this.s.riskSum(unit).div(unit.rowCount);
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
        return categoryCount("ed");
      case "admissions":
        return categoryCount("inpatient");
      case "office visits":
        return categoryCount("primary_care");
      case "physicians":
        return new Dec(unit.physicians.size);
      case "practices":
        return new Dec(unit.practices.size);
      case "measures scored":
        return this.memo.get("measures scored") ?? ZERO;
      default: {
        if (unit.rowCount > 0 && (name === "practice risk group" || name === "practice recognition level") && unit.practices.size === 1) return this.memberBuiltin(name, this.s.firstRow(unit), -1);
        return this.fail("PCMH0510", `${name} is not available for ${unit.label}.`);
      }
    }
  }

  /** Allowed cost of the unit's members in the period, after the clause's truncation and stop-loss. */
  private totalCost(unit: Unit): Dec {
    const clause = this.clause;
    const stops = clause?.kind === "shared savings" ? clause.stopLoss : [];
    const allowed = this.s.data.claims.allowed;
    if (stops.length === 0) return this.s.allowedSum(unit);
    // Each member's cost, as scaled integers, in order of the member's first claim.
    const known = unit.wholePhysicians ? this.s.memberCostsIn(unit) : undefined;
    const perMember = known?.costs ?? this.s.memberCost();
    let order: Int32Array;
    if (known) order = known.members;
    else {
      const claimMember = this.s.data.claims.member;
      const claims = unit.claims;
      const scaledAllowed = allowed.scaled;
      const members = new Int32Array(claims.length);
      let count = 0;
      for (let k = 0; k < claims.length; k++) {
        const claim = claims[k]!;
        const who = claimMember[claim]!;
        const before = perMember[who]!;
        if (before !== before) {
          members[count++] = who;
          perMember[who] = scaledAllowed[claim]!;
        } else perMember[who] = before + scaledAllowed[claim]!;
      }
      order = members.subarray(0, count);
    }
    const attachments = stops.map((stop) => ({ attachment: num(stop.attachment(this)), covering: stop.truncate ? ONE : stop.covering ? num(stop.covering(this)) : ONE }));
    // Members below every attachment keep their whole cost: summed as integers.
    const lowest = Dec.min(...attachments.map((a) => a.attachment)).mul(10 ** allowed.places);
    const threshold = lowest.isInteger() && lowest.abs().lte(Number.MAX_SAFE_INTEGER) ? lowest.toNumber() : -Infinity;
    let kept = 0;
    let keptMagnitude = 0;
    let total = ZERO;
    for (let k = 0; k < order.length; k++) {
      const who = order[k]!;
      const cost = perMember[who]!;
      if (!Number.isSafeInteger(cost)) fail("PCMH0503", `member ${this.s.data.memberIds[who]}'s allowed charges are too large to add exactly.`, { file: "claims", field: "allowed" });
      if (cost <= threshold) {
        kept += cost;
        keptMagnitude += Math.abs(cost);
        continue;
      }
      let remaining = scaledToDec(cost, allowed.places);
      for (const { attachment, covering } of attachments) {
        const excess = Dec.max(remaining.sub(attachment), ZERO);
        remaining = remaining.sub(excess.mul(covering));
      }
      total = total.add(remaining);
    }
    if (keptMagnitude > Number.MAX_SAFE_INTEGER) {
      let exact = ZERO;
      for (const who of order) if (perMember[who]! <= threshold) exact = exact.add(scaledToDec(perMember[who]!, allowed.places));
      if (!known) for (const who of order) perMember[who] = NaN;
      return total.add(exact);
    }
    if (!known) for (const who of order) perMember[who] = NaN;
    return total.add(scaledToDec(kept, allowed.places));
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
