// SYNTHETIC POPULATIONS: one trial of a preset population as settlement data.
//
// `generatePopulation` validates its options, runs the columnar model (model.ts) and turns the
// columns into the six tables of docs/data-formats.md (SettlementInput). Amounts are floats in the
// model and are rounded to cents only here, as decimal strings. Same options, same output, byte
// for byte; `trial` selects independent random streams; effects change only the draws they act on.
// docs/simulation.md describes the model and its calibration.

import type { BaselineRow, ClaimRow, MemberMonthRow, PhysicianRow, PracticeRow, QualityRow, SettlementInput } from "../../runtime/src/input";
import { categoryNames, simulate, type Effects, type Population } from "./model";
import { defaultMeasures, params, presets, type Preset } from "./presets";

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

const optionNames = ["preset", "members", "seed", "year", "payers", "careTeams", "measures", "effects", "trial"];

export interface ResolvedOptions {
  readonly preset: Preset;
  readonly members: number;
  readonly seed: number;
  readonly year: number;
  readonly payers: readonly string[];
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
  return { preset, members, seed, year, payers, careTeams, measures, effects, trial };
}

/** Runs the model for validated options. */
export function simulatePopulation(options: PopulationOptions): { readonly resolved: ResolvedOptions; readonly population: Population } {
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
  );
  return { resolved, population };
}

// FORMATTING: ids, months, dates and decimals as strings (shared with the CSV writer)

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const cents2 = Array.from({ length: 100 }, (_, n) => `.${pad2(n)}`);

/** Rounds a non-negative float to cents and writes it with two decimals. */
export function money(x: number): string {
  const cents = Math.floor(x * 100 + 0.5);
  const whole = Math.floor(cents / 100);
  return `${whole}${cents2[cents - whole * 100]!}`;
}

const moneyCacheSize = 250_000;

export class Formatter {
  readonly months: string[];
  readonly dates: string[][];
  readonly physicianIds: string[];
  readonly practiceIds: string[];
  readonly panelIds: string[];
  readonly categories: readonly string[] = categoryNames;
  readonly lob: string;
  private readonly decimals: string[] = [];
  private readonly counts: string[] = [];
  private readonly amounts: string[] = new Array(moneyCacheSize);

  constructor(
    readonly pop: Population,
    readonly resolved: ResolvedOptions,
  ) {
    const year = resolved.year;
    this.months = Array.from({ length: 13 }, (_, m) => (m === 0 ? "" : `${year}-${pad2(m)}`));
    this.dates = this.months.map((month, m) => (m === 0 ? [] : Array.from({ length: 32 }, (_, d) => (d === 0 ? "" : `${month}-${pad2(d)}`))));
    const n = pop.network;
    this.physicianIds = Array.from({ length: n.physicianCount }, (_, i) => `D${i + 1}`);
    this.practiceIds = Array.from({ length: n.practiceCount }, (_, i) => `P${i + 1}`);
    this.panelIds = Array.from({ length: n.panelCount }, (_, i) => `N${i + 1}`);
    this.lob = params[resolved.preset].lob;
  }

  /** Two-decimal string of a small non-negative number (risk scores), cached. */
  decimal(x: number): string {
    const cents = Math.floor(x * 100 + 0.5);
    if (cents >= 100_000) return money(x);
    return (this.decimals[cents] ??= money(cents / 100));
  }

  /** money(x), with the strings of amounts under $2,500 shared. */
  amount(x: number): string {
    const cents = Math.floor(x * 100 + 0.5);
    if (cents >= moneyCacheSize) return money(x);
    return (this.amounts[cents] ??= money(x));
  }

  count(n: number): string {
    if (n >= 10_000) return String(n);
    return (this.counts[n] ??= String(n));
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

/** Calls `row` for every member-month, in member order then month order. */
export function forEachMemberMonth(f: Formatter, row: (member: string, month: string, payer: string, risk: string, age: string, physician: string) => void): void {
  const { pop, resolved } = f;
  for (let i = 0; i < pop.members; i++) {
    const id = f.memberId(i);
    const payer = resolved.payers[pop.payer[i]!]!;
    const risk = f.decimal(pop.risk[i]!);
    const physician = f.physicianIds[pop.physician[i]!]!;
    const age = pop.age[i]!;
    const birthday = pop.birthMonth[i]!;
    const younger = f.count(age);
    const older = f.count(age + 1);
    for (let m = pop.firstMonth[i]!; m <= pop.lastMonth[i]!; m++) row(id, f.months[m]!, payer, risk, m >= birthday ? older : younger, physician);
  }
}

export function memberRows(f: Formatter): MemberMonthRow[] {
  const out: MemberMonthRow[] = [];
  const lob = f.lob;
  forEachMemberMonth(f, (member, month, payer, riskScore, age, physician) => out.push({ member, month, payer, lob, riskScore, age, physician }));
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
    row(
      f.claimId(k),
      member,
      f.dates[pop.claimMonth[k]!]![pop.claimDay[k]!]!,
      d >= 0 ? f.physicianIds[d]! : undefined,
      pop.codes[pop.claimCode[k]!]!,
      f.categories[pop.claimCategory[k]!]!,
      f.amount(pop.claimAmount[k]!),
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
