// CALIBRATION TABLES, computed once per preset by numerical integration (no sampling)
//
// The cost model is a Gaussian copula. Each member has a latent cost score
//     s = a[cell] + tau * (psi*h + omega*v + kappa*e),   psi^2 + omega^2 + kappa^2 = 1,
// where a[cell] is the demographic shift of the member's age/sex (or eligibility) cell, h the
// latent health the risk score sees (it also drives chronic conditions), v persistent health the
// risk score does not see, and e this year's noise; h, v and e are standard normal. Annual cost is
// C = scale * T(s), with T(s) = F^-1(Phi(s)) the quantile function of the preset's zero-inflated
// two-component lognormal. So:
//   - the cell shifts are solved so that mean cost by cell is proportional to the preset's factors
//     and the mean over cells is the preset's annual cost (exactly, in expectation);
//   - the risk score is E[C | cell, h] / E[C]: mean 1, and psi is solved so its CV is the target;
//   - h and v follow AR(1) between the baseline and performance years, and omega is solved so the
//     correlation of s between the years is the preset's persistence.
// Utilization rates are normalised against the same distribution, so their population means are
// the preset's rates per 1,000 whatever the shape.

import { conditions, params, practiceQualitySd, practiceRiskShift, type Condition, type Preset, type PresetParams } from "./presets";
import { normalCdf } from "./rng";

const S_MIN = -10;
const S_MAX = 10;
/** Grid points per unit of s, a power of two, so multiplying by it is exactly dividing by S_STEP. */
const S_PER_UNIT = 256;
const S_STEP = 1 / S_PER_UNIT;
const S_SIZE = Math.round((S_MAX - S_MIN) / S_STEP) + 1;

/** Year-to-year AR(1) coefficient of the member parts of h and v [judgement]. */
export const latentAr = 0.85;
/** Probit loading of each chronic condition on h [judgement]. */
export const conditionLoading: Readonly<Record<Condition, number>> = { diabetes: 0.5, hypertension: 0.45, heart_failure: 0.65, copd: 0.55 };
/** Probit slope per decade of age [judgement]. */
export const conditionAgeSlope: Readonly<Record<Condition, number>> = { diabetes: 0.22, hypertension: 0.3, heart_failure: 0.38, copd: 0.22 };
/**
 * Utilization as a power of relative annual cost [judgement]. Admissions: the expected inpatient
 * share of a member's cost rises with cost as ipMax * c^k / (c^k + (half * unit)^k), where unit
 * is the mean cost of one admission (relative), so admissions go to members whose cost is
 * several admissions' worth [judgement].
 */
export const edPower = 0.6;
/** 1 - edPower, so the model computes c^pcPower as c / c^edPower. */
export const pcPower = 1 - edPower;
export const inpatientHalf = 2;
/** The admission curve is cubic: c^3, which the model computes as c * c * c. */
export const inpatientSteep = 3;

export interface Calibration {
  readonly params: PresetParams;
  /** T(s) on the s grid, relative units (mean over the population = 1 after `scale`). */
  readonly costTable: Float64Array;
  /** E[T(y + tau*sqrt(1-psi^2)*n)] on the s grid: the risk score before dividing by the mean. */
  readonly riskTable: Float64Array;
  /** Demographic shift per cell. */
  readonly shift: Float64Array;
  readonly tau: number;
  readonly psi: number;
  readonly omega: number;
  readonly kappa: number;
  /** Multiplies T(s) into "relative cost" with population mean 1. */
  readonly relative: number;
  /** E[c^pcPower], E[c^edPower] over the population, c = relative cost. */
  readonly pcNorm: number;
  readonly edNorm: number;
  /** Inpatient share of cost at very high cost: s_ip(c) = ipMax * c^k / (c^k + (half*unit)^k). */
  readonly ipMax: number;
  /** Mean allowed amount of one admission, relative to the mean annual cost. */
  readonly ipUnit: number;
  /** SD of the practice part of h (h = practiceSd * practice + sqrt(1 - practiceSd^2) * member). */
  readonly practiceSd: number;
  /** Cumulative cell shares, for sampling. */
  readonly cellCumulative: Float64Array;
  /** Probit intercepts per condition (at age 50). */
  readonly conditionIntercept: Readonly<Record<Condition, number>>;
  /** Achieved values, for the docs and tests. */
  readonly achieved: { readonly riskCv: number; readonly persistence: number; readonly shiftVariance: number };
}

/** Linear interpolation of a table on the s grid. */
export function lookup(table: Float64Array, s: number): number {
  let x = (s - S_MIN) * S_PER_UNIT;
  if (x <= 0) return table[0]!;
  if (x >= S_SIZE - 1) return table[S_SIZE - 1]!;
  const i = Math.floor(x);
  x -= i;
  return table[i]! + (table[i + 1]! - table[i]!) * x;
}

const upperTail = (x: number) => normalCdf(-x);

/** T(s): the zero-inflated mixture's quantile at Phi(s), with mu = 0. */
function costTable(p: PresetParams): Float64Array {
  const { zero, highWeight: w, highScale: m, sigma } = p.shape;
  const lm = Math.log(m);
  const t = new Float64Array(S_SIZE);
  for (let i = 0; i < S_SIZE; i++) {
    const s = S_MIN + i * S_STEP;
    const lower = normalCdf(s);
    if (lower <= zero) continue;
    // survival of the positive part: P(C > c | C > 0) = q
    const q = upperTail(s) / (1 - zero);
    // bisection (robust where the survival underflows in the far tail), until the halves are
    // adjacent doubles and the midpoint no longer moves
    let lo = -40;
    let hi = 40;
    for (let k = 0; k < 90; k++) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      const surv = (1 - w) * upperTail(mid / sigma) + w * upperTail((mid - lm) / sigma);
      if (surv > q) lo = mid;
      else hi = mid;
    }
    t[i] = Math.exp((lo + hi) / 2);
  }
  return t;
}

// Quadrature nodes for a standard normal.
function normalNodes(step: number, limit: number): { x: Float64Array; w: Float64Array } {
  const n = Math.round((2 * limit) / step) + 1;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    x[i] = -limit + i * step;
    w[i] = Math.exp(-0.5 * x[i]! * x[i]!);
    total += w[i]!;
  }
  for (let i = 0; i < n; i++) w[i]! /= total;
  return { x, w };
}

const fine = normalNodes(0.02, 7);
const coarse = normalNodes(0.05, 6.5);

/**
 * E[T(y + sd*n)] on the s grid (points outside the table clamp): every 4th point by quadrature,
 * the points between by linear interpolation (the function is smooth). Points are computed when
 * first read, and each is the same sum whenever it is computed, so a table read in part holds
 * exactly the values of one computed in full; the bisections below read only part of each table.
 */
class Smoothed {
  private readonly values = new Float64Array(S_SIZE);
  /** Per block b (points 4b..4b+3): whether point 4b is computed, and whether the points after it are. */
  private readonly hasPoint = new Uint8Array((S_SIZE >> 2) + 1);
  private readonly hasBetween = new Uint8Array((S_SIZE >> 2) + 1);

  constructor(
    private readonly table: Float64Array,
    private readonly sd: number,
  ) {}

  /** Quadrature point 4b. */
  private point(b: number): number {
    if (!this.hasPoint[b]) {
      const { x, w } = fine;
      const y = S_MIN + 4 * b * S_STEP;
      let acc = 0;
      for (let k = 0; k < x.length; k++) acc += w[k]! * lookup(this.table, y + this.sd * x[k]!);
      this.values[4 * b] = acc;
      this.hasPoint[b] = 1;
    }
    return this.values[4 * b]!;
  }

  /** The value at grid point k. */
  at(k: number): number {
    const b = k >> 2;
    if ((k & 3) === 0) return this.point(b);
    if (!this.hasBetween[b]) {
      const i = 4 * b;
      const j = Math.min(i + 4, S_SIZE - 1);
      const a = this.point(b);
      const c = this.point(j >> 2);
      for (let m = i + 1; m < j; m++) this.values[m] = a + ((c - a) * (m - i)) / (j - i);
      this.hasBetween[b] = 1;
    }
    return this.values[k]!;
  }

  /** lookup(table, s) of the whole table, reading only the points it needs. */
  lookup(s: number): number {
    let x = (s - S_MIN) * S_PER_UNIT;
    if (x <= 0) return this.at(0);
    if (x >= S_SIZE - 1) return this.at(S_SIZE - 1);
    const i = Math.floor(x);
    x -= i;
    const a = this.at(i);
    return a + (this.at(i + 1) - a) * x;
  }

  /** The whole table. */
  all(): Float64Array {
    for (let k = 0; k < S_SIZE; k++) this.at(k);
    return this.values;
  }
}

/** Inverse of a monotone table on the s grid: the s where table(s) = value. */
function inverse(table: Smoothed, value: number): number {
  let lo = 0;
  let hi = S_SIZE - 1;
  if (value <= table.at(lo)) return S_MIN;
  if (value >= table.at(hi)) return S_MAX;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table.at(mid) < value) lo = mid;
    else hi = mid;
  }
  const a = table.at(lo);
  const b = table.at(hi);
  return S_MIN + (lo + (b > a ? (value - a) / (b - a) : 0)) * S_STEP;
}

function solveShifts(p: PresetParams, t: Float64Array): { shift: Float64Array; tau: number } {
  const cells = p.cells;
  const shift = new Float64Array(cells.length);
  let tau = 1;
  for (let iter = 0; iter < 12; iter++) {
    const g = new Smoothed(t, tau);
    // find K with sum p*a = 0, where a_c = G^-1(f_c * K)
    let lo = -30;
    let hi = 30;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      let mean = 0;
      for (let c = 0; c < cells.length; c++) mean += cells[c]!.share * inverse(g, cells[c]!.factor * Math.exp(mid));
      if (mean < 0) lo = mid;
      else hi = mid;
    }
    const K = Math.exp((lo + hi) / 2);
    let variance = 0;
    for (let c = 0; c < cells.length; c++) {
      shift[c] = inverse(g, cells[c]!.factor * K);
      variance += cells[c]!.share * shift[c]! * shift[c]!;
    }
    const next = Math.sqrt(Math.max(0.05, 1 - variance));
    if (Math.abs(next - tau) < 1e-7) break;
    tau = next;
  }
  return { shift, tau };
}

/** The risk score before dividing by its mean, E[T(y + tau*sqrt(1-psi^2)*n)], for a given psi. */
const riskTableFor = (t: Float64Array, tau: number, psi: number) => new Smoothed(t, tau * Math.sqrt(Math.max(0, 1 - psi * psi)));

/** Mean and CV of the risk score E[T | cell, h] for a given psi (table: riskTableFor(t, tau, psi)). */
function riskMoments(p: PresetParams, table: Smoothed, shift: Float64Array, tau: number, psi: number): { mean: number; cv: number } {
  let m1 = 0;
  let m2 = 0;
  const { x, w } = coarse;
  for (let c = 0; c < p.cells.length; c++) {
    const share = p.cells[c]!.share;
    for (let k = 0; k < x.length; k++) {
      const r = table.lookup(shift[c]! + tau * psi * x[k]!);
      m1 += share * w[k]! * r;
      m2 += share * w[k]! * r * r;
    }
  }
  return { mean: m1, cv: Math.sqrt(Math.max(0, m2 - m1 * m1)) / m1 };
}

/**
 * The x in [lo, hi] where the increasing function f crosses 0, to within 1e-12 (f(lo) < 0 < f(hi)
 * assumed; the nearer end otherwise): regula falsi with the Illinois rule, which needs about a
 * third of the evaluations bisection does (each costs a table of quadratures here).
 */
function increasingRoot(f: (x: number) => number, lo: number, hi: number): number {
  let fLo = f(lo);
  let fHi = f(hi);
  if (!(fLo < 0)) return lo;
  if (!(fHi > 0)) return hi;
  let side = 0;
  for (let it = 0; it < 100 && hi - lo > 1e-12; it++) {
    const x = (lo * fHi - hi * fLo) / (fHi - fLo);
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) {
      lo = x;
      fLo = fx;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = x;
      fHi = fx;
      if (side === 1) fLo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

/** E[f(relative cost)] over the population. */
function expectation(p: PresetParams, t: Float64Array, shift: Float64Array, tau: number, relative: number, f: (c: number) => number): number {
  let acc = 0;
  const { x, w } = fine;
  for (let c = 0; c < p.cells.length; c++) {
    let inner = 0;
    for (let k = 0; k < x.length; k++) inner += w[k]! * f(relative * lookup(t, shift[c]! + tau * x[k]!));
    acc += p.cells[c]!.share * inner;
  }
  return acc;
}

/** Adult (18+) age distribution of a preset: weights by single year of age. */
export function adultAges(p: PresetParams): Float64Array {
  const ages = new Float64Array(121);
  for (const c of p.cells) for (let a = c.lo; a <= c.hi; a++) if (a >= 18) ages[a]! += c.share / (c.hi - c.lo + 1);
  return ages;
}

function solveConditions(p: PresetParams): Record<Condition, number> {
  const ages = adultAges(p);
  let total = 0;
  for (let a = 0; a < ages.length; a++) total += ages[a]!;
  const out = {} as Record<Condition, number>;
  for (const k of conditions) {
    let lo = -10;
    let hi = 10;
    for (let it = 0; it < 80; it++) {
      const mid = (lo + hi) / 2;
      let prev = 0;
      for (let a = 18; a < ages.length; a++) if (ages[a]! > 0) prev += ages[a]! * normalCdf(mid + (conditionAgeSlope[k] * (a - 50)) / 10);
      if (prev / total < p.prevalence[k]) lo = mid;
      else hi = mid;
    }
    out[k] = (lo + hi) / 2;
  }
  return out;
}

export function buildCalibration(p: PresetParams): Calibration {
  const preset = p.preset;
  const t = costTable(p);
  const { shift, tau } = solveShifts(p, t);
  // relative: mean over cells of E[T] = sum p_c G(a_c)
  const mean = expectation(p, t, shift, tau, 1, (c) => c);
  const relative = 1 / mean;
  // psi for the risk CV (which rises with psi, from 0 at psi = 0)
  const psi = increasingRoot((x) => riskMoments(p, riskTableFor(t, tau, x), shift, tau, x).cv - p.riskCv, 0, 1);
  const riskSmoothed = riskTableFor(t, tau, psi);
  const risk = riskMoments(p, riskSmoothed, shift, tau, psi);
  let shiftVariance = 0;
  for (let c = 0; c < p.cells.length; c++) shiftVariance += p.cells[c]!.share * shift[c]! * shift[c]!;
  // the practice part of h, sized so the practice shift of the risk index is the same in every preset
  const practiceSd = Math.min(0.6, practiceRiskShift / (tau * psi));
  const hCorr = practiceSd * practiceSd + (1 - practiceSd * practiceSd) * latentAr;
  const omega2 = ((p.persistence - shiftVariance) / (tau * tau) - psi * psi * hCorr) / latentAr;
  if (!(omega2 >= 0 && omega2 <= 1 - psi * psi)) throw new Error(`calibration of ${preset}: persistence ${p.persistence} is out of reach (omega^2 = ${omega2.toFixed(3)}, psi = ${psi.toFixed(3)})`);
  const omega = Math.sqrt(omega2);
  const kappa = Math.sqrt(Math.max(0, 1 - psi * psi - omega2));
  const persistence = shiftVariance + tau * tau * (psi * psi * hCorr + omega2 * latentAr);
  const pcNorm = expectation(p, t, shift, tau, relative, (c) => (c > 0 ? Math.pow(c, pcPower) : 0));
  const edNorm = expectation(p, t, shift, tau, relative, (c) => (c > 0 ? Math.pow(c, edPower) : 0));
  const ipUnit = p.inpatientShare / (p.admissions / 1000);
  const hk = Math.pow(inpatientHalf * ipUnit, inpatientSteep);
  const ipRaw = expectation(p, t, shift, tau, relative, (c) => {
    const ck = Math.pow(c, inpatientSteep);
    return (c * ck) / (ck + hk);
  });
  const ipMax = p.inpatientShare / ipRaw;
  const riskTable = riskSmoothed.all();
  // normalise the risk table so the population mean risk is exactly 1
  const rt = new Float64Array(riskTable.length);
  for (let i = 0; i < rt.length; i++) rt[i] = riskTable[i]! / risk.mean;
  const cellCumulative = new Float64Array(p.cells.length);
  let cum = 0;
  for (let c = 0; c < p.cells.length; c++) cellCumulative[c] = cum += p.cells[c]!.share;
  cellCumulative[p.cells.length - 1] = 1;
  return {
    params: p,
    costTable: t,
    riskTable: rt,
    shift,
    tau,
    psi,
    omega,
    kappa,
    relative,
    pcNorm,
    edNorm,
    ipMax,
    ipUnit,
    practiceSd,
    cellCumulative,
    conditionIntercept: solveConditions(p),
    achieved: { riskCv: risk.cv, persistence, shiftVariance },
  };
}

const cache = new Map<Preset, Calibration>();

export function calibration(preset: Preset): Calibration {
  let c = cache.get(preset);
  if (!c) cache.set(preset, (c = buildCalibration(params[preset])));
  return c;
}

/**
 * Installs a calibration another thread built (a structured clone of `calibration(preset)`), so a
 * worker does not build it again: it is plain numbers and arrays, and the clone has the same bits.
 */
export function adoptCalibration(preset: Preset, built: Calibration): void {
  if (!cache.has(preset)) cache.set(preset, built);
}

const intercepts = new Map<number, number>();

/** The logit intercept whose mean over practice effects N(0, sd^2) is the given rate. */
export function qualityIntercept(rate: number): number {
  let v = intercepts.get(rate);
  if (v === undefined) intercepts.set(rate, (v = solveIntercept(rate)));
  return v;
}

function solveIntercept(rate: number): number {
  const { x, w } = coarse;
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    let m = 0;
    for (let k = 0; k < x.length; k++) m += w[k]! / (1 + Math.exp(-(mid + practiceQualitySd * x[k]!)));
    if (m < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Shares of total cost held by the top 1%, 5%, 10%, 20% and the bottom 50%, and the zero share, from the model (no sampling). */
export function modelConcentration(cal: Calibration): { top1: number; top5: number; top10: number; top20: number; bottom50: number; zero: number; cv: number } {
  const p = cal.params;
  const { x, w } = fine;
  const n = p.cells.length * x.length;
  const values = new Float64Array(n);
  const weights = new Float64Array(n);
  let i = 0;
  for (let c = 0; c < p.cells.length; c++)
    for (let k = 0; k < x.length; k++) {
      values[i] = cal.relative * lookup(cal.costTable, cal.shift[c]! + cal.tau * x[k]!);
      weights[i++] = p.cells[c]!.share * w[k]!;
    }
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => values[b]! - values[a]!);
  let total = 0;
  let sq = 0;
  let zero = 0;
  for (let j = 0; j < n; j++) {
    total += values[j]! * weights[j]!;
    sq += values[j]! * values[j]! * weights[j]!;
    if (values[j]! === 0) zero += weights[j]!;
  }
  const top = (q: number) => {
    let mass = 0;
    let acc = 0;
    for (const j of order) {
      const take = Math.min(weights[j]!, q - mass);
      if (take <= 0) break;
      mass += take;
      acc += take * values[j]!;
    }
    return acc / total;
  };
  return { top1: top(0.01), top5: top(0.05), top10: top(0.1), top20: top(0.2), bottom50: 1 - top(0.5), zero, cv: Math.sqrt(sq / total / total - 1) };
}
