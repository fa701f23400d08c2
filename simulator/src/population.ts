// SYNTHETIC POPULATIONS: one trial of a preset population as settlement data.
//
// `generatePopulation` validates its options, runs the columnar model (model.ts) and turns the
// columns into the six tables of docs/data-formats.md (SettlementInput). Amounts are floats in the
// model and are rounded to cents only here, as decimal strings. `generateColumns` gives the same
// data as the engine's ColumnarInput (runtime/src/columns.ts) without building a row or a string
// per member-month or claim; Monte Carlo trials use it. Same options, same output, byte for byte;
// `trial` selects independent random streams; effects change only the draws they act on.
// docs/simulation.md describes the model and its calibration.

import { dateText, monthNumber, monthText, type ColumnarInput, type ExactColumn } from "../../runtime/src/columns";
import type { BaselineRow, ClaimRow, MemberMonthRow, PhysicianRow, PracticeRow, QualityRow, SettlementInput } from "../../runtime/src/input";
import { categoryNames, simulate, type Effects, type Population } from "./model";
import { defaultMeasures, params, presets, type Preset } from "./presets";
import { withLazy } from "./lazy";
import { arrayOf, type Workspace } from "./workspace";

export type { Effects } from "./model";
export type { Preset } from "./presets";
export { presets } from "./presets";

/** No intervention: no change in ED visits, admissions or quality; the usual 4% cost trend of every preset. */
export const defaultEffects: Effects = Object.freeze({ edVisits: 0, admissions: 0, costTrend: 0.04, qualityRates: 0 });

export interface PopulationOptions {
  readonly preset: Preset;
  /** Distinct members enrolled at some time in the performance year, >= 1. */
  readonly members: number;
  /** Any safe integer. */
  readonly seed: number;
  /** Performance year, default 2026; the baseline year is the one before. */
  readonly year?: number;
  /** Payer names to spread members over (default one per preset, e.g. "Example Commercial Plan"). */
  readonly payers?: readonly string[];
  /** Lines of business to give members, in turn by member (default the preset's one, e.g. "commercial"). */
  readonly lobs?: readonly string[];
  /** Community care team names to give practices (default none). */
  readonly careTeams?: readonly string[];
  /** Quality measure codes to generate (default BCS, COL, CBP, HBD, CAHPS; other codes get a generic adult measure). */
  readonly measures?: readonly string[];
  readonly effects?: Partial<Effects>;
  /** Selects an independent random stream per Monte Carlo trial (default 0). */
  readonly trial?: number;
}

export class PopulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PopulationError";
  }
}

export const maxMembers = 10_000_000;

/** Each effect's meaning and its accepted range. */
export const effectRanges: Readonly<Record<keyof Effects, { readonly min: number; readonly max: number; readonly meaning: string }>> = {
  edVisits: { min: -1, max: 1, meaning: "relative change in ED visits, e.g. -0.10 for 10% fewer" },
  admissions: { min: -1, max: 1, meaning: "relative change in inpatient admissions, e.g. -0.05 for 5% fewer" },
  costTrend: { min: -0.5, max: 1, meaning: "annual cost growth from the baseline year to the performance year, e.g. 0.04" },
  qualityRates: { min: -1, max: 1, meaning: "absolute change in quality-measure rates, e.g. 0.03 for +3 points" },
};
export const effectNames = Object.keys(effectRanges) as (keyof Effects)[];

/** A value as a message shows it: numbers as written (NaN, Infinity), the rest as JSON. */
const shown = (v: unknown) => (typeof v === "number" ? String(v) : JSON.stringify(v));

const optionNames = ["preset", "members", "seed", "year", "payers", "lobs", "careTeams", "measures", "effects", "trial"];

export interface ResolvedOptions {
  readonly preset: Preset;
  readonly members: number;
  readonly seed: number;
  readonly year: number;
  readonly payers: readonly string[];
  readonly lobs: readonly string[];
  readonly careTeams: readonly string[];
  readonly measures: readonly string[];
  readonly effects: Effects;
  readonly trial: number;
}

function names(what: string, value: unknown, opts: { allowEmpty: boolean; maxLength: number; id?: boolean }): readonly string[] {
  if (!Array.isArray(value)) throw new PopulationError(`${what} must be a list of names.`);
  if (!opts.allowEmpty && value.length === 0) throw new PopulationError(`${what} is empty; give at least one, or leave it out for the default.`);
  if (value.length > 65535) throw new PopulationError(`${what} has ${value.length} entries; at most 65,535.`);
  const seen = new Set<string>();
  for (const v of value) {
    if (typeof v !== "string" || v.trim() === "") throw new PopulationError(`${what} has an empty or non-text entry ${JSON.stringify(v)}.`);
    if (v !== v.trim()) throw new PopulationError(`${what}: ${JSON.stringify(v)} has spaces at its ends; the settlement reader trims them, so write it without.`);
    if (v.length > opts.maxLength) throw new PopulationError(`${what}: ${JSON.stringify(v.slice(0, 40))}… is longer than ${opts.maxLength} characters.`);
    if (opts.id && /[\r\n]/.test(v)) throw new PopulationError(`${what}: ${JSON.stringify(v)} contains a line break.`);
    if (seen.has(v)) throw new PopulationError(`${what} lists ${JSON.stringify(v)} twice.`);
    seen.add(v);
  }
  return [...value] as string[];
}

/** Checks options and fills in the defaults; every problem is a PopulationError saying what was expected. */
export function resolveOptions(options: PopulationOptions): ResolvedOptions {
  if (!options || typeof options !== "object") throw new PopulationError("options must be an object like { preset: \"commercial\", members: 10000, seed: 1 }.");
  for (const key of Object.keys(options)) if (!optionNames.includes(key)) throw new PopulationError(`unknown option "${key}"; the options are ${optionNames.join(", ")}.`);
  const { preset } = options;
  if (typeof preset !== "string" || !presets.includes(preset)) throw new PopulationError(`unknown preset ${JSON.stringify(preset)}; expected one of ${presets.join(", ")}.`);
  const members = options.members;
  if (typeof members !== "number" || !Number.isInteger(members) || members < 1 || members > maxMembers)
    throw new PopulationError(`members is ${shown(members)}; expected a whole number from 1 to ${maxMembers.toLocaleString("en-US")}.`);
  const seed = options.seed;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw new PopulationError(`seed is ${shown(seed)}; expected a whole number (a safe integer, such as 42).`);
  const year = options.year ?? 2026;
  if (typeof year !== "number" || !Number.isInteger(year) || year < 1901 || year > 9999) throw new PopulationError(`year is ${shown(year)}; expected a performance year from 1901 to 9999.`);
  const trial = options.trial ?? 0;
  if (typeof trial !== "number" || !Number.isSafeInteger(trial) || trial < 0) throw new PopulationError(`trial is ${shown(trial)}; expected a whole number from 0.`);
  const payers = options.payers === undefined ? [params[preset].defaultPayer] : names("payers", options.payers, { allowEmpty: false, maxLength: 1000 });
  const lobs = options.lobs === undefined ? [params[preset].lob] : names("lobs", options.lobs, { allowEmpty: false, maxLength: 1000 });
  const careTeams = options.careTeams === undefined ? [] : names("careTeams", options.careTeams, { allowEmpty: true, maxLength: 1000 });
  const measures = options.measures === undefined ? defaultMeasures : names("measures", options.measures, { allowEmpty: true, maxLength: 200, id: true });
  const given = options.effects ?? {};
  if (!given || typeof given !== "object" || Array.isArray(given)) throw new PopulationError("effects must be an object like { edVisits: -0.1 }.");
  for (const key of Object.keys(given)) if (!effectNames.includes(key as keyof Effects)) throw new PopulationError(`unknown effect "${key}"; the effects are ${effectNames.join(", ")}.`);
  const effects = { ...defaultEffects } as { -readonly [K in keyof Effects]: number };
  for (const key of effectNames) {
    const v = (given as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const r = effectRanges[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < r.min || v > r.max) throw new PopulationError(`effect ${key} is ${shown(v)}; expected a number from ${r.min} to ${r.max} (${r.meaning}).`);
    effects[key] = v;
  }
  return { preset, members, seed, year, payers, lobs, careTeams, measures, effects, trial };
}

/** Runs the model for validated options. */
/** One trial of the model; its arrays come from `workspace` when given (valid until its next draw). */
export function simulatePopulation(options: PopulationOptions, workspace?: Workspace): { readonly resolved: ResolvedOptions; readonly population: Population } {
  const resolved = resolveOptions(options);
  const population = simulate(
    {
      preset: resolved.preset,
      members: resolved.members,
      seed: resolved.seed,
      trial: resolved.trial,
      payerCount: resolved.payers.length,
      careTeamCount: resolved.careTeams.length,
      measures: resolved.measures,
      effects: resolved.effects,
    },
    resolved.year,
    workspace,
  );
  return { resolved, population };
}

// FORMATTING: ids, months, dates and decimals as strings (shared with the CSV writer)

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const cents2 = Array.from({ length: 100 }, (_, n) => `.${pad2(n)}`);

/**
 * A non-negative float amount in whole cents, rounded half up: the one rounding of every amount
 * (risk scores, allowed, baseline cost), whether it is written as text (rows, CSV) or kept as a
 * scaled integer (columns), so the two can't disagree.
 */
export function toCents(x: number): number {
  return Math.floor(x * 100 + 0.5);
}

/** Whole cents written with two decimals. */
export function centsText(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}${cents2[cents - whole * 100]!}`;
}

/** Rounds a non-negative float to cents and writes it with two decimals. */
export function money(x: number): string {
  return centsText(toCents(x));
}

const moneyCacheSize = 250_000;

export class Formatter {
  readonly physicianIds: string[];
  readonly practiceIds: string[];
  readonly panelIds: string[];
  readonly categories: readonly string[] = categoryNames;
  /** Lines of business; member i has lobs[i % lobs.length]. */
  readonly lobs: readonly string[];
  private readonly decimals: string[] = [];
  private readonly counts: string[] = [];
  /** Allocated on first use: columns (populationColumns) never format an amount. */
  private amounts: string[] | undefined;
  private monthTexts: string[] | undefined;
  private dateTexts: string[][] | undefined;

  constructor(
    readonly pop: Population,
    readonly resolved: ResolvedOptions,
  ) {
    const n = pop.network;
    this.physicianIds = Array.from({ length: n.physicianCount }, (_, i) => `D${i + 1}`);
    this.practiceIds = Array.from({ length: n.practiceCount }, (_, i) => `P${i + 1}`);
    this.panelIds = Array.from({ length: n.panelCount }, (_, i) => `N${i + 1}`);
    this.lobs = resolved.lobs;
  }

  /** "YYYY-MM" by month 1-12 of the performance year (index 0 empty); made on first use (columns don't use it). */
  get months(): string[] {
    const year = this.resolved.year;
    return (this.monthTexts ??= Array.from({ length: 13 }, (_, m) => (m === 0 ? "" : `${year}-${pad2(m)}`)));
  }

  /** "YYYY-MM-DD" by month 1-12 and day 1-31 (index 0 empty); made on first use. */
  get dates(): string[][] {
    return (this.dateTexts ??= this.months.map((month, m) => (m === 0 ? [] : Array.from({ length: 32 }, (_, d) => (d === 0 ? "" : `${month}-${pad2(d)}`)))));
  }

  /** Two-decimal string of a small non-negative number (risk scores), cached. */
  decimal(x: number): string {
    const cents = toCents(x);
    if (cents >= 100_000) return centsText(cents);
    return (this.decimals[cents] ??= centsText(cents));
  }

  /** A whole number of cents as money, with the strings of amounts under $2,500 shared. */
  cents(cents: number): string {
    if (cents >= moneyCacheSize) return centsText(cents);
    return ((this.amounts ??= new Array(moneyCacheSize))[cents] ??= centsText(cents));
  }

  count(n: number): string {
    if (n >= 10_000) return String(n);
    return (this.counts[n] ??= String(n));
  }

  lobOf(i: number): string {
    return this.lobs[i % this.lobs.length]!;
  }

  memberId(i: number): string {
    return `M${i + 1}`;
  }

  claimId(k: number): string {
    return `C${k + 1}`;
  }
}

// ROWS

export function physicianRows(f: Formatter): PhysicianRow[] {
  const n = f.pop.network;
  return Array.from({ length: n.physicianCount }, (_, d) => ({ id: f.physicianIds[d]!, practice: f.practiceIds[n.physicianPractice[d]!]!, panel: f.panelIds[n.physicianPanel[d]!]!, name: n.physicianNames[d]! }));
}

export function practiceRows(f: Formatter): PracticeRow[] {
  const n = f.pop.network;
  return Array.from({ length: n.practiceCount }, (_, q) => {
    const team = n.practiceCareTeam[q]!;
    return {
      id: f.practiceIds[q]!,
      name: n.practiceNames[q]!,
      riskGroup: f.count(f.pop.practiceRiskGroup[q]!),
      recognitionLevel: f.count(n.practiceRecognition[q]!),
      ...(team >= 0 ? { careTeam: f.resolved.careTeams[team]! } : {}),
    };
  });
}

export function qualityRows(f: Formatter): QualityRow[] {
  const { pop } = f;
  const M = pop.measures.length;
  const out: QualityRow[] = [];
  for (let q = 0; q < pop.network.practiceCount; q++)
    for (let m = 0; m < M; m++) {
      const den = pop.qualityDenominator[q * M + m]!;
      if (den === 0) continue;
      out.push({ level: "practice", id: f.practiceIds[q]!, measure: pop.measures[m]!.code, numerator: f.count(Math.min(den, pop.qualityNumerator[q * M + m]!)), denominator: f.count(den) });
    }
  return out;
}

export function baselineRows(f: Formatter): BaselineRow[] {
  const { pop } = f;
  const n = pop.network;
  const out: BaselineRow[] = [];
  const row = (level: BaselineRow["level"], id: string, mm: number, cost: number, riskMm: number) => {
    if (mm > 0) out.push({ level, id, memberMonths: String(mm), cost: money(cost), riskScore: money(riskMm / mm) });
  };
  const sum = (count: number, of: (d: number) => number) => {
    const mm = new Float64Array(count);
    const cost = new Float64Array(count);
    const risk = new Float64Array(count);
    for (let d = 0; d < n.physicianCount; d++) {
      const k = of(d);
      mm[k]! += pop.baselineMemberMonths[d]!;
      cost[k]! += pop.baselineCost[d]!;
      risk[k]! += pop.baselineRiskMonths[d]!;
    }
    return { mm, cost, risk };
  };
  const levels: [BaselineRow["level"], number, (d: number) => number, readonly string[]][] = [
    ["physician", n.physicianCount, (d) => d, f.physicianIds],
    ["practice", n.practiceCount, (d) => n.physicianPractice[d]!, f.practiceIds],
    ["panel", n.panelCount, (d) => n.physicianPanel[d]!, f.panelIds],
    ["contract", 1, () => 0, ["contract"]],
  ];
  for (const [level, count, of, ids] of levels) {
    const s = sum(count, of);
    for (let k = 0; k < count; k++) row(level, ids[k]!, s.mm[k]!, s.cost[k]!, s.risk[k]!);
  }
  return out;
}

// Member-months: member i is enrolled in months firstMonth[i]..lastMonth[i] (1-12) of the
// performance year, with the age of 1 January before the birthday month and one more from it.
// Rows (forEachMemberMonth) and columns (populationColumns) both walk them this way.

/** Whether member i has had the birthday of the performance year by month m (1-12). */
const hadBirthday = (pop: Population, i: number, m: number) => m >= pop.birthMonth[i]!;

/** Calls `row` for every member-month, in member order then month order. */
export function forEachMemberMonth(f: Formatter, row: (member: string, month: string, payer: string, lob: string, risk: string, age: string, physician: string) => void): void {
  const { pop, resolved } = f;
  for (let i = 0; i < pop.members; i++) {
    const id = f.memberId(i);
    const payer = resolved.payers[pop.payer[i]!]!;
    const lob = f.lobOf(i);
    const risk = f.decimal(pop.risk[i]!);
    const physician = f.physicianIds[pop.physician[i]!]!;
    const age = pop.age[i]!;
    const younger = f.count(age);
    const older = f.count(age + 1);
    for (let m = pop.firstMonth[i]!; m <= pop.lastMonth[i]!; m++) row(id, f.months[m]!, payer, lob, risk, hadBirthday(pop, i, m) ? older : younger, physician);
  }
}

export function memberRows(f: Formatter): MemberMonthRow[] {
  const out: MemberMonthRow[] = [];
  forEachMemberMonth(f, (member, month, payer, lob, riskScore, age, physician) => out.push({ member, month, payer, lob, riskScore, age, physician }));
  return out;
}

/** Calls `row` for every claim, in member order. */
export function forEachClaim(
  f: Formatter,
  row: (id: string, member: string, date: string, physician: string | undefined, code: string, category: string, allowed: string, units: string) => void,
): void {
  const { pop } = f;
  let memberIndex = -1;
  let member = "";
  for (let k = 0; k < pop.claimCount; k++) {
    const i = pop.claimMember[k]!;
    if (i !== memberIndex) member = f.memberId((memberIndex = i));
    const d = pop.claimPhysician[k]!;
    const date = pop.claimDate[k]!;
    row(
      f.claimId(k),
      member,
      f.dates[((date / 100) | 0) % 100]![date % 100]!,
      d >= 0 ? f.physicianIds[d]! : undefined,
      pop.claimCodes[pop.claimCode[k]!]!,
      pop.claimCategories[pop.claimCategory[k]!]!,
      f.cents(pop.claimCents[k]!),
      f.count(pop.claimUnits[k]!),
    );
  }
}

export function claimRows(f: Formatter): ClaimRow[] {
  const out: ClaimRow[] = new Array(f.pop.claimCount);
  let k = 0;
  forEachClaim(f, (id, member, date, physician, code, category, allowed, units) => {
    out[k++] = physician !== undefined ? { id, member, date, physician, code, category, allowed, units } : { id, member, date, code, category, allowed, units };
  });
  return out;
}

/**
 * One trial of a synthetic population as settlement data: physicians in practices of 1-8 and
 * virtual panels of 10-15, member-months of the performance year, its claims, practice-level
 * quality rows and baseline-year aggregates per physician, practice, panel and the contract.
 * Deterministic: the same options give identical output.
 */
export function generatePopulation(options: PopulationOptions): SettlementInput {
  const { resolved, population } = simulatePopulation(options);
  return populationTables(resolved, population);
}

/** The six tables of a simulated population (what generatePopulation returns). */
export function populationTables(resolved: ResolvedOptions, population: Population): SettlementInput {
  const f = new Formatter(population, resolved);
  return {
    physicians: physicianRows(f),
    practices: practiceRows(f),
    members: memberRows(f),
    claims: claimRows(f),
    quality: qualityRows(f),
    baseline: baselineRows(f),
  };
}

// COLUMNS: the same tables as ColumnarInput, straight from the model's typed arrays

/**
 * Renumbers dictionary indices in first-seen order over `columns` (in place, one column after
 * another; −1 stays −1) and returns the values seen, in that order. This is the order
 * runtime/src/columns.ts `columnsOf` interns strings in, so columns built here and columns of the
 * same rows agree index for index.
 */
export function renumber(values: readonly string[], ...columns: Int32Array[]): string[] {
  if (values.length === 1) return columns.some((c) => c.some((v) => v >= 0)) ? [values[0]!] : [];
  const to = new Int32Array(values.length).fill(-1);
  const out: string[] = [];
  for (const column of columns)
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (v < 0) continue;
      let w = to[v]!;
      if (w < 0) {
        to[v] = w = out.length;
        out.push(values[v]!);
      }
      column[i] = w;
    }
  return out;
}

// Ids M1, M2, … and C1, C2, … are the same in every trial: kept (up to a bound) and shared.
const idCacheLimit = 1 << 19;
const memberIdCache: string[] = [];
const claimIdCache: string[] = [];

/** The first `count` ids, a list of its own (or the workspace's list, kept from the last draw with as many). */
function idList(cache: string[], prefix: string, count: number, workspace: Workspace | undefined): readonly string[] {
  const make = () => {
    for (let i = cache.length; i < Math.min(count, idCacheLimit); i++) cache.push(`${prefix}${i + 1}`);
    const out = count <= cache.length ? cache.slice(0, count) : cache.slice();
    for (let i = out.length; i < count; i++) out.push(`${prefix}${i + 1}`);
    return out;
  };
  return workspace ? workspace.list(`ids.${prefix}`, count, make) : make();
}

export interface ColumnOptions {
  /**
   * The population is used for nothing else: the claim columns and dictionaries may be the model's
   * own rather than copies.
   */
  readonly own?: boolean;
  /** Each member's physician index for its member-months, instead of the drawn one (Monte Carlo's panel fitting). */
  readonly memberPhysician?: Int32Array;
  /**
   * Where the columns' arrays come from (valid until the workspace's next draw; the member and
   * claim id lists may be those of an earlier draw); new arrays without one.
   */
  readonly workspace?: Workspace;
}

/**
 * The tables of a simulated population as columns: exactly the data of
 * `columnsOf(populationTables(resolved, population))`, row for row and index for index, with risk
 * scores and allowed amounts in cents (2 places) and ages and units whole (0 places), but without a
 * row object or a decimal string per member-month or claim. Physicians, practices, quality and
 * baseline are the same rows as populationTables'. Dictionaries are numbered in first-seen order
 * (what `renumber` of the finished columns gives): payers here, codes and categories by the model,
 * whose claims are already the claim columns. Columns a contract may never read (claim ids, member
 * ages, claim units) are made when first read.
 */
export function populationColumns(resolved: ResolvedOptions, pop: Population, options: ColumnOptions = {}): ColumnarInput {
  const own = options.own ?? false;
  const f = new Formatter(pop, resolved);
  const N = pop.members;
  const base = monthNumber(resolved.year, 1) - 1;
  // member-months
  const { firstMonth, lastMonth, age: memberAge } = pop;
  const memberPhysician = options.memberPhysician ?? pop.physician;
  let n = 0;
  for (let i = 0; i < N; i++) n += lastMonth[i]! - firstMonth[i]! + 1;
  const ws = options.workspace;
  // every element of these is written below
  const member = arrayOf(ws, "columns.members.member", Int32Array, n, false);
  const month = arrayOf(ws, "columns.members.month", Int32Array, n, false);
  const payer = arrayOf(ws, "columns.members.payer", Int32Array, n, false);
  const lob = arrayOf(ws, "columns.members.lob", Int32Array, n, false);
  const physician = arrayOf(ws, "columns.members.physician", Int32Array, n, false);
  const risk = arrayOf(ws, "columns.members.riskScore", Float64Array, n, false);
  const payerDrawn = new Int32Array(resolved.payers.length);
  const lobDrawn = new Int32Array(f.lobs.length);
  const seen = new Int32Array(2);
  fillMemberMonths(N, base, pop, memberPhysician, { member, month, payer, lob, physician, risk }, payerDrawn, lobDrawn, seen);
  const payers = Array.from(payerDrawn.subarray(0, seen[0]), (drawn) => resolved.payers[drawn]!);
  const lobs = Array.from(lobDrawn.subarray(0, seen[1]), (drawn) => f.lobs[drawn]!);
  const ages = (): Float64Array => {
    const age = arrayOf(ws, "columns.members.age", Float64Array, n, false);
    for (let j = 0; j < n; j++) {
      const i = member[j]!;
      age[j] = hadBirthday(pop, i, month[j]! - base) ? memberAge[i]! + 1 : memberAge[i]!;
    }
    return age;
  };
  // claims
  const K = pop.claimCount;
  // the model's claims are already the settlement's columns
  const { claimUnits } = pop;
  const claim = <T extends Int32Array | Float64Array>(column: T): T => (own ? column.subarray(0, K) : column.slice(0, K)) as T;
  const units = (): Float64Array => {
    const out = arrayOf(ws, "columns.claims.units", Float64Array, K, false);
    for (let k = 0; k < K; k++) out[k] = claimUnits[k]!;
    return out;
  };
  return {
    format: "columns",
    physicians: physicianRows(f),
    practices: practiceRows(f),
    quality: qualityRows(f),
    baseline: baselineRows(f),
    // every member has a member-month, so members are first seen in member order
    memberIds: idList(memberIdCache, "M", N, ws),
    payers,
    lobs,
    codes: own ? pop.claimCodes : [...pop.claimCodes],
    categories: own ? pop.claimCategories : [...pop.claimCategories],
    members: withLazy(
      { length: n, member, month, payer, lob, physician, riskScore: { places: 2, scaled: risk } },
      { age: (): ExactColumn => ({ places: 0, scaled: ages() }) },
    ),
    claims: withLazy(
      {
        length: K,
        member: claim(pop.claimMember),
        date: claim(pop.claimDate),
        physician: claim(pop.claimPhysician),
        code: claim(pop.claimCode),
        category: claim(pop.claimCategory),
        allowed: { places: 2, scaled: claim(pop.claimCents) },
      },
      { id: (): readonly string[] => idList(claimIdCache, "C", K, ws), units: (): ExactColumn => ({ places: 0, scaled: units() }) },
    ),
  };
}

/**
 * Every member-month of each member: its payer and line of business (numbered in first-seen
 * order, the drawn index of each number into payerDrawn and lobDrawn), physician and risk score
 * in cents; how many payers and lines of business were seen into `seen`. A loop of its own, so
 * the JIT does not compile what follows it in populationColumns before that has run.
 */
function fillMemberMonths(
  N: number,
  base: number,
  pop: Population,
  memberPhysician: Int32Array,
  out: { member: Int32Array; month: Int32Array; payer: Int32Array; lob: Int32Array; physician: Int32Array; risk: Float64Array },
  payerDrawn: Int32Array,
  lobDrawn: Int32Array,
  seen: Int32Array,
): void {
  const { firstMonth, lastMonth, payer: memberPayer, risk: memberRisk } = pop;
  const { member, month, payer, lob, physician, risk } = out;
  const payerIndex = new Int32Array(payerDrawn.length).fill(-1);
  const lobCount = lobDrawn.length;
  const lobIndex = new Int32Array(lobCount).fill(-1);
  let payers = 0;
  let lobs = 0;
  let r = 0;
  for (let i = 0; i < N; i++) {
    const first = firstMonth[i]!;
    const last = lastMonth[i]!;
    if (first > last) continue;
    const drawn = memberPayer[i]!;
    let p = payerIndex[drawn]!;
    if (p < 0) {
      payerIndex[drawn] = p = payers++;
      payerDrawn[p] = drawn;
    }
    const drawnLob = i % lobCount;
    let b = lobIndex[drawnLob]!;
    if (b < 0) {
      lobIndex[drawnLob] = b = lobs++;
      lobDrawn[b] = drawnLob;
    }
    const rc = toCents(memberRisk[i]!);
    const d = memberPhysician[i]!;
    for (let m = first; m <= last; m++, r++) {
      member[r] = i;
      month[r] = base + m;
      payer[r] = p;
      lob[r] = b;
      physician[r] = d;
      risk[r] = rc;
    }
  }
  seen[0] = payers;
  seen[1] = lobs;
}

/** One trial of a synthetic population as columns: the data of `generatePopulation(options)`, built directly. */
export function generateColumns(options: PopulationOptions): ColumnarInput {
  const { resolved, population } = simulatePopulation(options);
  return populationColumns(resolved, population, { own: true });
}

// COLUMNS BACK TO ROWS (for showing or writing a trial's data)

const scaledText = (scaled: number, places: number): string => {
  if (places === 0) return String(scaled);
  const digits = String(Math.abs(scaled)).padStart(places + 1, "0");
  return `${scaled < 0 ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
};

/** The row form of columns: decimals with their column's places, months and dates as text. */
export function columnRows(input: ColumnarInput): SettlementInput {
  const m = input.members;
  const c = input.claims;
  const exact = (column: ExactColumn, i: number) => {
    const v = column.scaled[i]!;
    return v !== v ? undefined : scaledText(v, column.places);
  };
  const members: MemberMonthRow[] = [];
  for (let i = 0; i < m.length; i++) {
    const lob = m.lob[i]! >= 0 ? input.lobs[m.lob[i]!] : undefined;
    const age = exact(m.age, i);
    const physician = m.physician[i]! >= 0 ? input.physicians[m.physician[i]!]!.id : undefined;
    members.push({
      member: input.memberIds[m.member[i]!]!,
      month: monthText(m.month[i]!),
      payer: input.payers[m.payer[i]!]!,
      ...(lob !== undefined ? { lob } : {}),
      riskScore: exact(m.riskScore, i)!,
      ...(age !== undefined ? { age } : {}),
      ...(physician !== undefined ? { physician } : {}),
    });
  }
  const claims: ClaimRow[] = [];
  for (let k = 0; k < c.length; k++) {
    const physician = c.physician[k]! >= 0 ? input.physicians[c.physician[k]!]!.id : undefined;
    const units = exact(c.units, k);
    claims.push({
      id: c.id[k]!,
      member: input.memberIds[c.member[k]!]!,
      date: dateText(c.date[k]!),
      ...(physician !== undefined ? { physician } : {}),
      code: input.codes[c.code[k]!]!,
      category: input.categories[c.category[k]!]!,
      allowed: exact(c.allowed, k)!,
      ...(units !== undefined ? { units } : {}),
    });
  }
  return {
    physicians: input.physicians,
    practices: input.practices,
    members,
    claims,
    quality: input.quality,
    baseline: input.baseline,
    ...(input.parameters ? { parameters: input.parameters } : {}),
  };
}
