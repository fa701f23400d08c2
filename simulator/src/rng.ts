// RANDOM STREAMS AND SAMPLERS
//
// The bits are xoroshiro128+ as pure-rand implements it. A run's root state is a SplitMix64 hash
// of (seed, trial) (or of (seed, "network") for the practice network, which does not change from
// trial to trial); every purpose then gets its own stream by pure-rand's jump() (2^64 steps
// apart), in a fixed order, so a purpose's draws never depend on how many draws another purpose
// made. A Stream then steps the generator itself (the recurrence of pure-rand's next(), in
// WebAssembly where it can, else in JS) and makes its uniforms a block at a time, ahead of use:
// one uniform per step of pure-rand's generator, whoever steps it. Samplers are written here so
// parameters can change per member without allocating: uniforms on (0,1) with 52 bits (one step
// each), normals by inverting the CDF (one uniform each, Wichura's AS241), Poisson by inversion
// (one uniform each).

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
    out.push(new Stream(g.getState()));
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

// BLOCKS OF UNIFORMS
//
// A stream's state is two 64-bit words s0, s1, kept as four int32 in little-endian order
// [s0 low, s0 high, s1 low, s1 high]: pure-rand's xoroshiro128+ generator. One step outputs the
// 64-bit sum s0 + s1, then s1 ^= s0; s0 = rotl(s0, 24) ^ s1 ^ (s1 << 16); s1 = rotl(s1, 37).
// A uniform is one step: its 52 high bits w, as (w + 0.5) / 2^52, exact and inside (0, 1). (High
// bits, since the low bits of xoroshiro128+ are its weak ones; pure-rand's next() returns the
// low 32 bits, so its own distributions are not used.) `fillJs` does this on 32-bit halves;
// `wasmModule().fill` makes the same in WebAssembly on 64-bit words, a few times faster; streams
// use it where it runs. Both give the same bits.

/** Uniforms made per refill: small next to a trial's draws, large enough to amortise the call. */
const BLOCK = 512;

/** 2^-52: multiplying by it is exactly dividing by 2^52. */
const TWO_POW_MINUS_52 = 1 / 4503599627370496;

/** Fills `out[from .. to)` with the next uniforms of the generator at `state`, and advances `state`. */
type Fill = (state: Int32Array, out: Float64Array, from: number, to: number) => void;

const fillJs: Fill = (state, out, from, to) => {
  let s00 = state[0]!;
  let s01 = state[1]!;
  let s10 = state[2]!;
  let s11 = state[3]!;
  for (let j = from; j < to; j++) {
    // the output: s0 + s1 in halves (the low half's carry into the high one), its 52 high bits
    const low = (s00 >>> 0) + (s10 >>> 0);
    const high = (s01 + s11 + (low > 0xffffffff ? 1 : 0)) >>> 0;
    out[j] = (high * 1048576 + (low >>> 12) + 0.5) * TWO_POW_MINUS_52;
    // the step, as pure-rand's XoroShiro128Plus.next makes it
    const a0 = s10 ^ s00;
    const a1 = s11 ^ s01;
    const t0 = s00;
    const t1 = s01;
    s00 = (t0 << 24) ^ (t1 >>> 8) ^ a0 ^ (a0 << 16);
    s01 = (t1 << 24) ^ (t0 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    s10 = (a1 << 5) ^ (a0 >>> 27);
    s11 = (a0 << 5) ^ (a1 >>> 27);
  }
  state[0] = s00;
  state[1] = s01;
  state[2] = s10;
  state[3] = s11;
};

/** The WebAssembly helpers streams use where it runs; see `wasmModule`. */
interface Wasm {
  readonly fill: Fill;
  /**
   * Fills uniforms[from .. to) from `state` (advancing it), then normals[0 .. to) with the normal
   * quantiles of uniforms[0 .. to).
   */
  readonly normalsOf: (state: Int32Array, from: number, to: number) => void;
  /** Where normalsOf leaves the uniforms and the normals (NORMAL_CHUNK each). */
  readonly uniforms: Float64Array;
  readonly normals: Float64Array;
}

/** The coefficients of centralQuantile's numerator and denominator, highest power first (AS241). */
const centralNumerator = [2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608];
const centralDenominator = [5226.495278852545925, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1];

/** tailQuantile's coefficients: numerator and denominator for r <= 5 (near) and beyond (far), highest power first (AS241). */
const tailNearNumerator = [7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734];
const tailNearDenominator = [1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1];
const tailFarNumerator = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772];
const tailFarDenominator = [2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1];

/** Normals made per call of Wasm.normalsOf at most (a page of memory each way). */
const NORMAL_CHUNK = 8192;

/**
 * The same in WebAssembly: a module of three pages assembled here from named opcodes. fill(state,
 * out, n) writes n uniforms from `out`, the state (16 bytes) at `state`. quantiles(p, out, n) writes
 * normalQuantile(p[j]) for n doubles from `p` to `out`: the central formula two at a time (SIMD),
 * then the tails one by one, with fdlibm's logarithm (the one V8's Math.log is), every float
 * operation as the JavaScript functions do it and in the same order, so the same bits. Undefined
 * where WebAssembly (with SIMD) can't run or memory is not little-endian.
 */
function wasmModule(): Wasm | undefined {
  // opcodes: locals, constants and loops (op), and the operations on i32 (i), i64 (bits) and f64 (f)
  const op = { get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41, i64Const: 0x42, f64Const: 0x44, loop: 0x03, brIf: 0x0d, end: 0x0b, noResult: 0x40 };
  const i = { add: 0x6a, sub: 0x6b, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shrS: 0x75, shrU: 0x76, eqz: 0x45, gtS: 0x4a, ltU: 0x49, fromI64: 0xa7 };
  const bits = { load: 0x29, store: 0x37, add: 0x7c, xor: 0x85, shl: 0x86, shrU: 0x88, rotl: 0x89, and: 0x83, or: 0x84, ofF64: 0xbd, fromI32U: 0xad };
  const f = { abs: 0x99, neg: 0x9a, sqrt: 0x9f, add: 0xa0, sub: 0xa1, mul: 0xa2, div: 0xa3, eq: 0x61, lt: 0x63, le: 0x65, load: 0x2b, store: 0x39, fromI32: 0xb7, fromI64U: 0xba, fromBits: 0xbf };
  const control = { if: 0x04, else: 0x05, select: 0x1b, call: 0x10, f64Result: 0x7c };
  const size = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...size(n >>> 7)]); // LEB128
  // signed LEB128, for the immediates of i32.const and i64.const
  const sleb = (x: bigint): number[] => {
    const b = Number(x & 0x7fn);
    const rest = x >> 7n;
    return (rest === 0n && !(b & 0x40)) || (rest === -1n && b & 0x40) ? [b] : [b | 0x80, ...sleb(rest)];
  };
  // SIMD instructions: prefix 0xfd and the opcode (LEB128); loads and stores take align 2^4, offset 0
  const simd = (code: number) => [0xfd, ...size(code)];
  const v128 = { load: [...simd(0x00), 4, 0], store: [...simd(0x0b), 4, 0], f64x2Splat: simd(0x14), f64x2Add: simd(0xf0), f64x2Sub: simd(0xf1), f64x2Mul: simd(0xf2), f64x2Div: simd(0xf3) };
  const f64 = (x: number) => [op.f64Const, ...new Uint8Array(Float64Array.of(x).buffer)];
  const splat = (x: number) => [...f64(x), ...v128.f64x2Splat];
  // fill: parameters 0 state, 1 out, 2 n (i32); locals 3 s0, 4 s1 (i64), 5 end (i32)
  const [STATE, OUT, N, S0, S1, END] = [0, 1, 2, 3, 4, 5];
  const step = [
    ...[op.get, S1, op.get, S0, bits.xor, op.set, S1], // s1 ^= s0
    ...[op.get, S0, op.i64Const, 24, bits.rotl, op.get, S1, bits.xor], // rotl(s0, 24) ^ s1
    ...[op.get, S1, op.i64Const, 16, bits.shl, bits.xor, op.set, S0], // ^ (s1 << 16) -> s0
    ...[op.get, S1, op.i64Const, 37, bits.rotl, op.set, S1], // s1 = rotl(s1, 37)
  ];
  const fillBody = [
    ...[2, 2, 0x7e, 1, 0x7f], // locals: 2 x i64, 1 x i32
    ...[op.get, STATE, bits.load, 3, 0, op.set, S0],
    ...[op.get, STATE, bits.load, 3, 8, op.set, S1],
    ...[op.get, OUT, op.get, N, op.i32Const, 3, i.shl, i.add, op.set, END], // end = out + 8n
    ...[op.loop, op.noResult],
    ...[op.get, OUT], // address of the store
    ...[op.get, S0, op.get, S1, bits.add, op.i64Const, 12, bits.shrU, f.fromI64U], // (s0 + s1) >>> 12
    ...[...f64(0.5), f.add, ...f64(TWO_POW_MINUS_52), f.mul, f.store, 3, 0, ...step],
    ...[op.get, OUT, op.i32Const, 8, i.add, op.tee, OUT, op.get, END, i.ltU, op.brIf, 0],
    op.end,
    ...[op.get, STATE, op.get, S0, bits.store, 3, 0],
    ...[op.get, STATE, op.get, S1, bits.store, 3, 8],
    op.end,
  ];
  const i64 = (x: bigint) => [op.i64Const, ...sleb(x)];
  const i32 = (x: number) => [op.i32Const, ...sleb(BigInt(x))];
  // Horner's rule as the JavaScript writes it: (((r * c0 + c1) * r + c2) * r + ...), over r at `local`
  const horner = (c: readonly number[], local: number, mul: number[], add: number[], constant: (x: number) => number[]) => [op.get, local, ...constant(c[0]!), ...mul, ...constant(c[1]!), ...add, ...c.slice(2).flatMap((x) => [op.get, local, ...mul, ...constant(x), ...add])];
  const vHorner = (c: readonly number[], local: number) => horner(c, local, v128.f64x2Mul, v128.f64x2Add, splat);
  const fHorner = (c: readonly number[], local: number) => horner(c, local, [f.mul], [f.add], f64);
  // log(x) for normal x in (0, 1/2), as fdlibm's __ieee754_log computes it there (k is never 0):
  // parameter 0 x; locals 1 bits (i64), 2 hx, 3 k, 4 i (i32), 5 f, 6 s, 7 z, 8 w, 9 r, 10 dk, 11 hfsq (f64)
  const [LX, LBITS, LHX, LK, LI, LF, LS, LZ, LW, LR, LDK, LHFSQ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [ln2Hi, ln2Lo] = [6.93147180369123816490e-1, 1.90821492927058770002e-10];
  const [lg1, lg2, lg3, lg4, lg5, lg6, lg7] = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];
  const kLn2Hi = [op.get, LDK, ...f64(ln2Hi), f.mul];
  const kLn2Lo = [op.get, LDK, ...f64(ln2Lo), f.mul];
  const logBody = [
    ...[3, 1, 0x7e, 3, 0x7f, 7, 0x7c], // locals: 1 x i64, 3 x i32, 7 x f64
    ...[op.get, LX, bits.ofF64, op.set, LBITS],
    ...[op.get, LBITS, ...i64(32n), bits.shrU, i.fromI64, op.set, LHX], // hx: the high word
    ...[op.get, LHX, ...i32(20), i.shrS, ...i32(1023), i.sub, op.set, LK], // k = (hx >> 20) - 1023
    ...[op.get, LHX, ...i32(0xfffff), i.and, op.set, LHX], // hx &= 0x000fffff
    ...[op.get, LHX, ...i32(0x95f64), i.add, ...i32(0x100000), i.and, op.set, LI], // i = (hx + 0x95f64) & 0x100000
    // x with high word hx | (i ^ 0x3ff00000): x or x/2 normalised
    ...[op.get, LHX, op.get, LI, ...i32(0x3ff00000), i.xor, i.or, bits.fromI32U, ...i64(32n), bits.shl],
    ...[op.get, LBITS, ...i64(0xffffffffn), bits.and, bits.or, f.fromBits, op.set, LX],
    ...[op.get, LK, op.get, LI, ...i32(20), i.shrS, i.add, op.set, LK], // k += i >> 20
    ...[op.get, LX, ...f64(1), f.sub, op.set, LF], // f = x - 1
    ...[op.get, LK, f.fromI32, op.set, LDK],
    // |f| < 2^-20
    ...[...i32(2), op.get, LHX, i.add, ...i32(0xfffff), i.and, ...i32(3), i.ltU, control.if, control.f64Result],
    ...[op.get, LF, ...f64(0), f.eq, control.if, control.f64Result],
    ...[...kLn2Hi, ...kLn2Lo, f.add], // k * ln2_hi + k * ln2_lo
    control.else,
    ...[op.get, LF, op.get, LF, f.mul, ...f64(0.5), ...f64(0.33333333333333333), op.get, LF, f.mul, f.sub, f.mul, op.set, LR], // R = f * f * (0.5 - 0.33333333333333333 * f)
    ...[...kLn2Hi, op.get, LR, ...kLn2Lo, f.sub, op.get, LF, f.sub, f.sub], // k * ln2_hi - ((R - k * ln2_lo) - f)
    op.end,
    control.else,
    ...[op.get, LF, ...f64(2), op.get, LF, f.add, f.div, op.set, LS], // s = f / (2 + f)
    ...[op.get, LS, op.get, LS, f.mul, op.set, LZ], // z = s * s
    ...[op.get, LZ, op.get, LZ, f.mul, op.set, LW], // w = z * z
    // R = t2 + t1: t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7))), t1 = w * (Lg2 + w * (Lg4 + w * Lg6))
    ...[op.get, LZ, ...f64(lg1), op.get, LW, ...f64(lg3), op.get, LW, ...f64(lg5), op.get, LW, ...f64(lg7), f.mul, f.add, f.mul, f.add, f.mul, f.add, f.mul],
    ...[op.get, LW, ...f64(lg2), op.get, LW, ...f64(lg4), op.get, LW, ...f64(lg6), f.mul, f.add, f.mul, f.add, f.mul],
    ...[f.add, op.set, LR],
    // (hx - 0x6147a) | (0x6b851 - hx) > 0
    ...[op.get, LHX, ...i32(0x6147a), i.sub, ...i32(0x6b851), op.get, LHX, i.sub, i.or, ...i32(0), i.gtS, control.if, control.f64Result],
    ...[...f64(0.5), op.get, LF, f.mul, op.get, LF, f.mul, op.set, LHFSQ], // hfsq = 0.5 * f * f
    // k * ln2_hi - ((hfsq - (s * (hfsq + R) + k * ln2_lo)) - f)
    ...[...kLn2Hi, op.get, LHFSQ, op.get, LS, op.get, LHFSQ, op.get, LR, f.add, f.mul, ...kLn2Lo, f.add, f.sub, op.get, LF, f.sub, f.sub],
    control.else,
    // k * ln2_hi - ((s * (f - R) - k * ln2_lo) - f)
    ...[...kLn2Hi, op.get, LS, op.get, LF, op.get, LR, f.sub, f.mul, ...kLn2Lo, f.sub, op.get, LF, f.sub, f.sub],
    op.end,
    op.end,
    op.end,
  ];
  // tail(p, q) as tailQuantile: parameters 0 p, 1 q; locals 2 r, 3 x (f64)
  const [TP, TQ, TR, TX] = [0, 1, 2, 3];
  const LOG = 2; // function index
  const tailBody = [
    ...[1, 2, 0x7c], // locals: 2 x f64
    ...[op.get, TP, ...f64(1), op.get, TP, f.sub, op.get, TQ, ...f64(0), f.lt, control.select], // q < 0 ? p : 1 - p
    ...[control.call, LOG, f.neg, f.sqrt, op.set, TR], // r = sqrt(-log(r))
    ...[op.get, TR, ...f64(5), f.le, control.if, control.f64Result],
    ...[op.get, TR, ...f64(1.6), f.sub, op.set, TR, ...fHorner(tailNearNumerator, TR), ...fHorner(tailNearDenominator, TR), f.div],
    control.else,
    ...[op.get, TR, ...f64(5), f.sub, op.set, TR, ...fHorner(tailFarNumerator, TR), ...fHorner(tailFarDenominator, TR), f.div],
    op.end,
    ...[op.tee, TX, f.neg, op.get, TX, op.get, TQ, ...f64(0), f.lt, control.select], // q < 0 ? -x : x
    op.end,
  ];
  // quantiles: parameters 0 p, 1 out, 2 n (i32); locals 3 at, 4 end (i32), 5 q, 6 r (v128), 7 u, 8 d (f64)
  const [QP, QOUT, QN, QAT, QEND, QQ, QR, QU, QD] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const TAIL = 3; // function index
  const quantilesBody = [
    ...[3, 2, 0x7f, 2, 0x7b, 2, 0x7c], // locals: 2 x i32, 2 x v128, 2 x f64
    ...[op.get, QN, ...i32(3), i.shl, op.set, QEND], // end = 8n (offsets from p and out)
    // the central formula for every p, two at a time (one past n when n is odd)
    ...[op.loop, op.noResult],
    ...[op.get, QOUT, op.get, QAT, i.add], // address of the store
    ...[op.get, QP, op.get, QAT, i.add, ...v128.load, ...splat(0.5), ...v128.f64x2Sub, op.set, QQ], // q = p - 0.5
    ...[...splat(0.180625), op.get, QQ, op.get, QQ, ...v128.f64x2Mul, ...v128.f64x2Sub, op.set, QR], // r = 0.180625 - q * q
    ...[op.get, QQ, ...vHorner(centralNumerator, QR), ...v128.f64x2Mul, ...vHorner(centralDenominator, QR), ...v128.f64x2Div, ...v128.store],
    ...[op.get, QAT, ...i32(16), i.add, op.tee, QAT, op.get, QEND, i.ltU, op.brIf, 0],
    op.end,
    // then the tails, |p - 1/2| > 0.425 (or not a number)
    ...[...i32(0), op.set, QAT],
    ...[op.loop, op.noResult],
    ...[op.get, QP, op.get, QAT, i.add, f.load, 3, 0, op.tee, QU, ...f64(0.5), f.sub, op.tee, QD],
    ...[f.abs, ...f64(0.425), f.le, i.eqz, control.if, op.noResult],
    ...[op.get, QOUT, op.get, QAT, i.add, op.get, QU, op.get, QD, control.call, TAIL, f.store, 3, 0],
    op.end,
    ...[op.get, QAT, ...i32(8), i.add, op.tee, QAT, op.get, QEND, i.ltU, op.brIf, 0],
    op.end,
    op.end,
  ];
  const section = (id: number, bytes: number[]) => [id, ...size(bytes.length), ...bytes];
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const body = (code: number[]) => [...size(code.length), ...code];
  const bytes = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    // types: 0 (i32, i32, i32) -> (), 1 (f64) -> f64, 2 (f64, f64) -> f64
    ...section(1, [3, 0x60, 3, 0x7f, 0x7f, 0x7f, 0, 0x60, 1, 0x7c, 1, 0x7c, 0x60, 2, 0x7c, 0x7c, 1, 0x7c]),
    ...section(3, [4, 0, 0, 1, 2]), // functions: 0 fill, 1 quantiles, 2 log, 3 tail
    ...section(5, [1, 0, 3]), // one memory of three pages (64 KiB each)
    ...section(7, [3, ...name("fill"), 0, 0, ...name("quantiles"), 0, 1, ...name("memory"), 2, 0]), // exports
    ...section(10, [4, ...body(fillBody), ...body(quantilesBody), ...body(logBody), ...body(tailBody)]), // code
  ]);
  try {
    if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) return undefined;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const fillIn = exports.fill as (state: number, out: number, n: number) => void;
    const quantilesIn = exports.quantiles as (p: number, out: number, n: number) => void;
    const memory = (exports.memory as WebAssembly.Memory).buffer;
    const words = new Int32Array(memory, 0, 4);
    // page 0: the state and a chunk of uniforms; page 1: uniforms for normals; page 2: the normals
    const chunk = 8190;
    const values = new Float64Array(memory, 16, chunk);
    const uniformsAt = 65536;
    const normalsAt = 2 * 65536;
    const load = (state: Int32Array) => {
      words[0] = state[0]!;
      words[1] = state[1]!;
      words[2] = state[2]!;
      words[3] = state[3]!;
    };
    const save = (state: Int32Array) => {
      state[0] = words[0]!;
      state[1] = words[1]!;
      state[2] = words[2]!;
      state[3] = words[3]!;
    };
    // the first m values, for each m filled so far (streams fill whole blocks of 512 at a time, and
    // the chunks' remainders: a few sizes)
    const heads = new Map<number, Float64Array>([[chunk, values]]);
    return {
      fill: (state, out, from, to) => {
        load(state);
        for (let at = from; at < to; at += chunk) {
          const m = Math.min(chunk, to - at);
          fillIn(0, 16, m);
          let head = heads.get(m);
          if (!head) heads.set(m, (head = values.subarray(0, m)));
          out.set(head, at);
        }
        save(state);
      },
      normalsOf: (state, from, to) => {
        if (to > from) {
          load(state);
          fillIn(0, uniformsAt + 8 * from, to - from);
          save(state);
        }
        if (to > 0) quantilesIn(uniformsAt, normalsAt, to);
      },
      uniforms: new Float64Array(memory, uniformsAt, NORMAL_CHUNK),
      normals: new Float64Array(memory, normalsAt, NORMAL_CHUNK),
    };
  } catch {
    return undefined;
  }
}

const wasm = wasmModule();

/** normalQuantile of each p in (0, 1) as the WebAssembly module computes it, for tests; undefined without it. */
export function wasmNormalQuantiles(p: Float64Array): Float64Array | undefined {
  if (!wasm) return undefined;
  const out = new Float64Array(p.length);
  for (let j = 0; j < p.length; j += NORMAL_CHUNK) {
    const m = Math.min(NORMAL_CHUNK, p.length - j);
    wasm.uniforms.set(p.subarray(j, j + m));
    wasm.normalsOf(new Int32Array(4), m, m);
    out.set(wasm.normals.subarray(0, m), j);
  }
  return out;
}

/** The fills, for tests; `fill` is the one streams use. */
export const fills: { readonly js: Fill; readonly wasm: Fill | undefined } = { js: fillJs, wasm: wasm?.fill };
const fill = fills.wasm ?? fills.js;

/** Uniforms on their way to normals (Stream.normals). */
let uniformScratch = new Float64Array(BLOCK);

export class Stream {
  /** The generator's state: [s0 low, s0 high, s1 low, s1 high]. */
  private readonly state = new Int32Array(4);
  /**
   * Uniforms made ahead: values[at .. end) are the stream's next ones. Read-only outside; see
   * `take`. Usually one block; larger after a `take` of more than is left.
   */
  values = new Float64Array(BLOCK);
  private head = this.values;
  private at = BLOCK;
  private end = BLOCK;

  /** A stream starting at a pure-rand xoroshiro128plus state ([s0 high, s0 low, s1 high, s1 low]). */
  constructor(state: readonly number[]) {
    this.state[0] = state[1]!;
    this.state[1] = state[0]!;
    this.state[2] = state[3]!;
    this.state[3] = state[2]!;
  }

  private refill(): void {
    fill(this.state, this.head, 0, BLOCK);
    this.at = 0;
    this.end = BLOCK;
  }

  /** Uniform on the open interval (0, 1): the 52 high bits of one step's output. */
  uniform(): number {
    if (this.at === this.end) this.refill();
    return this.values[this.at++]!;
  }

  /**
   * Draws the next n uniforms, the values n calls of uniform() give, and returns where they are:
   * `values[first .. first + n)`, valid until the stream's next draw (read `values` after the call;
   * it may be a new array). Loops drawing several uniforms per event read them from there instead
   * of calling uniform() for each: a large function does not always inline the call, and then it
   * costs a call and a boxed number per draw.
   */
  take(n: number): number {
    if (this.end - this.at < n) this.makeRoom(n);
    const first = this.at;
    this.at += n;
    return first;
  }

  /** Moves the unused uniforms to the front and makes whole blocks after them until there are n. */
  private makeRoom(n: number): void {
    const left = this.end - this.at;
    const size = left + Math.ceil((n - left) / BLOCK) * BLOCK;
    if (this.values.length < size) {
      const bigger = new Float64Array(size);
      bigger.set(this.values.subarray(this.at, this.end));
      this.values = bigger;
      this.head = bigger.subarray(0, BLOCK);
    } else this.values.copyWithin(0, this.at, this.end);
    fill(this.state, this.values, left, size);
    this.at = 0;
    this.end = size;
  }

  /** Standard normal. */
  normal(): number {
    return normalQuantile(this.uniform());
  }

  /** The next n standard normals into out[0..n): the values n calls of normal() give. */
  normals(out: Float64Array, n: number): void {
    if (wasm) {
      const { uniforms, normals } = wasm;
      for (let j = 0; j < n; ) {
        const m = Math.min(NORMAL_CHUNK, n - j);
        // the uniforms made ahead come first, then new ones straight into WebAssembly's memory
        const ahead = Math.min(this.end - this.at, m);
        uniforms.set(this.values.subarray(this.at, this.at + ahead));
        this.at += ahead;
        wasm.normalsOf(this.state, ahead, m);
        out.set(normals.subarray(0, m), j);
        j += m;
      }
      return;
    }
    if (uniformScratch.length < n) uniformScratch = new Float64Array(n);
    const u = uniformScratch;
    for (let j = 0; j < n; ) {
      if (this.at === this.end) this.refill();
      const take = Math.min(this.end - this.at, n - j);
      u.set(this.values.subarray(this.at, this.at + take), j);
      this.at += take;
      j += take;
    }
    normalQuantiles(u, out, n);
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
  return Math.abs(q) <= 0.425 ? centralQuantile(q) : tailQuantile(p, q);
}

/**
 * normalQuantile of p[0..n) into out[0..n), the same values; out is another array (p is read
 * again after out is written). The central formula is computed for every p first, in a loop
 * without branches (the processor overlaps the iterations), then the tails (|p - 1/2| > 0.425,
 * 15% of uniforms) are computed over it.
 */
export function normalQuantiles(p: Float64Array, out: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) out[j] = centralQuantile(p[j]! - 0.5);
  for (let j = 0; j < n; j++) {
    const q = p[j]! - 0.5;
    if (!(Math.abs(q) <= 0.425)) out[j] = tailQuantile(p[j]!, q);
  }
}

/** AS241 for |q| <= 0.425, q = p - 1/2 (the coefficients of centralNumerator and centralDenominator, written out). */
function centralQuantile(q: number): number {
  const r = 0.180625 - q * q;
  return (
    (q *
      (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r +
        3.387132872796366608)) /
    (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
  );
}

/** AS241 for |q| > 0.425 (the coefficients of tailNear* and tailFar*, written out). */
function tailQuantile(p: number, q: number): number {
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
