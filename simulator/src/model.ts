// THE POPULATION MODEL, in columns (typed arrays), before any row or string exists.
//
// `simulate` draws one trial: the practice network (from the seed alone), members, their
// enrollment, latent health and costs in the baseline and performance years, claims of the
// performance year, quality events, and baseline aggregates. Every purpose draws from its own
// stream (rng.ts) a number of values that does not depend on the intervention effects, so two
// scenarios of the same seed and trial share every draw except the ones the effects act on:
// an ED visit that an effect removes is removed by its own thinning draw, and nothing else moves.
// A trial depends on its options and nothing else: what does not depend on the trial number (the
// network, code tables and prices) is built once and shared by the trials that use it.
// Amounts are floats here; rows round them to cents (population.ts).

import { calibration, conditionAgeSlope, type Calibration, conditionLoading, edPower, inpatientHalf, inpatientSteep, latentAr, lookup, qualityIntercept } from "./calibrate";
import {
  admissionCodes,
  conditions,
  coveringVisitShare,
  edCodes,
  genericMeasure,
  measureSpecs,
  officeVisitCodes,
  panelSizeRange,
  practiceQualitySd,
  practiceSizeWeights,
  residualCategories,
  residualClaims,
  riskGroupCuts,
  scriptCost,
  virtualPanelRange,
  type MeasureSpec,
  type Preset,
} from "./presets";
import { measureStream, NetworkPurpose, networkStreams, normalQuantile, normalQuantiles, Purpose, trialStreams, type Stream } from "./rng";
import { arrayOf, grownArray, type ArrayClass, type ArrayType, type Workspace } from "./workspace";

export interface Effects {
  /** Relative change in ED visits, e.g. -0.10 = 10% fewer. */
  readonly edVisits: number;
  /** Relative change in inpatient admissions. */
  readonly admissions: number;
  /** Annual cost growth from the baseline year to the performance year, e.g. 0.04. */
  readonly costTrend: number;
  /** Absolute change in quality-measure rates, e.g. 0.03 = +3 points. */
  readonly qualityRates: number;
}

export interface ModelOptions {
  readonly preset: Preset;
  readonly members: number;
  readonly seed: number;
  readonly trial: number;
  readonly payerCount: number;
  readonly careTeamCount: number;
  readonly measures: readonly string[];
  readonly effects: Effects;
}

/** Claim categories in the order of docs/data-formats.md. */
export const categoryNames = ["primary_care", "specialist", "ed", "inpatient", "outpatient", "pharmacy", "other"] as const;
const CAT = { primary_care: 0, specialist: 1, ed: 2, inpatient: 3, outpatient: 4, pharmacy: 5, other: 6 } as const;

export interface Network {
  readonly physicianCount: number;
  readonly practiceCount: number;
  readonly panelCount: number;
  /** Per physician: practice index, panel index, first member index and number of members. */
  readonly physicianPractice: Int32Array;
  readonly physicianPanel: Int32Array;
  readonly physicianFirst: Int32Array;
  readonly physicianMembers: Int32Array;
  /** Per practice: first physician, number of physicians, recognition level 1-3, care team index or -1. */
  readonly practiceFirst: Int32Array;
  readonly practiceSize: Int32Array;
  readonly practiceRecognition: Uint8Array;
  readonly practiceCareTeam: Int32Array;
  /** Per practice: effect on latent health (standard normal) and on each measure's logit. */
  readonly practiceHealth: Float64Array;
  readonly practiceQuality: Float64Array;
  readonly practiceNames: readonly string[];
  readonly physicianNames: readonly string[];
}

export interface Population {
  readonly options: ModelOptions;
  readonly network: Network;
  readonly members: number;
  // per member
  readonly physician: Int32Array;
  readonly payer: Uint16Array;
  readonly cell: Uint8Array;
  readonly female: Uint8Array;
  /** Age on 1 January of the performance year, and the month (1-12) of the birthday. */
  readonly age: Uint8Array;
  readonly birthMonth: Uint8Array;
  /** Enrolled months of the performance year, first..last (1-12), and months of the baseline year. */
  readonly firstMonth: Uint8Array;
  readonly lastMonth: Uint8Array;
  readonly baselineMonths: Uint8Array;
  /** Risk scores (mean 1) in the performance and baseline years. */
  readonly risk: Float64Array;
  readonly baselineRisk: Float64Array;
  /** Annual cost in dollars for a full year (before enrollment): baseline, and performance before effects. */
  readonly baselineAnnual: Float64Array;
  readonly annual: Float64Array;
  /** Chronic conditions, one bit each in the order of presets.conditions. */
  readonly conditions: Uint8Array;
  // claims of the performance year, as the settlement columns take them
  readonly claimCount: number;
  readonly claimMember: Int32Array;
  /** YYYYMMDD. */
  readonly claimDate: Int32Array;
  /** Index into claimCategories, numbered in order of first appearance. */
  readonly claimCategory: Int32Array;
  readonly claimCategories: readonly string[];
  /** Index into claimCodes, numbered in order of first appearance. */
  readonly claimCode: Int32Array;
  readonly claimCodes: readonly string[];
  readonly claimUnits: Uint8Array;
  readonly claimPhysician: Int32Array;
  /** Allowed amount in whole cents. */
  readonly claimCents: Float64Array;
  // quality, per practice x measure
  readonly measures: readonly MeasureSpec[];
  readonly qualityNumerator: Int32Array;
  readonly qualityDenominator: Int32Array;
  // baseline aggregates per physician (members of the baseline year, including those who left)
  readonly baselineMemberMonths: Float64Array;
  readonly baselineCost: Float64Array;
  readonly baselineRiskMonths: Float64Array;
  /** Practice risk group 1-4 from the member-month average risk score of the performance year. */
  readonly practiceRiskGroup: Uint8Array;
}

// THE NETWORK: physicians, practices, virtual panels (seed and size only; same in every trial)

const placeNames = [
  "Riverside", "Hilltop", "Lakeview", "Maple", "Cedar", "Northgate", "Harbor", "Valley", "Summit", "Oakwood", "Pine Ridge", "Meadow", "Brookside", "Westfield", "Eastside", "Fairview",
  "Greenway", "Highland", "Kingsbridge", "Linden", "Millbrook", "Newport", "Orchard", "Parkside", "Quarry Hill", "Redwood", "Stonegate", "Thornton", "Union", "Willow", "Aspen", "Birchwood",
];
const practiceKinds = ["Family Medicine", "Primary Care", "Internal Medicine", "Health Center", "Medical Group", "Family Practice", "Community Health", "Pediatrics & Family Care"];
const surnames = [
  "Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ibrahim", "Jones", "Kim", "Lopez", "Morgan", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Singh", "Tanaka",
  "Underwood", "Varga", "Williams", "Xu", "Yilmaz", "Zimmerman", "Brooks", "Carter", "Dubois", "Ellis", "Foster", "Gupta", "Hughes", "Ito", "Jensen", "Kowalski", "Larsen", "Murphy", "Novak", "Olsen",
];

function physiciansFor(members: number): number {
  let p = Math.max(1, Math.round(members / ((panelSizeRange[0] + panelSizeRange[1]) / 2)));
  // 16-19 physicians cannot be split into panels of 10-15; 15 physicians still carry under 2,000 each.
  if (p > virtualPanelRange[1] && p < 2 * virtualPanelRange[0]) p = virtualPanelRange[1];
  return p;
}

/** Splits n into parts with the given weights, exactly (largest remainder; ties to the lower index). */
function apportion(n: number, weights: Float64Array): Int32Array {
  let total = 0;
  for (const w of weights) total += w;
  const out = new Int32Array(weights.length);
  const rema: number[] = [];
  let used = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (n * weights[i]!) / total;
    out[i] = Math.floor(exact);
    used += out[i]!;
    rema.push(exact - out[i]!);
  }
  const order = rema.map((r, i) => [r, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < n - used; k++) out[order[k]![1]]!++;
  return out;
}

export function buildNetwork(members: number, seed: number, careTeamCount: number, measureCodes: readonly string[]): Network {
  const measureCount = measureCodes.length;
  const streams = networkStreams(seed);
  const structure = streams[NetworkPurpose.structure]!;
  const names = streams[NetworkPurpose.names]!;
  const effects = streams[NetworkPurpose.effects]!;
  const physicianCount = physiciansFor(members);
  // members per physician
  const weights = new Float64Array(physicianCount);
  for (let i = 0; i < physicianCount; i++) weights[i] = panelSizeRange[0] + structure.uniform() * (panelSizeRange[1] - panelSizeRange[0]);
  const physicianMembers = apportion(members, weights);
  // panels of 10-15 physicians (one panel when there are fewer than 10)
  const [minPanel, maxPanel] = virtualPanelRange;
  const panelCount = physicianCount < minPanel ? 1 : Math.ceil(physicianCount / maxPanel);
  const panelSizes = new Int32Array(panelCount);
  for (let k = 0; k < panelCount; k++) panelSizes[k] = Math.floor(physicianCount / panelCount) + (k < physicianCount % panelCount ? 1 : 0);
  if (panelCount > 1)
    for (let it = 0; it < 3 * panelCount; it++) {
      const a = structure.int(panelCount);
      const b = structure.int(panelCount);
      if (a !== b && panelSizes[a]! > minPanel && panelSizes[b]! < maxPanel) {
        panelSizes[a]!--;
        panelSizes[b]!++;
      }
    }
  // practices of 1-8 physicians inside each panel
  const practiceFirst: number[] = [];
  const practiceSize: number[] = [];
  const physicianPractice = new Int32Array(physicianCount);
  const physicianPanel = new Int32Array(physicianCount);
  let next = 0;
  for (let k = 0; k < panelCount; k++) {
    let left = panelSizes[k]!;
    while (left > 0) {
      const cap = Math.min(left, practiceSizeWeights.length);
      let total = 0;
      for (let s = 0; s < cap; s++) total += practiceSizeWeights[s]!;
      let u = structure.uniform() * total;
      let size = 1;
      while (size < cap && u >= practiceSizeWeights[size - 1]!) u -= practiceSizeWeights[size++ - 1]!;
      practiceFirst.push(next);
      practiceSize.push(size);
      for (let j = 0; j < size; j++) {
        physicianPractice[next] = practiceFirst.length - 1;
        physicianPanel[next++] = k;
      }
      left -= size;
    }
  }
  const practiceCount = practiceFirst.length;
  const physicianFirst = new Int32Array(physicianCount);
  for (let i = 1; i < physicianCount; i++) physicianFirst[i] = physicianFirst[i - 1]! + physicianMembers[i - 1]!;
  // practice characteristics
  const practiceRecognition = new Uint8Array(practiceCount);
  const practiceCareTeam = new Int32Array(practiceCount);
  const practiceHealth = new Float64Array(practiceCount);
  const practiceQuality = new Float64Array(practiceCount * measureCount);
  const general = new Float64Array(practiceCount);
  for (let p = 0; p < practiceCount; p++) {
    general[p] = effects.normal();
    const recognition = general[p]! + 0.8 * effects.normal();
    practiceRecognition[p] = recognition < -0.6 ? 1 : recognition < 0.6 ? 2 : 3;
    practiceHealth[p] = effects.normal();
    const team = effects.uniform();
    practiceCareTeam[p] = careTeamCount > 0 ? Math.floor(team * careTeamCount) : -1;
  }
  // measure effects: the practice's general quality plus a part of the measure's own, drawn from a
  // stream of the measure's code, so a practice's BCS effect does not depend on the other measures asked for
  measureCodes.forEach((code, m) => {
    const own = measureStream(seed, code);
    for (let p = 0; p < practiceCount; p++) practiceQuality[p * measureCount + m] = practiceQualitySd * (0.6 * general[p]! + 0.8 * own.normal());
  });
  // standardise the practice effects over the network (member-weighted mean 0 and SD 1 for health,
  // mean 0 and the intended SD for each measure), so the network as a whole keeps the preset's
  // mean cost and national quality rates while its practices differ
  const practiceMembers = new Float64Array(practiceCount);
  for (let d = 0; d < physicianCount; d++) practiceMembers[physicianPractice[d]!]! += physicianMembers[d]!;
  const standardise = (get: (q: number) => number, set: (q: number, v: number) => void, sd: number) => {
    let mean = 0;
    for (let q = 0; q < practiceCount; q++) mean += (get(q) * practiceMembers[q]!) / members;
    let variance = 0;
    for (let q = 0; q < practiceCount; q++) variance += ((get(q) - mean) ** 2 * practiceMembers[q]!) / members;
    const scale = variance > 1e-12 ? sd / Math.sqrt(variance) : 0;
    for (let q = 0; q < practiceCount; q++) set(q, (get(q) - mean) * scale);
  };
  standardise((q) => practiceHealth[q]!, (q, v) => (practiceHealth[q] = v), 1);
  for (let m = 0; m < measureCount; m++)
    standardise((q) => practiceQuality[q * measureCount + m]!, (q, v) => (practiceQuality[q * measureCount + m] = v), practiceQualitySd);
  const practiceNames: string[] = [];
  for (let p = 0; p < practiceCount; p++) {
    const place = placeNames[names.int(placeNames.length)]!;
    const kind = practiceKinds[names.int(practiceKinds.length)]!;
    const cycle = Math.floor(p / (placeNames.length * practiceKinds.length));
    practiceNames.push(`${place} ${kind}${cycle > 0 ? ` ${cycle + 1}` : ""}`);
  }
  const physicianNames: string[] = [];
  for (let d = 0; d < physicianCount; d++) physicianNames.push(`Dr. ${String.fromCharCode(65 + names.int(26))}. ${surnames[names.int(surnames.length)]}`);
  return {
    physicianCount,
    practiceCount,
    panelCount,
    physicianPractice,
    physicianPanel,
    physicianFirst,
    physicianMembers,
    practiceFirst: Int32Array.from(practiceFirst),
    practiceSize: Int32Array.from(practiceSize),
    practiceRecognition,
    practiceCareTeam,
    practiceHealth,
    practiceQuality,
    practiceNames,
    physicianNames,
  };
}

// CLAIM STORAGE

/**
 * The claims being drawn. A member's claims are written with the drawn code and category indices
 * and amounts in dollars; `finish` then turns them into what the settlement columns take: amounts
 * in whole cents, and codes and categories numbered in order of first appearance.
 */
class Claims {
  n = 0;
  private readonly workspace: Workspace | undefined;
  member: Int32Array;
  date: Int32Array;
  category: Int32Array;
  code: Int32Array;
  units: Uint8Array;
  physician: Int32Array;
  amount: Float64Array;
  /**
   * The number of each drawn code and category among those seen so far (−1: not yet), and the drawn
   * index of each number. Numbers only, so the claims loop never grows a list (a list that grows
   * from empty in every trial sends the JIT's code for the loop back to the interpreter).
   */
  private readonly codeNumber: Int32Array;
  private readonly codeDrawn: Int32Array;
  private codeCount = 0;
  private readonly categoryNumber = new Int32Array(categoryNames.length).fill(-1);
  private readonly categoryDrawn = new Int32Array(categoryNames.length);
  private categoryCount = 0;

  /** Room for `capacity` claims; every field of a claim is written when it is added. */
  constructor(
    capacity: number,
    workspace: Workspace | undefined,
    private readonly drawnCodes: readonly string[],
  ) {
    this.workspace = workspace;
    this.codeNumber = new Int32Array(drawnCodes.length).fill(-1);
    this.codeDrawn = new Int32Array(drawnCodes.length);
    const take = <T extends ArrayType>(name: string, type: ArrayClass<T>) => arrayOf(workspace, `claims.${name}`, type, capacity, false);
    this.member = take("member", Int32Array);
    this.date = take("date", Int32Array);
    this.category = take("category", Int32Array);
    this.code = take("code", Int32Array);
    this.units = take("units", Uint8Array);
    this.physician = take("physician", Int32Array);
    this.amount = take("amount", Float64Array);
  }
  private grow() {
    const cap = this.member.length * 2 + 1024;
    const g = <T extends ArrayType>(name: string, a: T, type: ArrayClass<T>): T => grownArray(this.workspace, `claims.${name}`, a, type, cap);
    this.member = g("member", this.member, Int32Array);
    this.date = g("date", this.date, Int32Array);
    this.category = g("category", this.category, Int32Array);
    this.code = g("code", this.code, Int32Array);
    this.units = g("units", this.units, Uint8Array);
    this.physician = g("physician", this.physician, Int32Array);
    this.amount = g("amount", this.amount, Float64Array);
  }
  /** Claims `from` up to `n` are final: amounts to whole cents (half up), codes and categories renumbered. */
  finish(from: number): void {
    const { amount, code, category, codeNumber, categoryNumber } = this;
    for (let k = from; k < this.n; k++) {
      amount[k] = Math.floor(amount[k]! * 100 + 0.5);
      const drawnCode = code[k]!;
      let c = codeNumber[drawnCode]!;
      if (c < 0) {
        codeNumber[drawnCode] = c = this.codeCount++;
        this.codeDrawn[c] = drawnCode;
      }
      code[k] = c;
      const drawnCategory = category[k]!;
      let g = categoryNumber[drawnCategory]!;
      if (g < 0) {
        categoryNumber[drawnCategory] = g = this.categoryCount++;
        this.categoryDrawn[g] = drawnCategory;
      }
      category[k] = g;
    }
  }
  /** The codes claims use, in order of their numbers. */
  codes(): string[] {
    return Array.from(this.codeDrawn.subarray(0, this.codeCount), (drawn) => this.drawnCodes[drawn]!);
  }
  /** The categories claims use, in order of their numbers. */
  categories(): string[] {
    return Array.from(this.categoryDrawn.subarray(0, this.categoryCount), (drawn) => categoryNames[drawn]!);
  }
  /** Makes room for `count` more claims; the caller writes every field of each, then moves `n` past them. */
  reserve(count: number): void {
    while (this.n + count > this.member.length) this.grow();
  }
  /** Copies claim `from` over claim `to` (to <= from). */
  move(from: number, to: number): void {
    if (from === to) return;
    this.member[to] = this.member[from]!;
    this.date[to] = this.date[from]!;
    this.category[to] = this.category[from]!;
    this.code[to] = this.code[from]!;
    this.units[to] = this.units[from]!;
    this.physician[to] = this.physician[from]!;
    this.amount[to] = this.amount[from]!;
  }
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Picks an index from cumulative shares by one uniform. */
function pick(cumulative: Float64Array, u: number): number {
  let i = 0;
  while (i < cumulative.length - 1 && u >= cumulative[i]!) i++;
  return i;
}

function cumulative(shares: readonly number[]): Float64Array {
  const out = new Float64Array(shares.length);
  let total = 0;
  for (const s of shares) total += s;
  let acc = 0;
  shares.forEach((s, i) => (out[i] = acc += s / total));
  out[shares.length - 1] = 1;
  return out;
}

// CACHES: what a trial uses that does not depend on the trial number
//
// The network depends on the seed, size, care teams and measures only; the tables below on the
// preset, year, cost trend and measures only. Monte Carlo trials of one scenario share them. Both are
// immutable once built (a Population's network is shared by the trials that made it: read it,
// don't write it). A few of each are kept, the most recently built.

const cacheLimit = 8;

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!);
    cache.set(key, v);
  }
  return v;
}

const networks = new Map<string, Network>();

/** buildNetwork, cached: the same network for every trial of a seed and size. */
export function networkFor(members: number, seed: number, careTeamCount: number, measureCodes: readonly string[]): Network {
  const key = `${members}|${seed}|${careTeamCount}|${JSON.stringify(measureCodes)}`;
  return remember(networks, key, () => buildNetwork(members, seed, careTeamCount, measureCodes));
}

/** A trial's constants: code tables, prices (with the cost trend), rates and measure rules. */
interface Setup {
  readonly cal: Calibration;
  readonly measures: readonly MeasureSpec[];
  readonly codes: readonly string[];
  readonly pcCodes: Int32Array;
  readonly pcCum: Float64Array;
  readonly pcFees: Float64Array;
  readonly edCodes: Int32Array;
  readonly edCum: Float64Array;
  readonly edFees: Float64Array;
  readonly drg: Int32Array;
  /** Per residual category k: code brackets, limit (relative amount) and code index; limits end with Infinity (residualBrackets of them). */
  readonly residualLimits: readonly Float64Array[];
  readonly residualCodes: readonly Int32Array[];
  /** Per residual category: share, price with the trend, typical line with the trend, most lines. */
  readonly residualShares: Float64Array;
  readonly residualScale: Float64Array;
  readonly residualUnit: Float64Array;
  readonly residualMax: Int32Array;
  /** A script with the trend (pharmacy units). */
  readonly scriptUnit: number;
  readonly monthDays: Int32Array;
  /** YYYYMM01 of each month of the performance year (index 1-12). */
  readonly monthStart: Int32Array;
  readonly trendF: number;
  readonly annualCost: number;
  readonly ipUnitCost: number;
  readonly pcRate: number;
  readonly edRate: number;
  readonly halfK: number;
  readonly sdM: number;
  readonly arC: number;
  readonly pJan: number;
  readonly logStay: number;
  readonly cellLo: Int32Array;
  readonly cellSpan: Int32Array;
  readonly cellFemale: Uint8Array;
  readonly cIntercept: Float64Array;
  readonly cSlope: Float64Array;
  readonly cLoad: Float64Array;
  readonly cRest: Float64Array;
  readonly measureCondition: Int32Array;
  readonly measureSample: Float64Array;
  readonly measureMin: Int32Array;
  readonly measureMax: Int32Array;
  readonly measureFemale: Uint8Array;
  readonly qualityIntercepts: Float64Array;
}

const setups = new Map<string, Setup>();

function setupFor(options: ModelOptions, year: number): Setup {
  const { preset, measures: measureCodes } = options;
  const costTrend = options.effects.costTrend;
  const key = `${preset}|${year}|${costTrend}|${JSON.stringify(measureCodes)}`;
  return remember(setups, key, () => buildSetup(preset, year, costTrend, measureCodes));
}

function buildSetup(preset: Preset, year: number, costTrend: number, measureCodes: readonly string[]): Setup {
  const cal = calibration(preset);
  const p = cal.params;
  const measures = measureCodes.map((code) => measureSpecs.find((m) => m.code === code) ?? genericMeasure(code));
  // code table, in the order codes are first used
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  const code = (c: string) => {
    let i = codeIndex.get(c);
    if (i === undefined) codeIndex.set(c, (i = codes.push(c) - 1));
    return i;
  };
  const pcCodes = Int32Array.from(officeVisitCodes, (c) => code(c.code));
  const edCodeIdx = Int32Array.from(edCodes, (c) => code(c.code));
  const drg = Int32Array.from(admissionCodes[preset], code);
  const residualCodes = residualCategories.map((k) => Int32Array.from(residualClaims[k].codes, ([, c]) => code(c)));
  // padded with Infinity to residualBrackets, so a line's bracket is a count of comparisons
  const residualLimits = residualCategories.map((k) => {
    const limits = new Float64Array(residualBrackets).fill(Infinity);
    if (residualClaims[k].codes.length > residualBrackets) throw new Error(`residual category ${k} has more than ${residualBrackets} code brackets`);
    residualClaims[k].codes.forEach(([limit], t) => (limits[t] = limit));
    return limits;
  });
  const trendF = 1 + costTrend;
  const annualCost = p.annualCost;
  const unitIp = cal.ipUnit;
  const sdP = cal.practiceSd;
  const cLoad = Float64Array.from(conditions, (k) => conditionLoading[k]);
  const residualPrice = Float64Array.of(p.professionalPrice, p.facilityPrice, 1, p.facilityPrice);
  return {
    cal,
    measures,
    codes,
    pcCodes,
    pcCum: cumulative(officeVisitCodes.map((c) => c.share)),
    pcFees: Float64Array.from(officeVisitCodes, (c) => c.fee * p.professionalPrice * trendF),
    edCodes: edCodeIdx,
    edCum: cumulative(edCodes.map((c) => c.share)),
    edFees: Float64Array.from(edCodes, (c) => c.fee * p.facilityPrice * trendF),
    drg,
    residualLimits,
    residualCodes,
    residualShares: Float64Array.from(residualCategories, (k) => p.residualShares[k]),
    residualScale: residualPrice.map((price) => price * trendF),
    residualUnit: Float64Array.from(residualCategories, (k, i) => residualClaims[k].typical * residualPrice[i]! * trendF),
    residualMax: Int32Array.from(residualCategories, (k) => residualClaims[k].max),
    scriptUnit: scriptCost * trendF,
    monthDays: Int32Array.from({ length: 13 }, (_, m) => (m === 0 ? 0 : daysIn(year, m))),
    monthStart: Int32Array.from({ length: 13 }, (_, m) => year * 10000 + m * 100 + 1),
    trendF,
    annualCost,
    // admissions of low-cost members are scaled down to the member's cost (below); pricing the mean
    // admission 10% above the inpatient budget per admission compensates [derived by simulation]
    ipUnitCost: 1.1 * cal.ipUnit * annualCost * trendF,
    pcRate: p.pcVisits / 1000 / cal.pcNorm,
    edRate: p.edVisits / 1000 / cal.edNorm,
    halfK: Math.pow(inpatientHalf * unitIp, inpatientSteep),
    sdM: Math.sqrt(1 - sdP * sdP),
    arC: Math.sqrt(1 - latentAr * latentAr),
    pJan: 1 / (1 + 11 * p.churn),
    logStay: Math.log(1 - p.churn),
    cellLo: Int32Array.from(p.cells, (c) => c.lo),
    cellSpan: Int32Array.from(p.cells, (c) => c.hi - c.lo + 1),
    cellFemale: Uint8Array.from(p.cells, (c) => (c.female ? 1 : 0)),
    cIntercept: Float64Array.from(conditions, (k) => cal.conditionIntercept[k]),
    cSlope: Float64Array.from(conditions, (k) => conditionAgeSlope[k] / 10),
    cLoad,
    cRest: cLoad.map((b) => Math.sqrt(1 - b * b)),
    measureCondition: Int32Array.from(measures, (m) => (m.condition ? 1 << conditions.indexOf(m.condition) : 0)),
    measureSample: Float64Array.from(measures, (m) => m.sample ?? 1),
    measureMin: Int32Array.from(measures, (m) => m.minAge),
    measureMax: Int32Array.from(measures, (m) => m.maxAge),
    measureFemale: Uint8Array.from(measures, (m) => (m.femaleOnly ? 1 : 0)),
    qualityIntercepts: Float64Array.from(measures, (m) => qualityIntercept(m.rate[preset])),
  };
}

// THE SIMULATION
//
// Members are drawn in blocks. For each block, one pass per part of the model: demographics,
// enrollment, latent health and costs, claims, quality. Each pass draws only from its own streams
// and draws them in member order, so every stream gives each member exactly the values a single
// pass member by member gives; the passes are small loops the JIT compiles well, and the
// per-member sums (cost, risk, member-months by physician and practice) are still added in member
// order. Baseline-year leavers follow all members.

/** Members per block: the block's scratch columns stay small. */
const blockSize = 1024;
/** "Other" goes to members above the mean cost only; they carry about 3/4 of the cost, so this boost lands the share near its target. */
const otherBoost = 1.6;
const residualCat = Uint8Array.of(CAT.specialist, CAT.outpatient, CAT.pharmacy, CAT.other);
/** Code brackets a residual category may have at most (the last limit Infinity). */
const residualBrackets = 6;

class Trial {
  private readonly s: Setup;
  private readonly net: Network;
  private readonly N: number;
  private readonly M: number;
  private readonly payerCount: number;
  private readonly eff: Effects;
  // streams
  private readonly demo: Stream;
  private readonly enrol: Stream;
  private readonly health: Stream;
  private readonly noise: Stream;
  private readonly ipS: Stream;
  private readonly edS: Stream;
  private readonly pcS: Stream;
  private readonly resS: Stream;
  private readonly edEffS: Stream;
  private readonly edExtraS: Stream;
  private readonly ipEffS: Stream;
  private readonly ipExtraS: Stream;
  private readonly qS: Stream;
  private readonly boS: Stream;
  // per practice: sdP * health effect, and the probability of each measure's numerator
  private readonly practiceShift: Float64Array;
  private readonly qualityProb: Float64Array;
  // per member of the current block
  private readonly midAge = new Int32Array(blockSize);
  private readonly cost = new Float64Array(blockSize);
  /** The block's draws from the health stream (8 normals a member) and the cost noise stream (2). */
  private readonly healthDraws = new Float64Array(8 * blockSize);
  private readonly noiseDraws = new Float64Array(2 * blockSize);
  /** The normals of a block of baseline-year leavers (3 each). */
  private readonly leaverNormals = new Float64Array(3 * blockSize);
  private readonly draws = new Float64Array(4); // the split of what is left into the four other categories
  /** drawCounts' results for one member: admissions, ED visits, primary care visits; and the admission mean and cost^edPower. */
  private readonly counts = new Int32Array(3);
  private readonly means = new Float64Array(2);
  /** What is left of a member's cost for residualLines (a number in an array: an argument would be boxed). */
  private readonly residual = new Float64Array(1);
  // output
  readonly physician: Int32Array;
  readonly payer: Uint16Array;
  readonly cell: Uint8Array;
  readonly female: Uint8Array;
  readonly age: Uint8Array;
  readonly birthMonth: Uint8Array;
  readonly firstMonth: Uint8Array;
  readonly lastMonth: Uint8Array;
  readonly baselineMonths: Uint8Array;
  readonly risk: Float64Array;
  readonly baselineRisk: Float64Array;
  readonly baselineAnnual: Float64Array;
  readonly annual: Float64Array;
  readonly conditions: Uint8Array;
  readonly claims: Claims;
  readonly qualityNumerator: Int32Array;
  readonly qualityDenominator: Int32Array;
  readonly baselineMemberMonths: Float64Array;
  readonly baselineCost: Float64Array;
  readonly baselineRiskMonths: Float64Array;
  readonly riskMonths: Float64Array;
  readonly memberMonthsByPractice: Float64Array;

  constructor(options: ModelOptions, setup: Setup, network: Network, workspace: Workspace | undefined) {
    const N = options.members;
    const M = setup.measures.length;
    this.s = setup;
    this.net = network;
    this.N = N;
    this.M = M;
    this.payerCount = options.payerCount;
    this.eff = options.effects;
    const streams = trialStreams(options.seed, options.trial);
    const S = (purpose: Purpose) => streams[purpose]!;
    this.demo = S(Purpose.demographics);
    this.enrol = S(Purpose.enrollment);
    this.health = S(Purpose.health);
    this.noise = S(Purpose.costNoise);
    this.ipS = S(Purpose.inpatient);
    this.edS = S(Purpose.ed);
    this.pcS = S(Purpose.primaryCare);
    this.resS = S(Purpose.residual);
    this.edEffS = S(Purpose.edEffect);
    this.edExtraS = S(Purpose.edExtra);
    this.ipEffS = S(Purpose.admissionEffect);
    this.ipExtraS = S(Purpose.admissionExtra);
    this.qS = S(Purpose.quality);
    this.boS = S(Purpose.baselineOnly);
    const sdP = setup.cal.practiceSd;
    this.practiceShift = network.practiceHealth.map((h) => sdP * h);
    this.qualityProb = new Float64Array(network.practiceCount * M);
    for (let slot = 0; slot < this.qualityProb.length; slot++)
      this.qualityProb[slot] = 1 / (1 + Math.exp(-(setup.qualityIntercepts[slot % M]! + network.practiceQuality[slot]!))) + this.eff.qualityRates;

    const take = <T extends ArrayType>(name: string, type: ArrayClass<T>, n: number) => arrayOf(workspace, `trial.${name}`, type, n);
    this.physician = take("physician", Int32Array, N);
    for (let d = 0; d < network.physicianCount; d++) this.physician.fill(d, network.physicianFirst[d]!, network.physicianFirst[d]! + network.physicianMembers[d]!);
    this.payer = take("payer", Uint16Array, N);
    this.cell = take("cell", Uint8Array, N);
    this.female = take("female", Uint8Array, N);
    this.age = take("age", Uint8Array, N);
    this.birthMonth = take("birthMonth", Uint8Array, N);
    this.firstMonth = take("firstMonth", Uint8Array, N);
    this.lastMonth = take("lastMonth", Uint8Array, N);
    this.baselineMonths = take("baselineMonths", Uint8Array, N);
    this.risk = take("risk", Float64Array, N);
    this.baselineRisk = take("baselineRisk", Float64Array, N);
    this.baselineAnnual = take("baselineAnnual", Float64Array, N);
    this.annual = take("annual", Float64Array, N);
    this.conditions = take("conditions", Uint8Array, N);
    this.claims = new Claims(Math.max(1024, N * 8), workspace, setup.codes);
    this.qualityNumerator = take("qualityNumerator", Int32Array, network.practiceCount * M);
    this.qualityDenominator = take("qualityDenominator", Int32Array, network.practiceCount * M);
    this.baselineMemberMonths = take("baselineMemberMonths", Float64Array, network.physicianCount);
    this.baselineCost = take("baselineCost", Float64Array, network.physicianCount);
    this.baselineRiskMonths = take("baselineRiskMonths", Float64Array, network.physicianCount);
    this.riskMonths = take("riskMonths", Float64Array, network.practiceCount);
    this.memberMonthsByPractice = take("memberMonthsByPractice", Float64Array, network.practiceCount);
  }

  /** Cell, age, birthday and payer (5 uniforms each). */
  demographics(i0: number, i1: number): void {
    const { demo, cell, female, age, birthMonth, payer, midAge, payerCount } = this;
    const { cellLo, cellSpan, cellFemale } = this.s;
    const cellCum = this.s.cal.cellCumulative;
    // cell, age in the cell, birthday, payer, one reserved
    let at = demo.take(5 * (i1 - i0));
    const u = demo.values;
    for (let i = i0; i < i1; i++, at += 5) {
      const c = pick(cellCum, u[at]!);
      // the cell's ages are ages at mid-year: with a birthday in January-June the member is one
      // year younger on 1 January
      const mid = cellLo[c]! + Math.floor(u[at + 1]! * cellSpan[c]!);
      const birthday = 1 + Math.floor(u[at + 2]! * 12);
      cell[i] = c;
      female[i] = cellFemale[c]!;
      age[i] = Math.max(0, mid - (birthday <= 6 ? 1 : 0));
      birthMonth[i] = birthday;
      payer[i] = Math.floor(u[at + 3]! * payerCount);
      midAge[i - i0] = mid;
    }
  }

  /** Enrolled months of the performance year and of the baseline year (4 uniforms each). */
  enrollment(i0: number, i1: number): void {
    const { enrol, firstMonth, lastMonth, baselineMonths } = this;
    const { pJan, logStay } = this.s;
    let at = enrol.take(4 * (i1 - i0));
    const u = enrol.values;
    for (let i = i0; i < i1; i++, at += 4) {
      const jan = u[at]! < pJan;
      const first = jan ? 1 : 2 + Math.floor(u[at + 1]! * 11);
      const stay = 1 + Math.floor(Math.log(u[at + 2]!) / logStay);
      const uBack = u[at + 3]!;
      firstMonth[i] = first;
      lastMonth[i] = Math.min(12, first + stay - 1);
      baselineMonths[i] = jan ? Math.min(12, 1 + Math.floor(Math.log(uBack) / logStay)) : 0;
    }
  }

  /** Latent health (8 normals each), chronic conditions, cost noise (2 normals each), costs and risk scores. */
  healthAndCost(i0: number, i1: number): void {
    const { health, noise, healthDraws: z, noiseDraws: e, physician, cell, firstMonth, lastMonth, baselineMonths, midAge, cost, practiceShift } = this;
    const { risk, baselineRisk, baselineAnnual, annual, conditions: conditionBits, riskMonths, memberMonthsByPractice, baselineMemberMonths, baselineCost, baselineRiskMonths } = this;
    const { sdM, arC, cIntercept, cSlope, cLoad, cRest, annualCost, trendF } = this.s;
    const { tau, psi, omega, kappa, relative, shift, costTable, riskTable } = this.s.cal;
    const physicianPractice = this.net.physicianPractice;
    const look = lookup;
    health.normals(z, 8 * (i1 - i0));
    noise.normals(e, 2 * (i1 - i0));
    for (let i = i0; i < i1; i++) {
      const doctor = physician[i]!;
      const practice = physicianPractice[doctor]!;
      const h = 8 * (i - i0);
      const zb = z[h]!;
      const zp = latentAr * zb + arC * z[h + 1]!;
      const vb = z[h + 2]!;
      const vp = latentAr * vb + arC * z[h + 3]!;
      const hb = practiceShift[practice]! + sdM * zb;
      const hp = practiceShift[practice]! + sdM * zp;
      const mid = midAge[i - i0]!;
      let bits = 0;
      for (let k = 0; k < 4; k++) {
        const eta = z[h + 4 + k]!;
        if (mid >= 18 && cIntercept[k]! + cSlope[k]! * (mid - 50) + cLoad[k]! * hp + cRest[k]! * eta > 0) bits |= 1 << k;
      }
      conditionBits[i] = bits;
      const eb = e[2 * (i - i0)]!;
      const ep = e[2 * (i - i0) + 1]!;
      const a = shift[cell[i]!]!;
      const cb = relative * look(costTable, a + tau * (psi * hb + omega * vb + kappa * eb));
      const cp = relative * look(costTable, a + tau * (psi * hp + omega * vp + kappa * ep));
      const rb = look(riskTable, a + tau * psi * hb);
      const rp = look(riskTable, a + tau * psi * hp);
      cost[i - i0] = cp;
      risk[i] = rp;
      baselineRisk[i] = rb;
      baselineAnnual[i] = cb * annualCost;
      annual[i] = cp * annualCost * trendF;
      const months = lastMonth[i]! - firstMonth[i]! + 1;
      riskMonths[practice]! += rp * months;
      memberMonthsByPractice[practice]! += months;
      const bMonths = baselineMonths[i]!;
      if (bMonths > 0) {
        baselineMemberMonths[doctor]! += bMonths;
        baselineCost[doctor]! += (cb * annualCost * bMonths) / 12;
        baselineRiskMonths[doctor]! += rb * bMonths;
      }
    }
  }

  /**
   * Adds `count` ED visits of member i (enrolled `months` months from month `first`) after the
   * claims so far, with 4 uniforms each from `stream` (code, amount, month, day) and amounts times
   * `scale`; room for them must have been reserved.
   */
  private edVisits(stream: Stream, count: number, i: number, first: number, months: number, scale: number): void {
    const { member, date, category, code, units, physician, amount } = this.claims;
    const { edCum, edFees, edCodes, monthDays, monthStart } = this.s;
    let at = stream.take(4 * count);
    const u = stream.values;
    let w = this.claims.n;
    for (let k = 0; k < count; k++, at += 4, w++) {
      const li = pick(edCum, u[at]!);
      const month = first + Math.floor(u[at + 2]! * months);
      member[w] = i;
      date[w] = monthStart[month]! + Math.floor(u[at + 3]! * monthDays[month]!);
      category[w] = CAT.ed;
      code[w] = edCodes[li]!;
      units[w] = 1;
      physician[w] = -1;
      amount[w] = edFees[li]! * (0.85 + 0.3 * u[at + 1]!) * scale;
    }
    this.claims.n = w;
  }

  /**
   * Adds `count` admissions of member i after the claims so far, with a normal and 3 uniforms each
   * from `stream` (amount, month, day, DRG): lognormal amounts around the mean admission.
   */
  private admissions(stream: Stream, count: number, i: number, first: number, months: number): void {
    const { member, date, category, code, units, physician, amount } = this.claims;
    const { drg, monthDays, monthStart, ipUnitCost } = this.s;
    let at = stream.take(4 * count);
    const u = stream.values;
    let w = this.claims.n;
    for (let k = 0; k < count; k++, at += 4, w++) {
      const month = first + Math.floor(u[at + 1]! * months);
      member[w] = i;
      date[w] = monthStart[month]! + Math.floor(u[at + 2]! * monthDays[month]!);
      category[w] = CAT.inpatient;
      code[w] = drg[Math.floor(u[at + 3]! * drg.length)]!;
      units[w] = 1;
      physician[w] = -1;
      amount[w] = ipUnitCost * Math.exp(0.5 * normalQuantile(u[at]!) - 0.125);
    }
    this.claims.n = w;
  }

  /**
   * Member i's admissions, ED visits and primary care visits (one uniform each from their
   * streams) into `counts`, and the admission mean and cost^edPower into `means`. A method of its
   * own, so the Poisson draws are inlined here (claimsOf is too large for that) and no mean is
   * passed to a call as a boxed number.
   */
  private drawCounts(i: number, i0: number): void {
    const { ipMax, ipUnit } = this.s.cal;
    const { pcRate, edRate, halfK } = this.s;
    const cp = this.cost[i - i0]!;
    const exposure = (this.lastMonth[i]! - this.firstMonth[i]! + 1) / 12;
    // cp^inpatientSteep (3), cp^edPower and cp^pcPower = cp / cp^edPower: one exp and one log,
    // where Math.pow is several times slower
    const ck = cp * cp * cp;
    const ipShare = cp > 0 ? (ipMax * ck) / (ck + halfK) : 0;
    const ipLambda = ((cp * ipShare) / ipUnit) * exposure;
    const edPowered = cp > 0 ? Math.exp(edPower * Math.log(cp)) : 0;
    const counts = this.counts;
    counts[0] = this.ipS.poisson(ipLambda);
    counts[1] = this.edS.poisson(cp > 0 ? edRate * edPowered * exposure : 0);
    counts[2] = this.pcS.poisson(cp > 0 ? pcRate * (cp / edPowered) * exposure : 0);
    this.means[0] = ipLambda;
    this.means[1] = edPowered;
  }

  /**
   * What is left of member i's cost (this.residual[0]) as specialist, outpatient, pharmacy and
   * other claim lines from claim w on (room reserved): 4 uniforms, then 3 per line (weight, month,
   * day). Returns the claim after the last line. A method of its own, so that the JIT compiles it
   * apart from claimsOf: compiling both as one function took 50-90 ms each time.
   */
  private residualLines(i: number, i0: number, w: number, first: number, months: number): number {
    const { resS, draws } = this;
    const { member: cMember, date: cDate, category: cCategory, code: cCode, units: cUnits, physician: cPhysician, amount: cAmount } = this.claims;
    const { monthDays, monthStart, residualLimits, residualCodes, residualShares, residualScale, residualUnit, residualMax, scriptUnit } = this.s;
    const cp = this.cost[i - i0]!;
    const residual = this.residual[0]!;
    let wsum = 0;
    let at = resS.take(4);
    let u = resS.values;
    for (let k = 0; k < 4; k++) wsum += draws[k] = residualShares[k]! * (0.25 + 1.5 * u[at + k]!);
    // "other" goes to members above the mean cost only
    wsum -= draws[3]!;
    draws[3] = cp >= 1 ? draws[3]! * otherBoost : 0;
    wsum += draws[3]!;
    if (!(residual > 0)) return w;
    let largest = 0;
    for (let k = 1; k < 4; k++) if (draws[k]! > draws[largest]!) largest = k;
    for (let k = 0; k < 4; k++) draws[k] = (residual * draws[k]!) / wsum;
    for (let k = 0; k < 4; k++)
      if (k !== largest && draws[k]! < 25) {
        draws[largest]! += draws[k]!;
        draws[k] = 0;
      }
    for (let k = 0; k < 4; k++) {
      const amount = draws[k]!;
      if (amount <= 0) continue;
      const unit = residualUnit[k]!;
      const max = k === 2 ? Math.min(residualMax[k]!, months) : residualMax[k]!;
      const lines = Math.max(1, Math.min(max, Math.ceil(amount / unit)));
      at = resS.take(3 * lines);
      u = resS.values;
      // the amount is split over the lines in proportion to their weights
      let lsum = 0;
      for (let j = 0; j < lines; j++) lsum += 0.5 + u[at + 3 * j]!;
      const category = residualCat[k]!;
      const scale = residualScale[k]!;
      const limits = residualLimits[k]!;
      const codes = residualCodes[k]!;
      for (let j = 0; j < lines; j++, at += 3, w++) {
        const amt = (amount * (0.5 + u[at]!)) / lsum;
        const month = first + Math.floor(u[at + 1]! * months);
        const rel = amt / scale;
        // the first bracket whose limit is not below rel: limits ascend, so the count of those below
        // (without a branch per bracket, which the processor would mispredict)
        const t = +(rel > limits[0]!) + +(rel > limits[1]!) + +(rel > limits[2]!) + +(rel > limits[3]!) + +(rel > limits[4]!);
        cMember[w] = i;
        cDate[w] = monthStart[month]! + Math.floor(u[at + 2]! * monthDays[month]!);
        cCategory[w] = category;
        cCode[w] = codes[t]!;
        cUnits[w] = k === 2 && t < 2 ? Math.max(1, Math.min(3, Math.round(amt / scriptUnit))) : 1;
        cPhysician[w] = -1;
        cAmount[w] = amt;
      }
    }
    return w;
  }

  /** Claims of the performance year, then the effects on them. */
  claimsOf(i0: number, i1: number): void {
    const { ipS, edS, pcS, edEffS, edExtraS, ipEffS, ipExtraS, claims, physician, firstMonth, lastMonth, cost, eff, counts, means } = this;
    const { pcCodes, pcCum, pcFees, monthDays, monthStart, annualCost, trendF, edRate, residualMax } = this.s;
    const { physicianPractice, practiceFirst, practiceSize } = this.net;
    const covering = coveringVisitShare;
    let residualRoom = 0;
    for (let k = 0; k < 4; k++) residualRoom += Math.max(1, residualMax[k]!);
    const edKeep = 1 + Math.min(0, eff.edVisits);
    const ipKeep = 1 + Math.min(0, eff.admissions);
    for (let i = i0; i < i1; i++) {
      const doctor = physician[i]!;
      const practice = physicianPractice[doctor]!;
      const first = firstMonth[i]!;
      const months = lastMonth[i]! - first + 1;
      const cp = cost[i - i0]!;
      const exposure = months / 12;
      const budget = cp * annualCost * trendF * exposure;
      this.drawCounts(i, i0);
      const nIp = counts[0]!;
      const nEd = counts[1]!;
      const nPc = counts[2]!;
      const ipLambda = means[0]!;
      const edPowered = means[1]!;
      // room for every claim before the effects (at most residualRoom residual lines); the
      // columns are read into locals after each reservation (growing replaces them)
      claims.reserve(nPc + nEd + nIp + residualRoom);
      let { member: cMember, date: cDate, category: cCategory, code: cCode, units: cUnits, physician: cPhysician, amount: cAmount } = claims;
      const start = claims.n;
      let w = start;
      let countable = 0;
      // primary care: 5 uniforms per visit (code, covering, covering physician, month, day)
      const pFirst = practiceFirst[practice]!;
      const pSize = practiceSize[practice]!;
      let at = pcS.take(5 * nPc);
      let u = pcS.values;
      for (let k = 0; k < nPc; k++, at += 5, w++) {
        const ci = pick(pcCum, u[at]!);
        const isCovering = u[at + 1]! < covering && pSize > 1;
        const other = pFirst + Math.floor(u[at + 2]! * (pSize - 1));
        const month = first + Math.floor(u[at + 3]! * months);
        cMember[w] = i;
        cDate[w] = monthStart[month]! + Math.floor(u[at + 4]! * monthDays[month]!);
        cCategory[w] = CAT.primary_care;
        cCode[w] = pcCodes[ci]!;
        cUnits[w] = 1;
        cPhysician[w] = isCovering ? (other >= doctor ? other + 1 : other) : doctor;
        cAmount[w] = pcFees[ci]!;
        countable += pcFees[ci]!;
      }
      const edStart = w;
      claims.n = w;
      this.edVisits(edS, nEd, i, first, months, 1);
      const ipStart = claims.n;
      this.admissions(ipS, nIp, i, first, months);
      const ipEnd = claims.n;
      for (let k = edStart; k < ipEnd; k++) countable += cAmount[k]!;
      w = ipEnd;
      // the countable services never exceed the member's cost: scale them down when they would
      let residual = budget - countable;
      if (residual < 0) {
        const f = budget / countable;
        for (let k = start; k < ipEnd; k++) cAmount[k]! *= f;
        residual = 0;
      }
      this.residual[0] = residual;
      w = this.residualLines(i, i0, w, first, months);
      claims.n = w;

      // EFFECTS. Thinning: one uniform per base visit or admission, always drawn; extra events from their own streams.
      let write = edStart;
      const scaleUsed = budget > 0 && countable > budget ? budget / countable : 1;
      at = edEffS.take(ipStart - edStart) - edStart;
      u = edEffS.values;
      for (let k = edStart; k < ipStart; k++) if (u[at + k]! < edKeep) claims.move(k, write++);
      at = ipEffS.take(ipEnd - ipStart) - ipStart;
      u = ipEffS.values;
      for (let k = ipStart; k < ipEnd; k++) if (u[at + k]! < ipKeep) claims.move(k, write++);
      if (write !== ipEnd) {
        // move the residual lines down over the removed ones
        for (let k = ipEnd; k < claims.n; k++) claims.move(k, write++);
        claims.n = write;
      }
      // one uniform each, also when there can be no extra events (then passed over unread: a
      // Poisson draw of mean 0 would box it)
      let edMore = 0;
      if (eff.edVisits > 0 && cp > 0) edMore = edExtraS.poisson(edRate * edPowered * exposure * eff.edVisits);
      else edExtraS.take(1);
      let ipMore = 0;
      if (eff.admissions > 0) ipMore = ipExtraS.poisson(ipLambda * eff.admissions);
      else ipExtraS.take(1);
      if (edMore + ipMore > 0) {
        claims.reserve(edMore + ipMore);
        this.edVisits(edExtraS, edMore, i, first, months, scaleUsed);
        this.admissions(ipExtraS, ipMore, i, first, months);
      }
      claims.finish(start);
    }
  }

  /** Quality events: 2 uniforms per member and measure. */
  quality(i0: number, i1: number): void {
    const { qS, M, physician, firstMonth, lastMonth, age, female, conditions: conditionBits, qualityProb, qualityNumerator, qualityDenominator } = this;
    const { measureSample, measureMin, measureMax, measureFemale, measureCondition } = this.s;
    const physicianPractice = this.net.physicianPractice;
    let at = qS.take(2 * M * (i1 - i0));
    const u = qS.values;
    for (let i = i0; i < i1; i++) {
      const practice = physicianPractice[physician[i]!]!;
      const months = lastMonth[i]! - firstMonth[i]! + 1;
      const ageEnd = age[i]! + 1;
      const isFemale = female[i] === 1;
      const bits = conditionBits[i]!;
      for (let m = 0; m < M; m++, at += 2) {
        const uNum = u[at]!;
        const uSample = u[at + 1]!;
        const sample = measureSample[m]!;
        if (months < (sample < 1 ? 6 : 11)) continue;
        if (ageEnd < measureMin[m]! || ageEnd > measureMax[m]!) continue;
        if (measureFemale[m] && !isFemale) continue;
        if (measureCondition[m] && !(bits & measureCondition[m]!)) continue;
        if (uSample >= sample) continue;
        const slot = practice * M + m;
        qualityDenominator[slot]!++;
        if (uNum < qualityProb[slot]!) qualityNumerator[slot]!++;
      }
    }
  }

  /** Baseline-year members who left before the performance year (mirror of the year's entrants). */
  leavers(): void {
    const { N } = this;
    const { pJan } = this.s;
    const count = Math.round(N * (1 - pJan));
    // 6 uniforms each: cell, end, tenure, then 3 normals (h, v, e) by inversion, as normal() makes
    // them; a block of leavers at a time
    const p = this.healthDraws;
    const z = this.leaverNormals;
    for (let k0 = 0; k0 < count; k0 += blockSize) {
      const k1 = Math.min(count, k0 + blockSize);
      this.leaverBlock(k0, k1, count, p, z);
    }
  }

  /** Leavers k0 to k1 (of count): see leavers. p and z hold at least 3 doubles per leaver. */
  private leaverBlock(k0: number, k1: number, count: number, p: Float64Array, z: Float64Array): void {
    const { boS, N, physician, practiceShift, baselineMemberMonths, baselineCost, baselineRiskMonths } = this;
    const { logStay, sdM, annualCost } = this.s;
    const { tau, psi, omega, kappa, relative, shift, costTable, riskTable, cellCumulative } = this.s.cal;
    const physicianPractice = this.net.physicianPractice;
    const look = lookup;
    const m = k1 - k0;
    let at = boS.take(6 * m);
    const u = boS.values;
    for (let j = 0; j < 3 * m; j++) p[j] = u[at + 6 * ((j / 3) | 0) + 3 + (j % 3)]!;
    normalQuantiles(p, z, 3 * m);
    for (let k = k0, n = 0; k < k1; k++, n += 3, at += 6) {
      const i = Math.min(N - 1, Math.floor(((k + 0.5) * N) / count));
      const d = physician[i]!;
      const practice = physicianPractice[d]!;
      const c = pick(cellCumulative, u[at]!);
      const end = 1 + Math.floor(u[at + 1]! * 11);
      const tenure = 1 + Math.floor(Math.log(u[at + 2]!) / logStay);
      const bMonths = Math.min(end, tenure);
      const h = practiceShift[practice]! + sdM * z[n]!;
      const v = z[n + 1]!;
      const e = z[n + 2]!;
      const a = shift[c]!;
      const cb = relative * look(costTable, a + tau * (psi * h + omega * v + kappa * e));
      const rb = look(riskTable, a + tau * psi * h);
      baselineMemberMonths[d]! += bMonths;
      baselineCost[d]! += (cb * annualCost * bMonths) / 12;
      baselineRiskMonths[d]! += rb * bMonths;
    }
  }

  /** Practice risk group 1-4 from the member-month average risk score of the performance year. */
  practiceRiskGroups(): Uint8Array {
    const out = new Uint8Array(this.net.practiceCount);
    for (let q = 0; q < out.length; q++) {
      const avg = this.memberMonthsByPractice[q]! > 0 ? this.riskMonths[q]! / this.memberMonthsByPractice[q]! : 1;
      out[q] = 1 + riskGroupCuts.filter((cut) => avg >= cut).length;
    }
    return out;
  }
}

/** One trial of the model; its arrays come from `workspace` when given (valid until its next draw). */
export function simulate(options: ModelOptions, year: number, workspace?: Workspace): Population {
  const setup = setupFor(options, year);
  const network = networkFor(options.members, options.seed, options.careTeamCount, options.measures);
  const t = new Trial(options, setup, network, workspace);
  const N = options.members;
  for (let i0 = 0; i0 < N; i0 += blockSize) {
    const i1 = Math.min(N, i0 + blockSize);
    t.demographics(i0, i1);
    t.enrollment(i0, i1);
    t.healthAndCost(i0, i1);
    t.claimsOf(i0, i1);
    t.quality(i0, i1);
  }
  t.leavers();
  const claims = t.claims;
  return {
    options,
    network,
    members: N,
    physician: t.physician,
    payer: t.payer,
    cell: t.cell,
    female: t.female,
    age: t.age,
    birthMonth: t.birthMonth,
    firstMonth: t.firstMonth,
    lastMonth: t.lastMonth,
    baselineMonths: t.baselineMonths,
    risk: t.risk,
    baselineRisk: t.baselineRisk,
    baselineAnnual: t.baselineAnnual,
    annual: t.annual,
    conditions: t.conditions,
    claimCount: claims.n,
    claimMember: claims.member,
    claimDate: claims.date,
    claimCategory: claims.category,
    claimCategories: claims.categories(),
    claimCode: claims.code,
    claimCodes: claims.codes(),
    claimUnits: claims.units,
    claimPhysician: claims.physician,
    claimCents: claims.amount,
    measures: setup.measures,
    qualityNumerator: t.qualityNumerator,
    qualityDenominator: t.qualityDenominator,
    baselineMemberMonths: t.baselineMemberMonths,
    baselineCost: t.baselineCost,
    baselineRiskMonths: t.baselineRiskMonths,
    practiceRiskGroup: t.practiceRiskGroups(),
  };
}
