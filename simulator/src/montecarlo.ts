// MONTE CARLO OVER A COMPILED CONTRACT
//
// Each trial draws a population (its own random streams, selected by the trial number) as columns
// (population.ts generateColumns: no row objects or decimal strings), settles it exactly through
// the contract, and keeps a summary: payments by clause and recipient, payer net cost, practice
// revenue, shared savings. Summaries across trials are exact decimals. Trials
// are independent and merged by trial number, so results do not depend on how trials are split
// between workers. Two contracts or two parameter values compare on the same draws.

import type { ProgramIr } from "../../compiler/src";
import { settle } from "../../runtime/src/engine";
import { SettlementError } from "../../runtime/src/errors";
import { exactSum, markChecked, monthNumber, monthOfDate, type ColumnarInput, type ExactColumn } from "../../runtime/src/columns";
import { Dec, formatAmount } from "../../runtime/src/money";
import type { Program } from "../../runtime/src/program";
import type { Statement } from "../../runtime/src/statement";
import type { BaselineRow, PhysicianRow } from "../../runtime/src/input";
import type { Population } from "./model";
import { Formatter, physicianRows, populationColumns, renumber, simulatePopulation, type Effects, type Preset, type ResolvedOptions } from "./population";
import { withLazy } from "./lazy";
import { arrayOf, type Workspace } from "./workspace";

export interface Scenario {
  readonly preset: Preset;
  readonly members: number;
  readonly seed: number;
  readonly effects?: Partial<Effects>;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** What a trial contributes to the summaries; amounts in cents (exact integers). */
export interface TrialResult {
  readonly trial: number;
  readonly total: bigint;
  readonly practiceRevenue: bigint;
  readonly sharedSavings: bigint;
  readonly claimsCost: bigint;
  readonly clearedMinimum: boolean;
  readonly byClause: Readonly<Record<string, bigint>>;
  readonly byRecipient: Readonly<Record<string, bigint>>;
  readonly error?: string;
}

// WHAT A CONTRACT NEEDS FROM A POPULATION

export interface ContractNeeds {
  readonly payers: readonly string[];
  /** The lines of business the contract compares `member lob` with (members are spread over them). */
  readonly lobs: readonly string[];
  readonly careTeams: readonly string[];
  readonly measures: readonly string[];
  readonly year: number;
  /** The months of the first settlement period, "YYYY-MM". */
  readonly months: readonly string[];
  readonly savingsClauses: readonly string[];
  readonly panel?: { readonly low: number; readonly high: number };
}

export function needsOf(ir: ProgramIr): ContractNeeds {
  const measures = new Set<string>();
  const lobs = new Set<string>();
  const isLob = (e: unknown) => (e as { k?: string; name?: string } | undefined)?.k === "builtin" && (e as { name: string }).name === "member lob";
  const textOf = (e: unknown) => ((e as { k?: string } | undefined)?.k === "text" ? (e as { v: string }).v : undefined);
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.k === "quality") measures.add(o.measure as string);
    const compared = isLob(o.a) ? textOf(o.b) : isLob(o.b) ? textOf(o.a) : undefined;
    if (compared !== undefined && compared.trim() !== "") lobs.add(compared);
    Object.values(o).forEach(walk);
  };
  walk(ir);
  const start = ir.header.term.from;
  const size = { monthly: 1, quarterly: 3, annually: 12 }[ir.header.settled];
  const first = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1;
  const months = Array.from({ length: size }, (_, i) => `${Math.floor((first + i) / 12)}-${String(((first + i) % 12) + 1).padStart(2, "0")}`);
  return {
    payers: ir.header.payers,
    lobs: [...lobs].sort(),
    careTeams: ir.header.careTeams,
    measures: [...measures].sort(),
    year: Number(start.slice(0, 4)),
    months,
    savingsClauses: ir.clauses.filter((c) => c.kind === "shared savings").map((c) => c.title),
    ...(ir.panel ? { panel: { low: ir.panel.low, high: ir.panel.high } } : {}),
  };
}

/**
 * The population of one trial as columns, restricted to the contract's first settlement period:
 * `fitPanels(generateColumns(...))` (when the contract has virtual panels) then `inPeriod`, with
 * the panel fitting done while the columns are built rather than in passes over them afterwards.
 * With a workspace, the columns are its arrays, valid until its next draw (a thread running
 * trials one after another keeps one).
 */
export function populationFor(needs: ContractNeeds, scenario: Scenario, trial: number, workspace?: Workspace): ColumnarInput {
  const { resolved, population } = simulatePopulation({
    preset: scenario.preset,
    members: scenario.members,
    seed: scenario.seed,
    year: needs.year,
    trial,
    ...(needs.payers.length ? { payers: needs.payers } : {}),
    ...(needs.lobs.length ? { lobs: needs.lobs } : {}),
    ...(needs.careTeams.length ? { careTeams: needs.careTeams } : {}),
    ...(needs.measures.length ? { measures: needs.measures } : {}),
    ...(scenario.effects ? { effects: scenario.effects } : {}),
  }, workspace);
  const fitted = needs.panel ? fittedColumns(resolved, population, needs.panel.low, needs.panel.high, workspace) : populationColumns(resolved, population, { own: true, workspace });
  // Valid by construction; tests/simulator/columns.test.ts checks draws with checkColumns.
  return markChecked(needs.months.length === 12 && needs.months[0]!.endsWith("-01") ? fitted : inPeriod(fitted, needs.months, workspace));
}

/**
 * fitPanels(populationColumns(resolved, population)), with the members' new physicians given to
 * populationColumns. That is the same: the model's member-months are in member order and all of a
 * member's have the member's physician, so the members fitPanels sends round the physicians are,
 * in order, those with a member-month and a physician, and the physician of a member's last
 * member-month is its new one.
 */
function fittedColumns(resolved: ResolvedOptions, population: Population, low: number, high: number, workspace: Workspace | undefined): ColumnarInput {
  const plan = panelPlan(physicianRows(new Formatter(population, resolved)), low, high);
  const { to, extras } = plan;
  const N = population.members;
  const { physician: drawn, firstMonth, lastMonth } = population;
  let memberPhysician: Int32Array | undefined;
  let latest: Int32Array | undefined;
  if (extras) {
    memberPhysician = arrayOf(workspace, "fitted.memberPhysician", Int32Array, N);
    latest = arrayOf(workspace, "fitted.latest", Int32Array, N, false).fill(-1);
    sendRound(N, drawn, firstMonth, lastMonth, to, memberPhysician, latest);
  } else if (plan.moved) {
    memberPhysician = arrayOf(workspace, "fitted.memberPhysician", Int32Array, N, false);
    renumberPhysicians(drawn, memberPhysician, to);
  }
  const columns = populationColumns(resolved, population, { own: true, workspace, ...(memberPhysician ? { memberPhysician } : {}) });
  // the claim physician column is ours (own): renumbered in place
  const { claims } = columns;
  if (latest) followMembers(claims.member, claims.category, columns.categories.indexOf("primary_care"), claims.physician, claims.physician, latest, to);
  else if (plan.moved) renumberPhysicians(claims.physician, claims.physician, to);
  return { ...columns, physicians: plan.physicians, baseline: panelBaselines(columns.baseline, plan.physicians) };
}

/**
 * The members' physicians when fitting panels sends members round the physicians `to` in turn:
 * each of the first N members with a physician and a member-month gets the next (also in `latest`).
 */
function sendRound(N: number, drawn: Int32Array, firstMonth: Uint8Array, lastMonth: Uint8Array, to: Int32Array, memberPhysician: Int32Array, latest: Int32Array): void {
  const count = to.length;
  let next = 0;
  for (let i = 0; i < N; i++) {
    let d = drawn[i]!;
    if (d >= 0 && firstMonth[i]! <= lastMonth[i]!) {
      d = latest[i] = to[next]!;
      if (++next === count) next = 0;
    }
    memberPhysician[i] = d;
  }
}

/** Writes the indices of the rows (of `count`) whose month is one of `wanted` to `rows`; returns how many. */
function rowsInMonths(month: Int32Array, count: number, wanted: readonly number[], rows: Int32Array): number {
  if (wanted.length === 0) return 0;
  // the wanted months as flags over the span from the first to the last of them
  const first = Math.min(...wanted);
  const span = Math.max(...wanted) - first + 1;
  const flag = new Uint8Array(span);
  for (const x of wanted) flag[x - first] = 1;
  let n = 0;
  for (let i = 0; i < count; i++) {
    const x = month[i]! - first;
    if (x >= 0 && x < span && flag[x] === 1) rows[n++] = i;
  }
  return n;
}

/** Writes the indices of the rows (of `count`) dated in month `last` or before to `rows`; returns how many. */
function rowsUpTo(date: Int32Array, count: number, last: number, rows: Int32Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (monthOfDate(date[i]!) <= last) rows[n++] = i;
  }
  return n;
}

/** column[rows[j]] for j < count, into `out`. */
function gather<T extends Int32Array | Float64Array>(column: T, rows: Int32Array, count: number, out: T): T {
  for (let j = 0; j < count; j++) out[j] = column[rows[j]!]!;
  return out;
}

/** values[rows[j]] for j < count. */
function pick(values: readonly string[], rows: Int32Array, count: number): string[] {
  const out = new Array<string>(count);
  for (let j = 0; j < count; j++) out[j] = values[rows[j]!]!;
  return out;
}

const monthOfText = (month: string) => monthNumber(Number(month.slice(0, 4)), Number(month.slice(5, 7)));

/**
 * The member-months of the given months ("YYYY-MM") and the claims up to the last of them, with
 * the dictionaries renumbered as if the rows had been read afresh (only what is left, first seen).
 */
export function inPeriod(input: ColumnarInput, months: readonly string[], workspace?: Workspace): ColumnarInput {
  const wanted = months.map(monthOfText).filter((x) => Number.isSafeInteger(x));
  const last = monthOfText(months[months.length - 1]!);
  const m = input.members;
  const c = input.claims;
  const memberRows = arrayOf(workspace, "period.memberRows", Int32Array, m.length, false);
  const n = rowsInMonths(m.month, m.length, wanted, memberRows);
  const claimRows = arrayOf(workspace, "period.claimRows", Int32Array, c.length, false);
  const k = rowsUpTo(c.date, c.length, last, claimRows);
  const ints = (name: string, column: Int32Array, rows: Int32Array, count: number) => gather(column, rows, count, arrayOf(workspace, `period.${name}`, Int32Array, count, false));
  const exact = (name: string, column: ExactColumn, rows: Int32Array, count: number): ExactColumn => ({ places: column.places, scaled: gather(column.scaled, rows, count, arrayOf(workspace, `period.${name}`, Float64Array, count, false)) });
  // ages, claim units and claim ids are gathered when first read (a contract may never read them)
  const members = withLazy(
    {
      length: n,
      member: ints("members.member", m.member, memberRows, n),
      month: ints("members.month", m.month, memberRows, n),
      payer: ints("members.payer", m.payer, memberRows, n),
      lob: ints("members.lob", m.lob, memberRows, n),
      riskScore: exact("members.riskScore", m.riskScore, memberRows, n),
      physician: ints("members.physician", m.physician, memberRows, n),
    },
    { age: () => exact("members.age", m.age, memberRows, n) },
  );
  const claims = withLazy(
    {
      length: k,
      member: ints("claims.member", c.member, claimRows, k),
      date: ints("claims.date", c.date, claimRows, k),
      physician: ints("claims.physician", c.physician, claimRows, k),
      code: ints("claims.code", c.code, claimRows, k),
      category: ints("claims.category", c.category, claimRows, k),
      allowed: exact("claims.allowed", c.allowed, claimRows, k),
    },
    { id: (): readonly string[] => pick(c.id, claimRows, k), units: () => exact("claims.units", c.units, claimRows, k) },
  );
  return {
    ...input,
    memberIds: renumber(input.memberIds, members.member, claims.member),
    payers: renumber(input.payers, members.payer),
    lobs: renumber(input.lobs, members.lob),
    codes: renumber(input.codes, claims.code),
    categories: renumber(input.categories, claims.category),
    members,
    claims,
  };
}

/**
 * Regroups physicians into virtual panels the contract accepts (low to high physicians each). A
 * population too small for one panel gets extra physicians in its practices, and its members are
 * spread over them; everything else about the draw is unchanged.
 */
export function fitPanels(population: ColumnarInput, low: number, high: number): ColumnarInput {
  const plan = panelPlan(population.physicians, low, high);
  const { to } = plan;
  let members = population.members;
  let claims = population.claims;
  // physicians are now in panel order: physician columns follow them, one pass each
  if (plan.extras || plan.moved) {
    const memberPhysician = new Int32Array(members.physician.length);
    const claimPhysician = new Int32Array(claims.physician.length);
    if (plan.extras) {
      const latest = spreadMembers(members.member, members.physician, memberPhysician, population.memberIds.length, to);
      followMembers(claims.member, claims.category, population.categories.indexOf("primary_care"), claims.physician, claimPhysician, latest, to);
    } else {
      renumberPhysicians(members.physician, memberPhysician, to);
      renumberPhysicians(claims.physician, claimPhysician, to);
    }
    members = { ...members, physician: memberPhysician };
    claims = { ...claims, physician: claimPhysician };
  }
  return { ...population, physicians: plan.physicians, members, claims, baseline: panelBaselines(population.baseline, plan.physicians) };
}

/** How fitPanels regroups a draw's physicians. */
interface PanelPlan {
  /** The physicians (with any extra ones) in panel order, each with its panel. */
  readonly physicians: PhysicianRow[];
  /** Whether physicians were added (members are then spread over them). */
  readonly extras: boolean;
  /** Whether the physicians' order changed. */
  readonly moved: boolean;
  /** Physician index (extra ones after the drawn ones) -> index in panel order. */
  readonly to: Int32Array;
}

function panelPlan(drawn: readonly PhysicianRow[], low: number, high: number): PanelPlan {
  let physicians = [...drawn];
  const extras = physicians.length < low;
  if (extras) {
    const extra = Array.from({ length: low - physicians.length }, (_, i) => ({ ...physicians[i % physicians.length]!, id: `${physicians[i % physicians.length]!.id}x${i}` }));
    physicians = [...physicians, ...extra];
  }
  const panels = Math.max(1, Math.ceil(physicians.length / high));
  const order = physicians.map((_, d) => d);
  order.sort((x, y) => {
    const a = physicians[x]!;
    const b = physicians[y]!;
    return a.practice < b.practice ? -1 : a.practice > b.practice ? 1 : a.id < b.id ? -1 : 1;
  });
  const size = (k: number) => Math.floor(order.length / panels) + (k < order.length % panels ? 1 : 0);
  const repanelled: PhysicianRow[] = [];
  let at = 0;
  for (let k = 0; k < panels; k++) for (let j = 0, n = size(k); j < n; j++) repanelled.push({ ...physicians[order[at++]!]!, panel: `N${k + 1}` });
  const to = new Int32Array(order.length);
  order.forEach((d, j) => (to[d] = j));
  return { physicians: repanelled, extras, moved: order.some((d, j) => d !== j), to };
}

/** The baseline rows with the panel rows replaced by the new panels' (sums of their practices' rows). */
function panelBaselines(baseline: readonly BaselineRow[], repanelled: readonly PhysicianRow[]): BaselineRow[] {
  const panelIds = new Set(repanelled.map((d) => d.panel));
  const kept = baseline.filter((b) => b.level !== "panel" || panelIds.has(b.id));
  const byPanel = new Map<string, { mm: number; cost: number; risk: number }>();
  const practicePanel = new Map(repanelled.map((d) => [d.practice, d.panel!]));
  for (const b of baseline)
    if (b.level === "practice") {
      const panel = practicePanel.get(b.id);
      if (!panel) continue;
      const e = byPanel.get(panel) ?? { mm: 0, cost: 0, risk: 0 };
      byPanel.set(panel, { mm: e.mm + Number(b.memberMonths), cost: e.cost + Number(b.cost), risk: e.risk + Number(b.riskScore) * Number(b.memberMonths) });
    }
  const panelBaselines = [...byPanel].map(([id, e]) => ({ level: "panel" as const, id, memberMonths: String(e.mm), cost: e.cost.toFixed(2), riskScore: e.mm ? (e.risk / e.mm).toFixed(4) : "1" }));
  return [...kept.filter((b) => b.level !== "panel"), ...panelBaselines];
}

/**
 * Members with a physician go round the `to.length` physicians in the order they are first seen
 * (the k-th member seen gets physician k mod count, then renumbered by `to`); member-months
 * without one keep -1. Writes `physicianTo` (may be `physicianFrom`) and returns the physician of
 * each member's last member-month, -1 when it has none.
 */
function spreadMembers(member: Int32Array, physicianFrom: Int32Array, physicianTo: Int32Array, memberCount: number, to: Int32Array): Int32Array {
  const count = to.length;
  const assigned = new Int32Array(memberCount).fill(-1);
  const latest = new Int32Array(memberCount).fill(-1);
  let next = 0;
  for (let i = 0; i < physicianFrom.length; i++) {
    const id = member[i]!;
    let d = physicianFrom[i]!;
    if (d >= 0) {
      d = assigned[id]!;
      if (d < 0) {
        assigned[id] = d = to[next]!;
        if (++next === count) next = 0;
      }
    }
    physicianTo[i] = d;
    latest[id] = d;
  }
  return latest;
}

/** Primary care claims with a physician follow their member's (`latest`, when it has one); others are renumbered by `to`. */
function followMembers(member: Int32Array, category: Int32Array, primaryCare: number, physicianFrom: Int32Array, physicianTo: Int32Array, latest: Int32Array, to: Int32Array): void {
  for (let k = 0; k < physicianFrom.length; k++) {
    const d = physicianFrom[k]!;
    if (d < 0) physicianTo[k] = d;
    else {
      const l = category[k] === primaryCare ? latest[member[k]!]! : -1;
      physicianTo[k] = l >= 0 ? l : to[d]!;
    }
  }
}

/** Physician indices renumbered by `to` (-1 stays -1). */
function renumberPhysicians(physicianFrom: Int32Array, physicianTo: Int32Array, to: Int32Array): void {
  for (let i = 0; i < physicianFrom.length; i++) {
    const d = physicianFrom[i]!;
    physicianTo[i] = d >= 0 ? to[d]! : d;
  }
}

/** A decimal string with at most two decimals, in cents. */
const cents = (amount: string) => {
  const [int, frac = ""] = amount.split(".") as [string, string?];
  const negative = int.startsWith("-");
  const value = BigInt(int.replace("-", "") || "0") * 100n + BigInt((frac + "00").slice(0, 2));
  return negative ? -value : value;
};

/** The exact sum of a column of amounts, in cents (rounded half-even if it has more than two places). */
export function columnCents(column: ExactColumn): bigint {
  return BigInt(exactSum(column).mul(100).toFixed(0));
}

export function summariseStatement(trial: number, statement: Statement, input: ColumnarInput, needs: ContractNeeds): TrialResult {
  const byClause: Record<string, bigint> = {};
  const byRecipient: Record<string, bigint> = {};
  let practiceRevenue = 0n;
  let sharedSavings = 0n;
  for (const line of statement.lines) {
    const amount = cents(line.amount);
    byClause[line.clause] = (byClause[line.clause] ?? 0n) + amount;
    byRecipient[line.recipient] = (byRecipient[line.recipient] ?? 0n) + amount;
    if (line.recipient.startsWith("practice:")) practiceRevenue += amount;
    if (needs.savingsClauses.includes(line.clause)) sharedSavings += amount;
  }
  const claimsCost = columnCents(input.claims.allowed);
  const cleared = statement.lines.some((l) => needs.savingsClauses.includes(l.clause) && cents(l.amount) > 0n);
  return { trial, total: cents(statement.totals.total), practiceRevenue, sharedSavings, claimsCost, clearedMinimum: cleared, byClause, byRecipient };
}

/** One trial: draw, settle, summarise. A thread running trials one after another passes its workspace. */
export function runTrial(program: Program, needs: ContractNeeds, scenario: Scenario, trial: number, workspace?: Workspace): TrialResult {
  const population = populationFor(needs, scenario, trial, workspace);
  const input: ColumnarInput = scenario.parameters ? { ...population, parameters: scenario.parameters } : population;
  try {
    return summariseStatement(trial, settle(program, input, { explain: false }), input, needs);
  } catch (e) {
    if (!(e instanceof SettlementError)) throw e;
    return { trial, total: 0n, practiceRevenue: 0n, sharedSavings: 0n, claimsCost: 0n, clearedMinimum: false, byClause: {}, byRecipient: {}, error: e.describe() };
  }
}

// SUMMARIES

export interface Distribution {
  readonly mean: string;
  readonly sd: string;
  readonly p5: string;
  readonly p50: string;
  readonly p95: string;
  readonly min: string;
  readonly max: string;
}

/** Exact mean and sample SD (rounded to cents) and nearest-rank percentiles of amounts in cents. */
export function distribution(values: readonly bigint[]): Distribution {
  const n = values.length;
  const money = (c: Dec) => formatAmount(c.div(100), 2);
  if (n === 0) return { mean: "0.00", sd: "0.00", p5: "0.00", p50: "0.00", p95: "0.00", min: "0.00", max: "0.00" };
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const sum = values.reduce((s, v) => s + v, 0n);
  const mean = new Dec(sum.toString()).div(n);
  const squares = values.reduce((s, v) => s.add(new Dec(v.toString()).sub(mean).pow(2)), new Dec(0));
  const sd = n > 1 ? squares.div(n - 1).sqrt() : new Dec(0);
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  const c = (v: bigint) => money(new Dec(v.toString()));
  return { mean: money(mean), sd: money(sd), p5: c(rank(5)), p50: c(rank(50)), p95: c(rank(95)), min: c(sorted[0]!), max: c(sorted[n - 1]!) };
}

export interface Summary {
  readonly trials: number;
  readonly failedTrials: number;
  readonly errors: readonly string[];
  readonly contractPayments: Distribution;
  readonly payerNetCost: Distribution;
  readonly practiceRevenue: Distribution;
  readonly sharedSavings: Distribution;
  readonly probabilityOfLoss: string;
  readonly probabilityOfClearingMinimum: string;
  readonly standardErrorOfMean: string;
  readonly byClause: Readonly<Record<string, Distribution>>;
  readonly byRecipient: Readonly<Record<string, { mean: string }>>;
}

export function summarise(results: readonly TrialResult[]): Summary {
  const ok = [...results].sort((a, b) => a.trial - b.trial).filter((r) => !r.error);
  const errors = [...new Set(results.filter((r) => r.error).map((r) => r.error!))];
  const pick = (f: (r: TrialResult) => bigint) => distribution(ok.map(f));
  const clauses = [...new Set(ok.flatMap((r) => Object.keys(r.byClause)))].sort();
  const recipients = [...new Set(ok.flatMap((r) => Object.keys(r.byRecipient)))].sort();
  const share = (count: number) => (ok.length ? (count / ok.length).toFixed(4) : "0.0000");
  const payments = pick((r) => r.total);
  const se = ok.length > 1 ? new Dec(payments.sd).div(new Dec(ok.length).sqrt()) : new Dec(0);
  return {
    trials: results.length,
    failedTrials: results.length - ok.length,
    errors,
    contractPayments: payments,
    payerNetCost: pick((r) => r.total + r.claimsCost),
    practiceRevenue: pick((r) => r.practiceRevenue),
    sharedSavings: pick((r) => r.sharedSavings),
    probabilityOfLoss: share(ok.filter((r) => r.sharedSavings < 0n).length),
    probabilityOfClearingMinimum: share(ok.filter((r) => r.clearedMinimum).length),
    standardErrorOfMean: formatAmount(se, 2),
    byClause: Object.fromEntries(clauses.map((c) => [c, pick((r) => r.byClause[c] ?? 0n)])),
    byRecipient: Object.fromEntries(recipients.map((x) => [x, { mean: pick((r) => r.byRecipient[x] ?? 0n).mean }])),
  };
}

export { SettlementError };
