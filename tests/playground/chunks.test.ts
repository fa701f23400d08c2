// The page's split of trials into chunks for its workers (playground/src/lib/chunks.ts).
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chunksOf } from "../../playground/src/lib/chunks";

describe("chunks of trials for the simulation workers", () => {
  test.prop([fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 8 })])("cover every trial once, in order, in chunks of 1 to 10", (trials, workers) => {
    const chunks = chunksOf(trials, workers);
    expect(chunks.flat()).toEqual(Array.from({ length: trials }, (_, i) => i));
    for (const c of chunks) expect(c.length).toBeGreaterThanOrEqual(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(10);
    // never larger later: the last chunks are the smallest, so workers finish close together
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.length).toBeLessThanOrEqual(chunks[i - 1]!.length);
  });

  it("end in single trials on a long run", () => {
    expect(chunksOf(200, 2).map((c) => c.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1]);
  });
});
