// DIFFERENTIAL: the reference interpreter and the emitted module settle every contract to the
// same statement, line for line and cent for cent, or fail with the same error, on generated data.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { contractFiles } from "../support/files";
import { dataFor, needsOf } from "../support/data";
import { compiled, settleBoth } from "../support/settle";

describe("interpreter and compiled module agree", () => {
  for (const file of contractFiles()) {
    test(file, async () => {
      const text = readFileSync(file, "utf8");
      const needs = needsOf(compiled(text));
      let settledRuns = 0;
      await fc.assert(
        fc.asyncProperty(dataFor(needs), async (input) => {
          const { interpreter, module } = await settleBoth(text, input);
          expect(module).toEqual(interpreter);
          if (typeof interpreter !== "string") {
            settledRuns++;
            const sum = interpreter.lines.reduce((s, l) => s + BigInt(l.amount.replace(".", "")), 0n);
            expect(sum).toBe(BigInt(interpreter.totals.total.replace(".", "")));
          }
        }),
        { numRuns: 25 },
      );
      expect(settledRuns).toBeGreaterThan(0);
    });
  }
});
