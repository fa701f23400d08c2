// CALIBRATION FIGURES: each published figure the generator is calibrated to, with its target,
// tolerance and source, and how to measure it on a generated population. Shared by
// calibration.test.ts and docs/simulation.md (whose table the test keeps in sync).

import type { SettlementInput } from "../../runtime/src/input";
import type { Population } from "../../simulator/src/model";
import { params, type Preset } from "../../simulator/src/presets";
import type { ResolvedOptions } from "../../simulator/src/population";

export interface Sample {
  readonly resolved: ResolvedOptions;
  readonly population: Population;
  readonly input: SettlementInput;
}

export interface Figure {
  readonly preset: Preset;
  readonly figure: string;
  readonly target: number;
  /** Achieved must lie within target ± tolerance (or, for a bound, on the right side of it). */
  readonly tolerance: number;
  readonly bound?: "below" | "above";
  readonly unit: "%" | "$" | "/1,000" | "";
  readonly source: string;
  readonly measure: (s: Sample) => number;
}

// MEASUREMENTS

interface Derived {
  memberMonths: number;
  /** Per member-month, in row order: risk score, age and practice index. */
  risk: Float64Array;
  age: Int32Array;
  practice: Int32Array;
  practiceCount: number;
  fullYear?: Float64Array;
  totalAllowed: number;
  byCategory: Map<string, { count: number; allowed: number }>;
  /** Allowed per member, and member-months per member, in member order (M1, M2, …). */
  memberAllowed: Float64Array;
  memberMonthsOf: Int32Array;
}

const cache = new WeakMap<Sample, Derived>();

function derived(s: Sample): Derived {
  let d = cache.get(s);
  if (d) return d;
  const n = s.population.members;
  const memberAllowed = new Float64Array(n);
  const memberMonthsOf = new Int32Array(n);
  const idx = (id: string) => Number(id.slice(1)) - 1;
  for (const m of s.input.members) memberMonthsOf[idx(m.member)]!++;
  const byCategory = new Map<string, { count: number; allowed: number }>();
  let totalAllowed = 0;
  for (const c of s.input.claims) {
    const a = Number(c.allowed);
    totalAllowed += a;
    memberAllowed[idx(c.member)]! += a;
    const k = byCategory.get(c.category) ?? { count: 0, allowed: 0 };
    k.count++;
    k.allowed += a;
    byCategory.set(c.category, k);
  }
  const rows = s.input.members;
  const risk = new Float64Array(rows.length);
  const age = new Int32Array(rows.length);
  const practice = new Int32Array(rows.length);
  const practiceIndex = new Map(s.input.practices.map((p, i) => [p.id, i]));
  const practiceOf = new Map(s.input.physicians.map((d) => [d.id, practiceIndex.get(d.practice)!]));
  rows.forEach((m, k) => {
    risk[k] = Number(m.riskScore);
    age[k] = Number(m.age);
    practice[k] = practiceOf.get(m.physician!)!;
  });
  d = { memberMonths: rows.length, risk, age, practice, practiceCount: s.input.practices.length, totalAllowed, byCategory, memberAllowed, memberMonthsOf };
  cache.set(s, d);
  return d;
}

/** Full-year members' costs (the published concentration figures are annual, per person). */
function fullYearCosts(s: Sample): Float64Array {
  const d = derived(s);
  if (d.fullYear) return d.fullYear;
  const out: number[] = [];
  for (let i = 0; i < d.memberAllowed.length; i++) if (d.memberMonthsOf[i] === 12) out.push(d.memberAllowed[i]!);
  return (d.fullYear = Float64Array.from(out).sort().reverse());
}

function topShare(costs: Float64Array, q: number): number {
  let total = 0;
  for (const c of costs) total += c;
  const k = Math.round(costs.length * q);
  let top = 0;
  for (let i = 0; i < k; i++) top += costs[i]!;
  return top / total;
}

const perThousand = (s: Sample, category: string) => ((derived(s).byCategory.get(category)?.count ?? 0) / derived(s).memberMonths) * 12000;

function riskMoments(s: Sample): { mean: number; cv: number } {
  let m1 = 0;
  let m2 = 0;
  for (const r of derived(s).risk) {
    m1 += r;
    m2 += r * r;
  }
  const n = derived(s).memberMonths;
  m1 /= n;
  return { mean: m1, cv: Math.sqrt(m2 / n - m1 * m1) / m1 };
}

/** Monthly disenrollment: members whose last month is 1-11, over member-months of months 1-11. */
function churn(s: Sample): number {
  const p = s.population;
  let leave = 0;
  let exposed = 0;
  for (let i = 0; i < p.members; i++) {
    const last = Math.min(11, p.lastMonth[i]!);
    exposed += Math.max(0, last - p.firstMonth[i]! + 1);
    if (p.lastMonth[i]! < 12) leave++;
  }
  return leave / exposed;
}

/** Share of the top q of baseline-year cost who are in the top q of the performance year (members enrolled both full years). */
function retention(s: Sample, q: number): number {
  const p = s.population;
  const ids: number[] = [];
  for (let i = 0; i < p.members; i++) if (p.baselineMonths[i] === 12 && p.firstMonth[i] === 1 && p.lastMonth[i] === 12) ids.push(i);
  const top = (values: Float64Array) => {
    const sorted = ids.map((i) => values[i]!).sort((a, b) => b - a);
    const cut = sorted[Math.max(0, Math.round(ids.length * q) - 1)]!;
    return new Set(ids.filter((i) => values[i]! >= cut && values[i]! > 0));
  };
  const before = top(p.baselineAnnual);
  const after = top(p.annual);
  let stay = 0;
  for (const i of before) if (after.has(i)) stay++;
  return stay / before.size;
}

function prevalence(s: Sample, bit: number): number {
  const p = s.population;
  let n = 0;
  let k = 0;
  for (let i = 0; i < p.members; i++)
    if (p.age[i]! >= 18) {
      n++;
      if (p.conditions[i]! & (1 << bit)) k++;
    }
  return k / n;
}

function qualityRate(s: Sample, measure: string): number {
  let num = 0;
  let den = 0;
  for (const q of s.input.quality)
    if (q.measure === measure) {
      num += Number(q.numerator);
      den += Number(q.denominator);
    }
  return num / den;
}

/** Mean full-year cost of members selected by cell, relative to another selection (model costs before effects). */
function costRatio(s: Sample, a: (cell: number, age: number) => boolean, b: (cell: number, age: number) => boolean): number {
  const p = s.population;
  const mean = (pred: (cell: number, age: number) => boolean) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < p.members; i++)
      if (pred(p.cell[i]!, p.age[i]!)) {
        sum += p.annual[i]!;
        n++;
      }
    return sum / n;
  };
  return mean(a) / mean(b);
}

/** Share of annual cost (model) held by members of the selected cells. */
function spendShare(s: Sample, pred: (cell: number) => boolean): number {
  const p = s.population;
  let all = 0;
  let sel = 0;
  for (let i = 0; i < p.members; i++) {
    all += p.annual[i]!;
    if (pred(p.cell[i]!)) sel += p.annual[i]!;
  }
  return sel / all;
}

function ageShare(s: Sample, lo: number, hi: number): number {
  let n = 0;
  for (const a of derived(s).age) if (a >= lo && a <= hi) n++;
  return n / derived(s).memberMonths;
}

function femaleShare(s: Sample): number {
  const p = s.population;
  let f = 0;
  for (let i = 0; i < p.members; i++) f += p.female[i]!;
  return f / p.members;
}

/** Percentile of practices' member-month average risk score. */
function practiceRiskPercentile(s: Sample, q: number): number {
  const d = derived(s);
  const r = new Float64Array(d.practiceCount);
  const n = new Float64Array(d.practiceCount);
  for (let k = 0; k < d.memberMonths; k++) {
    r[d.practice[k]!]! += d.risk[k]!;
    n[d.practice[k]!]!++;
  }
  const avgs = Array.from(r, (x, i) => x / n[i]!).sort((a, b) => a - b);
  const pos = q * (avgs.length - 1);
  const i = Math.floor(pos);
  return avgs[i]! + (avgs[Math.min(i + 1, avgs.length - 1)]! - avgs[i]!) * (pos - i);
}

// THE TABLE

const pmpm = (preset: Preset) => params[preset].annualCost / 12;
const cellsOf = (preset: Preset) => params[preset].cells;

function costFigures(preset: Preset): Figure[] {
  const p = params[preset];
  return [
    { preset, figure: "Baseline-year PMPM (baseline.csv, contract row)", target: pmpm(preset), tolerance: pmpm(preset) * 0.025, unit: "$", source: p.annualCostSource, measure: (s) => {
      const row = s.input.baseline.find((b) => b.level === "contract")!;
      return Number(row.cost) / Number(row.memberMonths);
    } },
    { preset, figure: "Performance-year PMPM (claims), baseline x 1.04 trend", target: pmpm(preset) * 1.04, tolerance: pmpm(preset) * 1.04 * 0.025, unit: "$", source: `${p.annualCostSource}; 4% trend [judgement]`, measure: (s) => derived(s).totalAllowed / derived(s).memberMonths },
    { preset, figure: "Members with no claims (full-year members)", target: p.shape.zero, tolerance: 0.015, unit: "%", source: preset === "medicare" ? "pop §A2.3 Medicare fit: p0 = 0.08" : "pop §A2.3 fit p0 = 0.12 (MEPS 2019: 14% had no expenditure)", measure: (s) => {
      const c = fullYearCosts(s);
      return c.filter((x) => x === 0).length / c.length;
    } },
  ];
}

const conc = (preset: Preset, figure: string, q: number, target: number, tolerance: number, source: string, bound?: "below"): Figure => ({
  preset,
  figure,
  target,
  tolerance,
  unit: "%",
  source,
  ...(bound ? { bound } : {}),
  measure: (s) => (q < 0 ? 1 - topShare(fullYearCosts(s), 1 + q) : topShare(fullYearCosts(s), q)),
});

const meps = "MEPS SB #560 (2022), pop §A2.3";
const eclin = "EClinicalMedicine 2021, Medicare FFS 65+ 2007-2018, pop §A2.3";

const rate = (preset: Preset, figure: string, category: string, target: number, source: keyof (typeof params)["commercial"]["utilizationSource"]): Figure => ({
  preset,
  figure,
  target,
  tolerance: target * 0.05,
  unit: "/1,000",
  source: params[preset].utilizationSource[source],
  measure: (s) => perThousand(s, category),
});

const prev = (preset: Preset, name: string, bit: number, key: keyof (typeof params)["commercial"]["prevalence"]): Figure => ({
  preset,
  figure: `${name} prevalence, adults`,
  target: params[preset].prevalence[key],
  tolerance: 0.01,
  unit: "%",
  source: params[preset].prevalenceSource,
  measure: (s) => prevalence(s, bit),
});

const quality = (preset: Preset, code: string, target: number, source: string): Figure => ({
  preset,
  figure: `${code} rate, all practices`,
  target,
  tolerance: 0.02,
  unit: "%",
  source,
  measure: (s) => qualityRate(s, code),
});

const hedis = "NCQA HEDIS national averages, pop §A4";

export const figures: readonly Figure[] = [
  // COMMERCIAL
  ...costFigures("commercial"),
  conc("commercial", "Top 1% share of cost", 0.01, 0.217, 0.02, meps),
  conc("commercial", "Top 5% share of cost", 0.05, 0.49, 0.02, `${meps}: "nearly half"`),
  conc("commercial", "Bottom 50% share of cost", -0.5, 0.03, 0, `${meps}: "< 3%"`, "below"),
  rate("commercial", "Admissions per 1,000", "inpatient", 60, "admissions"),
  rate("commercial", "ED visits per 1,000", "ed", 220, "ed"),
  rate("commercial", "Primary-care visits per 1,000", "primary_care", 1500, "pc"),
  { preset: "commercial", figure: "Inpatient share of allowed cost", target: 0.2, tolerance: 0.03, unit: "%", source: params.commercial.inpatientShareSource, measure: (s) => derived(s).byCategory.get("inpatient")!.allowed / derived(s).totalAllowed },
  { preset: "commercial", figure: "Risk score mean (member-months)", target: 1, tolerance: 0.02, unit: "", source: "pop §A2.6: normalised to 1.0", measure: (s) => riskMoments(s).mean },
  { preset: "commercial", figure: "Risk score CV", target: params.commercial.riskCv, tolerance: 0.08, unit: "", source: params.commercial.riskCvSource, measure: (s) => riskMoments(s).cv },
  { preset: "commercial", figure: "Top-10% retention, next year", target: 0.43, tolerance: 0.05, unit: "%", source: "KFF Health System Tracker (MarketScan 2003-08), pop §A2.7", measure: (s) => retention(s, 0.1) },
  { preset: "commercial", figure: "Top-1% retention, next year", target: 0.19, tolerance: 0.05, unit: "%", source: "MEPS SB #309/#354 (18.2%, 20.0%), pop §A2.7", measure: (s) => retention(s, 0.01) },
  { preset: "commercial", figure: "Monthly disenrollment", target: 0.022, tolerance: 0.002, unit: "%", source: params.commercial.churnSource, measure: churn },
  { preset: "commercial", figure: "Female / male cost per member", target: 1.25, tolerance: 0.08, unit: "", source: "CMS OACT NHE 2010 (Lassman et al. 2014): females about 25% above males, pop §A2.2", measure: (s) => costRatio(s, (c) => cellsOf("commercial")[c]!.female, (c) => !cellsOf("commercial")[c]!.female) },
  { preset: "commercial", figure: "Children (0-18) / adults (19-64) cost", target: 3628 / 6125, tolerance: 0.06, unit: "", source: "CMS OACT NHE 2010: $3,628 vs $6,125 per capita, pop §A2.2", measure: (s) => costRatio(s, (_, a) => a <= 18, (_, a) => a >= 19) },
  prev("commercial", "Diabetes", 0, "diabetes"),
  prev("commercial", "Hypertension", 1, "hypertension"),
  prev("commercial", "COPD", 3, "copd"),
  quality("commercial", "BCS", (0.738 + 0.723) / 2, `${hedis}: HMO 73.8 / PPO 72.3`),
  quality("commercial", "COL", 0.56, `${hedis}: MY2023 commercial 56`),
  quality("commercial", "CBP", (0.638 + 0.549) / 2, `${hedis}: HMO 63.8 / PPO 54.9`),
  quality("commercial", "HBD", (0.618 + 0.538) / 2, `${hedis}: HbA1c <8%, HMO 61.8 / PPO 53.8`),
  { preset: "commercial", figure: "Practice average risk, 10th percentile", target: 0.896, tolerance: 0.05, unit: "", source: "MSSP PUF PY2023 ACO-level aged/non-dual p10 0.896, pop §A2.6", measure: (s) => practiceRiskPercentile(s, 0.1) },
  { preset: "commercial", figure: "Practice average risk, 90th percentile", target: 1.131, tolerance: 0.05, unit: "", source: "MSSP PUF PY2023 ACO-level aged/non-dual p90 1.131, pop §A2.6", measure: (s) => practiceRiskPercentile(s, 0.9) },
  // MEDICARE
  ...costFigures("medicare"),
  conc("medicare", "Top 1% share of cost", 0.01, 0.149, 0.015, eclin),
  conc("medicare", "Top 5% share of cost", 0.05, 0.415, 0.015, eclin),
  conc("medicare", "Top 10% share of cost", 0.1, 0.6, 0.015, eclin),
  conc("medicare", "Top 20% share of cost", 0.2, 0.791, 0.015, eclin),
  conc("medicare", "Bottom 50% share of cost", -0.5, 1 - 0.957, 0.015, `${eclin}: top 50% 95.7%`),
  rate("medicare", "Admissions per 1,000", "inpatient", 253, "admissions"),
  rate("medicare", "ED visits per 1,000", "ed", 612, "ed"),
  rate("medicare", "Primary-care E&M visits per 1,000", "primary_care", 3593, "pc"),
  { preset: "medicare", figure: "Inpatient share of allowed cost", target: 0.3, tolerance: 0.03, unit: "%", source: params.medicare.inpatientShareSource, measure: (s) => derived(s).byCategory.get("inpatient")!.allowed / derived(s).totalAllowed },
  { preset: "medicare", figure: "Risk score mean (member-months)", target: 1, tolerance: 0.02, unit: "", source: "pop §A2.6: normalised to 1.0", measure: (s) => riskMoments(s).mean },
  { preset: "medicare", figure: "Risk score CV", target: params.medicare.riskCv, tolerance: 0.08, unit: "", source: params.medicare.riskCvSource, measure: (s) => riskMoments(s).cv },
  { preset: "medicare", figure: "Top-10% retention, next year", target: 0.32, tolerance: 0.05, unit: "%", source: "Yoon et al. HSR 2018 (VA + Medicare), pop §A2.7", measure: (s) => retention(s, 0.1) },
  { preset: "medicare", figure: "Monthly disenrollment", target: 0.007, tolerance: 0.001, unit: "%", source: params.medicare.churnSource, measure: churn },
  { preset: "medicare", figure: "Member-months under 65", target: 0.09, tolerance: 0.01, unit: "%", source: "MSSP PUF PY2023, pop §A2.2", measure: (s) => ageShare(s, 0, 64) },
  { preset: "medicare", figure: "Member-months 65-74", target: 0.472, tolerance: 0.015, unit: "%", source: "MSSP PUF PY2023, pop §A2.2", measure: (s) => ageShare(s, 65, 74) },
  { preset: "medicare", figure: "Member-months 75-84", target: 0.322, tolerance: 0.015, unit: "%", source: "MSSP PUF PY2023, pop §A2.2", measure: (s) => ageShare(s, 75, 84) },
  { preset: "medicare", figure: "Member-months 85+", target: 0.116, tolerance: 0.015, unit: "%", source: "MSSP PUF PY2023, pop §A2.2", measure: (s) => ageShare(s, 85, 200) },
  { preset: "medicare", figure: "Female members", target: 0.567, tolerance: 0.01, unit: "%", source: "MSSP PUF PY2023, pop §A2.2", measure: femaleShare },
  prev("medicare", "Diabetes", 0, "diabetes"),
  prev("medicare", "Hypertension", 1, "hypertension"),
  prev("medicare", "Heart failure", 2, "heart_failure"),
  prev("medicare", "COPD", 3, "copd"),
  quality("medicare", "BCS", (0.704 + 0.721) / 2, `${hedis}: HMO 70.4 / PPO 72.1`),
  quality("medicare", "COL", 0.64, `${hedis}: MY2023 Medicare 64`),
  quality("medicare", "CBP", (0.729 + 0.702) / 2, `${hedis}: HMO 72.9 / PPO 70.2`),
  quality("medicare", "HBD", (0.685 + 0.697) / 2, `${hedis}: HbA1c <8%, HMO 68.5 / PPO 69.7`),
  // MEDICAID
  ...costFigures("medicaid"),
  conc("medicaid", "Top 1% share of cost", 0.01, 0.217, 0.02, `${meps} [judgement: all-payer figure]`),
  conc("medicaid", "Top 5% share of cost", 0.05, 0.49, 0.02, `${meps} [judgement: all-payer figure]`),
  conc("medicaid", "Bottom 50% share of cost", -0.5, 0.03, 0, `${meps}: "< 3%" [judgement: all-payer figure]`, "below"),
  rate("medicaid", "Admissions per 1,000", "inpatient", 100, "admissions"),
  rate("medicaid", "ED visits per 1,000", "ed", 800, "ed"),
  rate("medicaid", "Primary-care visits per 1,000", "primary_care", 2000, "pc"),
  { preset: "medicaid", figure: "Children's share of spending", target: 0.154, tolerance: 0.02, unit: "%", source: "MACPAC MACStats Exhibit 21 (FY2022), pop §A2.1", measure: (s) => spendShare(s, (c) => cellsOf("medicaid")[c]!.hi <= 18) },
  { preset: "medicaid", figure: "Aged and disabled share of spending", target: 0.52, tolerance: 0.02, unit: "%", source: "KFF (2021): 21% of enrollees, 52% of spending, pop §A2.1", measure: (s) => spendShare(s, (c) => cellsOf("medicaid")[c]!.factor > 2) },
  { preset: "medicaid", figure: "Monthly disenrollment", target: 0.025, tolerance: 0.002, unit: "%", source: params.medicaid.churnSource, measure: churn },
  { preset: "medicaid", figure: "Risk score mean (member-months)", target: 1, tolerance: 0.02, unit: "", source: "pop §A2.6: normalised to 1.0", measure: (s) => riskMoments(s).mean },
  quality("medicaid", "BCS", 0.524, `${hedis}: Medicaid HMO 52.4`),
  quality("medicaid", "COL", 0.39, `${hedis}: MY2023 Medicaid 39`),
  quality("medicaid", "CBP", 0.609, `${hedis}: Medicaid HMO 60.9`),
  quality("medicaid", "HBD", 0.509, `${hedis}: HbA1c <8%, Medicaid HMO 50.9`),
];

export function passes(f: Figure, achieved: number): boolean {
  if (f.bound === "below") return achieved < f.target;
  if (f.bound === "above") return achieved > f.target;
  return Math.abs(achieved - f.target) <= f.tolerance + 1e-12;
}

/** Display of a value in the figure's unit. */
export function show(f: Figure, x: number): string {
  switch (f.unit) {
    case "%":
      return `${(x * 100).toFixed(1)}%`;
    case "$":
      return `$${x.toFixed(2)}`;
    case "/1,000":
      return Math.round(x).toLocaleString("en-US");
    default:
      return x.toFixed(3);
  }
}

export function showTarget(f: Figure): string {
  if (f.bound === "below") return `< ${show(f, f.target)}`;
  if (f.bound === "above") return `> ${show(f, f.target)}`;
  const tol = f.unit === "%" ? `${(f.tolerance * 100).toFixed(1)} pts` : f.unit === "$" ? `$${f.tolerance.toFixed(2)}` : f.unit === "/1,000" ? Math.round(f.tolerance).toLocaleString("en-US") : f.tolerance.toFixed(3);
  return `${show(f, f.target)} ± ${tol}`;
}
