// Random streams: the bits are pure-rand's xoroshiro128+, however a stream is read.
import fc from "fast-check";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { fills, normalQuantile, Stream, trialStreams, wasmNormalQuantiles } from "../../simulator/src/rng";

/** A 128-bit state in pure-rand's order, never all zero. */
const stateArb = fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }));

/**
 * The uniforms of pure-rand's own generator, in BigInt: each step's 64-bit output s0 + s1 (from
 * its state before the step; the low 32 bits are what its next() returns), 52 high bits of it.
 */
function pureRandUniforms(state: readonly number[], n: number): number[] {
  const g = xoroshiro128plusFromState([...state]);
  const word = (high: number, low: number) => (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return Array.from({ length: n }, () => {
    const [s0High, s0Low, s1High, s1Low] = g.getState();
    const output = BigInt.asUintN(64, word(s0High!, s0Low!) + word(s1High!, s1Low!));
    expect(g.next()).toBe(Number(BigInt.asIntN(32, output)));
    return (Number(output >> 12n) + 0.5) / 2 ** 52;
  });
}

describe("streams", () => {
  it("give pure-rand's sequence, across several blocks", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const s = new Stream(state);
        const got = Array.from({ length: 1200 }, () => s.uniform());
        expect(got).toEqual(pureRandUniforms(state, 1200));
      }),
      { numRuns: 20 },
    );
  });

  it("give the same values by take() as by uniform(), whatever the sizes taken", () => {
    fc.assert(
      fc.property(stateArb, fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 1500 })), { minLength: 1, maxLength: 40 }), fc.array(fc.boolean()), (state, sizes, singles) => {
        const one = new Stream(state);
        const bulk = new Stream(state);
        sizes.forEach((n, i) => {
          if (singles[i]) expect(bulk.uniform()).toBe(one.uniform());
          const first = bulk.take(n);
          const taken = Array.from(bulk.values.subarray(first, first + n));
          expect(taken).toEqual(Array.from({ length: n }, () => one.uniform()));
        });
        expect(bulk.uniform()).toBe(one.uniform());
      }),
      { numRuns: 60 },
    );
  });

  it("give the same normals in bulk as one at a time", () => {
    const [a, b] = [trialStreams(7, 3)[2]!, trialStreams(7, 3)[2]!];
    a.uniform();
    b.uniform();
    const out = new Float64Array(2000);
    a.normals(out, 2000);
    expect(Array.from(out)).toEqual(Array.from({ length: 2000 }, () => b.normal()));
  });

  it("give the same normals in bulk as one at a time, in any mix of sizes and after any uniforms", () => {
    // bulk normals take the uniforms made ahead first, then (in WebAssembly, where it runs) new
    // ones in chunks of 8,192, with the central formula two at a time: the bits must not change
    fc.assert(
      fc.property(stateArb, fc.array(fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 20000 })), { minLength: 1, maxLength: 4 }), (state, draws) => {
        const [bulk, one] = [new Stream(state), new Stream(state)];
        for (const [uniforms, normals] of draws) {
          for (let k = 0; k < uniforms; k++) expect(bulk.uniform()).toBe(one.uniform());
          const out = new Float64Array(normals);
          bulk.normals(out, normals);
          for (let k = 0; k < normals; k++) if (!Object.is(out[k], one.normal())) expect.fail(`normal ${k} of ${normals} differs`);
        }
        expect(bulk.uniform()).toBe(one.uniform());
      }),
      { numRuns: 40 },
    );
  });

  it("make the same bits in WebAssembly as in JavaScript", () => {
    // Node runs WebAssembly with SIMD: a module that fails to build would fall back to JavaScript
    // silently, so its absence here is a failure
    expect(fills.wasm, "the WebAssembly module builds").toBeDefined();
    fc.assert(
      fc.property(stateArb, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 9 }), (state, n, from) => {
        const words = (s: readonly number[]) => Int32Array.of(s[1]!, s[0]!, s[3]!, s[2]!);
        const [js, wasm] = [words(state), words(state)];
        const [outJs, outWasm] = [new Float64Array(from + n + 3).fill(-1), new Float64Array(from + n + 3).fill(-1)];
        fills.js(js, outJs, from, from + n);
        fills.wasm!(wasm, outWasm, from, from + n);
        expect(outWasm).toEqual(outJs);
        expect(wasm).toEqual(js);
        // only out[from .. from + n) is written
        expect([...outJs.subarray(0, from), ...outJs.subarray(from + n)].every((x) => x === -1)).toBe(true);
        if (n > 0) expect(outJs[from]).toBeGreaterThan(0);
      }),
      { numRuns: 30 },
    );
  });

  it("invert the normal CDF in WebAssembly with the same bits as in JavaScript, tails and edges included", () => {
    // the module's logarithm is fdlibm's, as V8's Math.log: every power of two from the smallest
    // uniform up (where log's f is 0), its neighbours (|f| < 2^-20), both sides of the central
    // region's edge, and random uniforms of every magnitude
    const ulp = (x: number, k: number) => {
      const b = new BigInt64Array(Float64Array.of(x).buffer);
      b[0] = b[0]! + BigInt(k);
      return new Float64Array(b.buffer)[0]!;
    };
    const edges: number[] = [2 ** -54, 1 - 2 ** -54, 1 - 2 ** -53, 0.5, 0.075, 0.925, ulp(0.075, -1), ulp(0.075, 1), ulp(0.925, -1), ulp(0.925, 1)];
    for (let e = 2; e <= 54; e++) for (const k of [-3, -1, 0, 1, 2, 1000]) edges.push(ulp(2 ** -e, k), 1 - ulp(2 ** -e, k));
    // the mantissas where log's branches turn (normalising x or x/2, and its two formulas)
    const words = new Uint32Array(2);
    const fromWords = (high: number, low: number) => ((words[1] = high), (words[0] = low), new Float64Array(words.buffer)[0]!);
    for (let e = 2; e <= 54; e++)
      for (const m of [0, 1, 2, 3, 0x61479, 0x6147a, 0x6147b, 0x6a09b, 0x6a09c, 0x6a09d, 0x6b850, 0x6b851, 0x6b852, 0xffffe, 0xfffff])
        for (const low of [0, 1, 0x80000000, 0xffffffff]) edges.push(fromWords(((1023 - e) << 20) | m, low));
    const random = fc.sample(fc.oneof(fc.double({ min: 2 ** -54, max: 1 - 2 ** -53, noNaN: true }), fc.integer({ min: 4, max: 54 }).chain((e) => fc.double({ min: 2 ** -e, max: 2 ** (1 - e), noNaN: true }))), { numRuns: 200_000, seed: 11 });
    const p = Float64Array.from([...edges, ...random].filter((x) => x > 0 && x < 1));
    const wasmOut = wasmNormalQuantiles(p)!;
    expect(wasmOut, "the WebAssembly module builds").toBeDefined();
    let differ = 0;
    for (let j = 0; j < p.length; j++) if (!Object.is(wasmOut[j], normalQuantile(p[j]!))) differ++;
    expect(differ).toBe(0);
  });

  it("invert the normal CDF symmetrically, with known quantiles", () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
  });
});
