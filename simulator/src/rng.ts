// RANDOM STREAMS AND SAMPLERS
//
// pure-rand's xoroshiro128+ gives the bits. A run's root state is a SplitMix64 hash of
// (seed, trial) (or of (seed, "network") for the practice network, which does not change from
// trial to trial); every purpose then gets its own stream by jump() (2^64 steps apart), in a fixed
// order, so a purpose's draws never depend on how many draws another purpose made. Samplers are
// written here so parameters can change per member without allocating: uniforms on (0,1) with 53
// bits, normals by inverting the CDF (one uniform each, Wichura's AS241), Poisson by inversion
// (one uniform each).

import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";

const MASK64 = (1n << 64n) - 1n;

function splitmix(x: bigint): { readonly next: bigint; readonly out: bigint } {
  const next = (x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { next, out: z ^ (z >> 31n) };
}

const int32 = (x: bigint) => Number(BigInt.asIntN(32, x));

/** A 128-bit xoroshiro state from a seed (any safe integer) and a domain (trial number or tag). */
function rootState(seed: number, domain: bigint): number[] {
  let s = splitmix(BigInt.asUintN(64, BigInt(seed))).out;
  s = splitmix(s ^ splitmix(domain).out).out;
  const a = splitmix(s);
  const b = splitmix(a.next);
  let s0 = a.out;
  const s1 = b.out;
  if (s0 === 0n && s1 === 0n) s0 = 1n;
  // pure-rand's state order is [s0 high, s0 low, s1 high, s1 low].
  return [int32(s0 >> 32n), int32(s0), int32(s1 >> 32n), int32(s1)];
}

/** The purposes, in their fixed jump order. Append only: reordering changes every draw. */
export const Purpose = {
  demographics: 0,
  enrollment: 1,
  health: 2,
  costNoise: 3,
  inpatient: 4,
  ed: 5,
  primaryCare: 6,
  residual: 7,
  edEffect: 8,
  edExtra: 9,
  admissionEffect: 10,
  admissionExtra: 11,
  quality: 12,
  baselineOnly: 13,
} as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];
const purposeCount = 14;

export const NetworkPurpose = { structure: 0, names: 1, effects: 2 } as const;
const networkPurposeCount = 3;

function jumpedStreams(state: number[], count: number): Stream[] {
  const g = xoroshiro128plusFromState(state);
  const out: Stream[] = [];
  for (let i = 0; i < count; i++) {
    g.jump();
    out.push(new Stream(g.clone() as JumpableRandomGenerator));
  }
  return out;
}

/** One independent stream per purpose for (seed, trial). */
export function trialStreams(seed: number, trial: number): Stream[] {
  return jumpedStreams(rootState(seed, BigInt(trial) + 1n), purposeCount);
}

/** Streams for the practice network, which depends on the seed only (domain 0: trials use 1, 2, …). */
export function networkStreams(seed: number): Stream[] {
  return jumpedStreams(rootState(seed, 0n), networkPurposeCount);
}

/** A stream of its own for one quality measure's practice effects, by the measure's code (FNV-1a). */
export function measureStream(seed: number, code: string): Stream {
  let h = 0xcbf29ce484222325n;
  for (const ch of `measure:${code}`) h = ((h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n) & MASK64;
  // domains 1, 2, … are trials; measure domains are negative, so they never meet a trial's
  return jumpedStreams(rootState(seed, -1n - (h >> 1n)), 1)[0]!;
}

const TWO_POW_53 = 9007199254740992;

export class Stream {
  constructor(private readonly g: JumpableRandomGenerator) {}

  /** Uniform on the open interval (0, 1), 53 bits. */
  uniform(): number {
    const a = this.g.next() >>> 5;
    const b = this.g.next() >>> 6;
    return (a * 67108864 + b + 0.5) / TWO_POW_53;
  }

  /** Standard normal. */
  normal(): number {
    return normalQuantile(this.uniform());
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  poisson(lambda: number): number {
    return poissonQuantile(lambda, this.uniform());
  }
}

/** Poisson by inversion of one uniform (normal approximation above lambda 50). */
export function poissonQuantile(lambda: number, u: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 50) return Math.max(0, Math.floor(lambda + Math.sqrt(lambda) * normalQuantile(u) + 0.5));
  let p = Math.exp(-lambda);
  let f = p;
  let k = 0;
  while (u > f && k < 200) {
    k++;
    p *= lambda / k;
    f += p;
  }
  return k;
}

/** Inverse of the standard normal CDF (Wichura 1988, AS241 PPND16; relative error about 1e-16). */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}

/** Standard normal CDF (W. J. Cody's erfc rational approximation via the complementary error function). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes erfc (Chebyshev), fractional error < 1.2e-7; enough for calibration tables.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
