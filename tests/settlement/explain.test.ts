// settle(…, { explain: false }): the same statement but for the steps of each line's trace.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile, interpret } from "../../compiler/src";
import { settle } from "../../runtime/src/engine";
import type { Statement } from "../../runtime/src/statement";
import { needsOf, populationFor } from "../../simulator/src/montecarlo";

const contracts = readdirSync("contracts").flatMap((dir) => readdirSync(join("contracts", dir)).filter((f) => f.endsWith(".pcmh")).map((f) => join("contracts", dir, f)));

const withoutSteps = (s: Statement): Statement => ({ ...s, lines: s.lines.map((l) => ({ ...l, trace: { ...l.trace, steps: [] } })) });

describe("settling without explanations", () => {
  test("the full statement explains what the bare one leaves out", () => {
    const compiled = compile(readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8"));
    if (!compiled.ok) throw new Error("does not compile");
    const input = populationFor(needsOf(compiled.ir), { preset: "commercial", members: 2000, seed: 3 }, 1);
    const full = settle(interpret(compiled.ir), input);
    expect(full.lines.length).toBeGreaterThan(0);
    expect(full.lines.every((l) => l.trace.steps.length > 0)).toBe(true);
  });

  test.each(contracts)("%s: same lines, amounts and totals, no steps", (file) => {
    const compiled = compile(readFileSync(file, "utf8"));
    if (!compiled.ok) throw new Error(`${file} does not compile`);
    const program = interpret(compiled.ir);
    const needs = needsOf(compiled.ir);
    for (const preset of ["commercial", "medicare", "medicaid"] as const) {
      const input = populationFor(needs, { preset, members: 600, seed: 3 }, 1);
      const full = settle(program, input);
      const bare = settle(program, input, { explain: false });
      expect(bare.lines.every((l) => l.trace.steps.length === 0)).toBe(true);
      expect(bare).toEqual(withoutSteps(full));
    }
  });
});
