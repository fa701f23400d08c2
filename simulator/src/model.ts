// THE POPULATION MODEL, in columns (typed arrays), before any row or string exists.
//
// `simulate` draws one trial: the practice network (from the seed alone), members, their
// enrollment, latent health and costs in the baseline and performance years, claims of the
// performance year, quality events, and baseline aggregates. Every purpose draws from its own
// stream (rng.ts) a number of values that does not depend on the intervention effects, so two
// scenarios of the same seed and trial share every draw except the ones the effects act on:
// an ED visit that an effect removes is removed by its own thinning draw, and nothing else moves.
// Amounts are floats here; rows round them to cents (population.ts).

import { calibration, conditionAgeSlope, conditionLoading, edPower, inpatientHalf, inpatientSteep, latentAr, lookup, pcPower, qualityIntercept } from "./calibrate";
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
import { measureStream, NetworkPurpose, networkStreams, Purpose, trialStreams } from "./rng";

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
  // claims of the performance year
  readonly claimCount: number;
  readonly claimMember: Int32Array;
  readonly claimMonth: Uint8Array;
  readonly claimDay: Uint8Array;
  readonly claimCategory: Uint8Array;
  readonly claimCode: Uint16Array;
  readonly claimUnits: Uint8Array;
  readonly claimPhysician: Int32Array;
  readonly claimAmount: Float64Array;
  readonly codes: readonly string[];
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

class Claims {
  n = 0;
  member: Int32Array;
  month: Uint8Array;
  day: Uint8Array;
  category: Uint8Array;
  code: Uint16Array;
  units: Uint8Array;
  physician: Int32Array;
  amount: Float64Array;
  constructor(capacity: number) {
    this.member = new Int32Array(capacity);
    this.month = new Uint8Array(capacity);
    this.day = new Uint8Array(capacity);
    this.category = new Uint8Array(capacity);
    this.code = new Uint16Array(capacity);
    this.units = new Uint8Array(capacity);
    this.physician = new Int32Array(capacity);
    this.amount = new Float64Array(capacity);
  }
  private grow() {
    const cap = this.member.length * 2 + 1024;
    const g = <T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(cap);
      b.set(a);
      return b;
    };
    this.member = g(this.member, Int32Array);
    this.month = g(this.month, Uint8Array);
    this.day = g(this.day, Uint8Array);
    this.category = g(this.category, Uint8Array);
    this.code = g(this.code, Uint16Array);
    this.units = g(this.units, Uint8Array);
    this.physician = g(this.physician, Int32Array);
    this.amount = g(this.amount, Float64Array);
  }
  add(member: number, month: number, day: number, category: number, code: number, units: number, physician: number, amount: number): number {
    if (this.n === this.member.length) this.grow();
    const i = this.n++;
    this.member[i] = member;
    this.month[i] = month;
    this.day[i] = day;
    this.category[i] = category;
    this.code[i] = code;
    this.units[i] = units;
    this.physician[i] = physician;
    this.amount[i] = amount;
    return i;
  }
  /** Keeps the first n claims (used only on the claims of the member being built). */
  truncate(n: number) {
    this.n = n;
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

// THE SIMULATION

export function simulate(options: ModelOptions, year: number): Population {
  const cal = calibration(options.preset);
  const p = cal.params;
  const N = options.members;
  const eff = options.effects;
  const measures = options.measures.map((code) => measureSpecs.find((m) => m.code === code) ?? genericMeasure(code));
  const M = measures.length;
  const network = buildNetwork(N, options.seed, options.careTeamCount, options.measures);
  const streams = trialStreams(options.seed, options.trial);
  const S = (purpose: Purpose) => streams[purpose]!;
  const demo = S(Purpose.demographics);
  const enrol = S(Purpose.enrollment);
  const health = S(Purpose.health);
  const noise = S(Purpose.costNoise);
  const ipS = S(Purpose.inpatient);
  const edS = S(Purpose.ed);
  const pcS = S(Purpose.primaryCare);
  const resS = S(Purpose.residual);
  const edEffS = S(Purpose.edEffect);
  const edExtraS = S(Purpose.edExtra);
  const ipEffS = S(Purpose.admissionEffect);
  const ipExtraS = S(Purpose.admissionExtra);
  const qS = S(Purpose.quality);
  const boS = S(Purpose.baselineOnly);

  // code table
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  const code = (c: string) => {
    let i = codeIndex.get(c);
    if (i === undefined) codeIndex.set(c, (i = codes.push(c) - 1));
    return i;
  };
  const pcCodes = officeVisitCodes.map((c) => code(c.code));
  const pcCum = cumulative(officeVisitCodes.map((c) => c.share));
  const edCodeIdx = edCodes.map((c) => code(c.code));
  const edCum = cumulative(edCodes.map((c) => c.share));
  const drg = admissionCodes[options.preset].map(code);
  const residualCodes = residualCategories.map((k) => residualClaims[k].codes.map(([limit, c]) => [limit, code(c)] as const));

  const trendF = 1 + eff.costTrend;
  const annualCost = p.annualCost;
  const pcFees = officeVisitCodes.map((c) => c.fee * p.professionalPrice * trendF);
  const edFees = edCodes.map((c) => c.fee * p.facilityPrice * trendF);
  // admissions of low-cost members are scaled down to the member's cost (below); pricing the mean
  // admission 10% above the inpatient budget per admission compensates [derived by simulation]
  const ipUnitCost = 1.1 * cal.ipUnit * annualCost * trendF;
  const pcRate = p.pcVisits / 1000 / cal.pcNorm;
  const edRate = p.edVisits / 1000 / cal.edNorm;
  const unitIp = cal.ipUnit;
  const halfK = Math.pow(inpatientHalf * unitIp, inpatientSteep);
  const residualPrice = [p.professionalPrice, p.facilityPrice, 1, p.facilityPrice];
  const residualShares = residualCategories.map((k) => p.residualShares[k]);
  /** Members above the mean cost carry about 3/4 of the cost: the other share lands near its target. */
  const otherBoost = 1.6;
  const residualCat = [CAT.specialist, CAT.outpatient, CAT.pharmacy, CAT.other];
  const monthDays = Array.from({ length: 13 }, (_, m) => (m === 0 ? 0 : daysIn(year, m)));

  const { tau, psi, omega, kappa, relative, shift } = cal;
  const sdP = cal.practiceSd;
  const sdM = Math.sqrt(1 - sdP * sdP);
  const arC = Math.sqrt(1 - latentAr * latentAr);
  const pJan = 1 / (1 + 11 * p.churn);
  const logStay = Math.log(1 - p.churn);
  const cellLo = Int32Array.from(p.cells, (c) => c.lo);
  const cellSpan = Int32Array.from(p.cells, (c) => c.hi - c.lo + 1);
  const cellFemale = Uint8Array.from(p.cells, (c) => (c.female ? 1 : 0));
  // imported bindings are getters under some loaders: copy everything the loop touches
  const look = lookup;
  const costTable = cal.costTable;
  const riskTable = cal.riskTable;
  const cellCum = cal.cellCumulative;
  const covering = coveringVisitShare;
  const script = scriptCost;
  const edPow = edPower;
  const pcPow = pcPower;
  const ipSteep = inpatientSteep;
  const ipMaxShare = cal.ipMax;
  const residualSpecs = residualCategories.map((k) => residualClaims[k]);
  const measureCondition = Int32Array.from(measures, (m) => (m.condition ? 1 << conditions.indexOf(m.condition) : 0));
  const measureSample = Float64Array.from(measures, (m) => m.sample ?? 1);
  const measureMin = Int32Array.from(measures, (m) => m.minAge);
  const measureMax = Int32Array.from(measures, (m) => m.maxAge);
  const measureFemale = Uint8Array.from(measures, (m) => (m.femaleOnly ? 1 : 0));

  const physician = new Int32Array(N);
  const payer = new Uint16Array(N);
  const cellA = new Uint8Array(N);
  const femaleA = new Uint8Array(N);
  const ageA = new Uint8Array(N);
  const birthMonth = new Uint8Array(N);
  const firstMonth = new Uint8Array(N);
  const lastMonth = new Uint8Array(N);
  const baselineMonths = new Uint8Array(N);
  const risk = new Float64Array(N);
  const baselineRisk = new Float64Array(N);
  const baselineAnnual = new Float64Array(N);
  const annual = new Float64Array(N);
  const conditionBits = new Uint8Array(N);
  const claims = new Claims(Math.max(1024, N * 8));
  const qualityNumerator = new Int32Array(network.practiceCount * M);
  const qualityDenominator = new Int32Array(network.practiceCount * M);
  const qualityIntercepts = measures.map((m) => qualityIntercept(m.rate[options.preset]));
  const baselineMemberMonths = new Float64Array(network.physicianCount);
  const baselineCost = new Float64Array(network.physicianCount);
  const baselineRiskMonths = new Float64Array(network.physicianCount);
  const riskMonths = new Float64Array(network.practiceCount);
  const memberMonthsByPractice = new Float64Array(network.practiceCount);
  const cIntercept = conditions.map((k) => cal.conditionIntercept[k]);
  const cSlope = conditions.map((k) => conditionAgeSlope[k] / 10);
  const cLoad = conditions.map((k) => conditionLoading[k]);
  const cRest = cLoad.map((b) => Math.sqrt(1 - b * b));

  const pickCell = (u: number) => pick(cellCum, u);
  const draws = new Float64Array(4); // scratch: the split of what is left into the four other categories

  let doctor = 0;
  for (let i = 0; i < N; i++) {
    while (i >= network.physicianFirst[doctor]! + network.physicianMembers[doctor]!) doctor++;
    physician[i] = doctor;
    const practice = network.physicianPractice[doctor]!;

    // demographics (5 uniforms)
    const c = pickCell(demo.uniform());
    // the cell's ages are ages at mid-year: with a birthday in January-June the member is one
    // year younger on 1 January
    const midAge = cellLo[c]! + Math.floor(demo.uniform() * cellSpan[c]!);
    const birthday = 1 + Math.floor(demo.uniform() * 12);
    const age = Math.max(0, midAge - (birthday <= 6 ? 1 : 0));
    cellA[i] = c;
    femaleA[i] = cellFemale[c]!;
    ageA[i] = age;
    birthMonth[i] = birthday;
    payer[i] = Math.floor(demo.uniform() * options.payerCount);
    demo.uniform(); // reserved

    // enrollment (4 uniforms)
    const jan = enrol.uniform() < pJan;
    const startDraw = enrol.uniform();
    const first = jan ? 1 : 2 + Math.floor(startDraw * 11);
    const stay = 1 + Math.floor(Math.log(enrol.uniform()) / logStay);
    const last = Math.min(12, first + stay - 1);
    const back = 1 + Math.floor(Math.log(enrol.uniform()) / logStay);
    firstMonth[i] = first;
    lastMonth[i] = last;
    const months = last - first + 1;
    const bMonths = jan ? Math.min(12, back) : 0;
    baselineMonths[i] = bMonths;

    // latent health (8 normals) and cost noise (2 normals)
    const zb = health.normal();
    const zp = latentAr * zb + arC * health.normal();
    const vb = health.normal();
    const vp = latentAr * vb + arC * health.normal();
    const hb = sdP * network.practiceHealth[practice]! + sdM * zb;
    const hp = sdP * network.practiceHealth[practice]! + sdM * zp;
    let bits = 0;
    for (let k = 0; k < 4; k++) {
      const eta = health.normal();
      if (midAge >= 18 && cIntercept[k]! + cSlope[k]! * (midAge - 50) + cLoad[k]! * hp + cRest[k]! * eta > 0) bits |= 1 << k;
    }
    conditionBits[i] = bits;
    const eb = noise.normal();
    const ep = noise.normal();
    const a = shift[c]!;
    const cb = relative * look(costTable, a + tau * (psi * hb + omega * vb + kappa * eb));
    const cp = relative * look(costTable, a + tau * (psi * hp + omega * vp + kappa * ep));
    const rb = look(riskTable, a + tau * psi * hb);
    const rp = look(riskTable, a + tau * psi * hp);
    risk[i] = rp;
    baselineRisk[i] = rb;
    baselineAnnual[i] = cb * annualCost;
    annual[i] = cp * annualCost * trendF;
    riskMonths[practice]! += rp * months;
    memberMonthsByPractice[practice]! += months;
    if (bMonths > 0) {
      baselineMemberMonths[doctor]! += bMonths;
      baselineCost[doctor]! += (cb * annualCost * bMonths) / 12;
      baselineRiskMonths[doctor]! += rb * bMonths;
    }

    // utilization and claims of the performance year
    const exposure = months / 12;
    const budget = cp * annualCost * trendF * exposure;
    const ck = cp > 0 ? Math.pow(cp, ipSteep) : 0;
    const ipShare = cp > 0 ? (ipMaxShare * ck) / (ck + halfK) : 0;
    const nIp = ipS.poisson(((cp * ipShare) / unitIp) * exposure);
    const nEd = edS.poisson(cp > 0 ? edRate * Math.pow(cp, edPow) * exposure : 0);
    const nPc = pcS.poisson(cp > 0 ? pcRate * Math.pow(cp, pcPow) * exposure : 0);
    const start = claims.n;
    let countable = 0;
    // primary care: 5 uniforms per visit
    const pFirst = network.practiceFirst[practice]!;
    const pSize = network.practiceSize[practice]!;
    for (let k = 0; k < nPc; k++) {
      const ci = pick(pcCum, pcS.uniform());
      const isCovering = pcS.uniform() < covering && pSize > 1;
      const other = pFirst + pcS.int(pSize - 1);
      const month = first + Math.floor(pcS.uniform() * months);
      const day = 1 + Math.floor(pcS.uniform() * monthDays[month]!);
      const renderer = isCovering ? (other >= doctor ? other + 1 : other) : doctor;
      claims.add(i, month, day, CAT.primary_care, pcCodes[ci]!, 1, renderer, pcFees[ci]!);
      countable += pcFees[ci]!;
    }
    // ED: 4 uniforms per visit
    const edStart = claims.n;
    for (let k = 0; k < nEd; k++) {
      const li = pick(edCum, edS.uniform());
      const amount = edFees[li]! * (0.85 + 0.3 * edS.uniform());
      const month = first + Math.floor(edS.uniform() * months);
      const day = 1 + Math.floor(edS.uniform() * monthDays[month]!);
      claims.add(i, month, day, CAT.ed, edCodeIdx[li]!, 1, -1, amount);
      countable += amount;
    }
    // inpatient: 3 uniforms and a normal per admission; lognormal amount around the mean admission
    const ipStart = claims.n;
    for (let k = 0; k < nIp; k++) {
      const amount = ipUnitCost * Math.exp(0.5 * ipS.normal() - 0.125);
      const month = first + Math.floor(ipS.uniform() * months);
      const day = 1 + Math.floor(ipS.uniform() * monthDays[month]!);
      claims.add(i, month, day, CAT.inpatient, drg[ipS.int(drg.length)]!, 1, -1, amount);
      countable += amount;
    }
    // the countable services never exceed the member's cost: scale them down when they would
    let residual = budget - countable;
    if (residual < 0) {
      const f = budget / countable;
      for (let k = start; k < claims.n; k++) claims.amount[k]! *= f;
      residual = 0;
    }
    const ipEnd = claims.n;
    // what is left: specialist, outpatient, pharmacy, other (4 uniforms, then 3 per claim line)
    let wsum = 0;
    for (let k = 0; k < 4; k++) wsum += draws[k] = residualShares[k]! * (0.25 + 1.5 * resS.uniform());
    // "other" (SNF, home health, DME, long-term services) goes to members above the mean cost only
    wsum -= draws[3]!;
    draws[3] = cp >= 1 ? draws[3]! * otherBoost : 0;
    wsum += draws[3]!;
    if (residual > 0) {
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
        const spec = residualSpecs[k]!;
        const unit = spec.typical * residualPrice[k]! * trendF;
        const max = k === 2 ? Math.min(spec.max, months) : spec.max;
        const lines = Math.max(1, Math.min(max, Math.ceil(amount / unit)));
        const lineStart = claims.n;
        let lsum = 0;
        for (let j = 0; j < lines; j++) {
          const w = 0.5 + resS.uniform();
          lsum += w;
          const month = first + Math.floor(resS.uniform() * months);
          const day = 1 + Math.floor(resS.uniform() * monthDays[month]!);
          claims.add(i, month, day, residualCat[k]!, 0, 1, -1, w);
        }
        const scale = residualPrice[k]! * trendF;
        for (let j = lineStart; j < claims.n; j++) {
          const amt = (amount * claims.amount[j]!) / lsum;
          claims.amount[j] = amt;
          const rel = amt / scale;
          const table = residualCodes[k]!;
          let t = 0;
          while (rel > table[t]![0]) t++;
          claims.code[j] = table[t]![1];
          if (k === 2 && t < 2) claims.units[j] = Math.max(1, Math.min(3, Math.round(amt / (script * trendF))));
        }
      }
    }

    // EFFECTS. Thinning: one uniform per base visit, always drawn; extra events from their own streams.
    const edKeep = 1 + Math.min(0, eff.edVisits);
    const ipKeep = 1 + Math.min(0, eff.admissions);
    let write = edStart;
    const scaleUsed = budget > 0 && countable > budget ? budget / countable : 1;
    for (let k = edStart; k < ipEnd; k++) {
      const isEd = k < ipStart;
      const keep = (isEd ? edEffS : ipEffS).uniform() < (isEd ? edKeep : ipKeep);
      if (!keep) continue;
      if (write !== k) {
        claims.member[write] = claims.member[k]!;
        claims.month[write] = claims.month[k]!;
        claims.day[write] = claims.day[k]!;
        claims.category[write] = claims.category[k]!;
        claims.code[write] = claims.code[k]!;
        claims.units[write] = claims.units[k]!;
        claims.physician[write] = claims.physician[k]!;
        claims.amount[write] = claims.amount[k]!;
      }
      write++;
    }
    if (write !== ipEnd) {
      // move the residual lines down over the removed ones
      for (let k = ipEnd; k < claims.n; k++, write++) {
        claims.member[write] = claims.member[k]!;
        claims.month[write] = claims.month[k]!;
        claims.day[write] = claims.day[k]!;
        claims.category[write] = claims.category[k]!;
        claims.code[write] = claims.code[k]!;
        claims.units[write] = claims.units[k]!;
        claims.physician[write] = claims.physician[k]!;
        claims.amount[write] = claims.amount[k]!;
      }
      claims.truncate(write);
    }
    const edMore = edExtraS.poisson(eff.edVisits > 0 && cp > 0 ? edRate * Math.pow(cp, edPow) * exposure * eff.edVisits : 0);
    for (let k = 0; k < edMore; k++) {
      const li = pick(edCum, edExtraS.uniform());
      const amount = edFees[li]! * (0.85 + 0.3 * edExtraS.uniform()) * scaleUsed;
      const month = first + Math.floor(edExtraS.uniform() * months);
      const day = 1 + Math.floor(edExtraS.uniform() * monthDays[month]!);
      claims.add(i, month, day, CAT.ed, edCodeIdx[li]!, 1, -1, amount);
    }
    const ipMore = ipExtraS.poisson(eff.admissions > 0 ? ((cp * ipShare) / unitIp) * exposure * eff.admissions : 0);
    for (let k = 0; k < ipMore; k++) {
      const amount = ipUnitCost * Math.exp(0.5 * ipExtraS.normal() - 0.125);
      const month = first + Math.floor(ipExtraS.uniform() * months);
      const day = 1 + Math.floor(ipExtraS.uniform() * monthDays[month]!);
      claims.add(i, month, day, CAT.inpatient, drg[ipExtraS.int(drg.length)]!, 1, -1, amount);
    }

    // quality: 2 uniforms per measure
    const ageEnd = age + 1;
    const female = femaleA[i] === 1;
    for (let m = 0; m < M; m++) {
      const uNum = qS.uniform();
      const uSample = qS.uniform();
      const sample = measureSample[m]!;
      if (months < (sample < 1 ? 6 : 11)) continue;
      if (ageEnd < measureMin[m]! || ageEnd > measureMax[m]!) continue;
      if (measureFemale[m] && !female) continue;
      if (measureCondition[m] && !(bits & measureCondition[m]!)) continue;
      if (uSample >= sample) continue;
      const slot = practice * M + m;
      qualityDenominator[slot]!++;
      const prob = 1 / (1 + Math.exp(-(qualityIntercepts[m]! + network.practiceQuality[slot]!))) + eff.qualityRates;
      if (uNum < prob) qualityNumerator[slot]!++;
    }
  }

  // baseline-year members who left before the performance year (mirror of the year's entrants)
  const leavers = Math.round(N * (1 - pJan));
  for (let k = 0; k < leavers; k++) {
    const i = Math.min(N - 1, Math.floor(((k + 0.5) * N) / leavers));
    const d = physician[i]!;
    const practice = network.physicianPractice[d]!;
    const c = pickCell(boS.uniform());
    const end = 1 + Math.floor(boS.uniform() * 11);
    const tenure = 1 + Math.floor(Math.log(boS.uniform()) / logStay);
    const bMonths = Math.min(end, tenure);
    const h = sdP * network.practiceHealth[practice]! + sdM * boS.normal();
    const v = boS.normal();
    const e = boS.normal();
    const a = shift[c]!;
    const cb = relative * look(costTable, a + tau * (psi * h + omega * v + kappa * e));
    const rb = look(riskTable, a + tau * psi * h);
    baselineMemberMonths[d]! += bMonths;
    baselineCost[d]! += (cb * annualCost * bMonths) / 12;
    baselineRiskMonths[d]! += rb * bMonths;
  }

  const practiceRiskGroup = new Uint8Array(network.practiceCount);
  for (let q = 0; q < network.practiceCount; q++) {
    const avg = memberMonthsByPractice[q]! > 0 ? riskMonths[q]! / memberMonthsByPractice[q]! : 1;
    practiceRiskGroup[q] = 1 + riskGroupCuts.filter((cut) => avg >= cut).length;
  }

  return {
    options,
    network,
    members: N,
    physician,
    payer,
    cell: cellA,
    female: femaleA,
    age: ageA,
    birthMonth,
    firstMonth,
    lastMonth,
    baselineMonths,
    risk,
    baselineRisk,
    baselineAnnual,
    annual,
    conditions: conditionBits,
    claimCount: claims.n,
    claimMember: claims.member,
    claimMonth: claims.month,
    claimDay: claims.day,
    claimCategory: claims.category,
    claimCode: claims.code,
    claimUnits: claims.units,
    claimPhysician: claims.physician,
    claimAmount: claims.amount,
    codes,
    measures,
    qualityNumerator,
    qualityDenominator,
    baselineMemberMonths,
    baselineCost,
    baselineRiskMonths,
    practiceRiskGroup,
  };
}
