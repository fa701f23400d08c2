// MONTE CARLO: reproducible whatever the worker count, more trials narrow the estimate, levers
// move results the way they should, and diff names what changed with its effect on the same draws.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { main } from "../../cli/src/main";
import { compile } from "../../compiler/src";
import { interpret } from "../../compiler/src";
import { needsOf, runTrial, summarise, type Scenario } from "../../simulator/src/montecarlo";
import { runTrials, threadsFor } from "../../simulator/src/parallel";

const regional = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
const compiled = compile(regional);
if (!compiled.ok) throw new Error("regional contract does not compile");
const ir = compiled.ir;
const scenario: Scenario = { preset: "commercial", members: 300, seed: 11 };

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("simulation", () => {
  test("the same seed gives the same summary with one worker or two", async () => {
    // enough trials that two threads run them (the second gets the calibration from the first)
    expect(threadsFor(12, 2)).toBe(2);
    const one = summarise(await runTrials(ir, scenario, 12, { workers: 1 }));
    const two = summarise(await runTrials(ir, scenario, 12, { workers: 2 }));
    expect(two).toEqual(one);
    expect(one.failedTrials).toBe(0);
  });

  test("the same command twice writes identical JSON", async () => {
    const { mkdtempSync, readFileSync: read } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join((await import("node:os")).tmpdir(), "pcmh-sim-"));
    const args = (out: string) => ["simulate", "contracts/examples/regional-pcmh.pcmh", "--members", "300", "--trials", "4", "--seed", "7", "--sensitivity-trials", "2", "--json", out];
    expect((await run(args(join(dir, "a.json")))).code).toBe(0);
    expect((await run(args(join(dir, "b.json")))).code).toBe(0);
    expect(read(join(dir, "b.json"), "utf8")).toBe(read(join(dir, "a.json"), "utf8"));
    const json = JSON.parse(read(join(dir, "a.json"), "utf8"));
    expect(Object.keys(json.summary)).toEqual(expect.arrayContaining(["contractPayments", "practiceRevenue", "sharedSavings", "payerNetCost", "probabilityOfLoss", "probabilityOfClearingMinimum", "byClause", "byRecipient"]));
    expect(json.sensitivity.parameters.map((p: { parameter: string }) => p.parameter).sort()).toEqual(["share_rate", "trend", "uplift"]);
  });

  test("a contract that pays members of some lines of business gets members in them", () => {
    const pbip = compile(readFileSync("contracts/commercial/pcmh-pbip.pcmh", "utf8"));
    if (!pbip.ok) throw new Error("pcmh-pbip does not compile");
    const needs = needsOf(pbip.ir);
    expect(needs.lobs).toEqual(["fully insured", "self-insured participating"]);
    const result = runTrial(interpret(pbip.ir), needs, { preset: "commercial", members: 2_000, seed: 3 }, 0);
    expect(result.error).toBeUndefined();
    expect(result.byClause["Care management fee"]! > 0n).toBe(true);
  });

  test("more trials narrow the standard error of the mean", async () => {
    const few = summarise(await runTrials(ir, scenario, 4, { workers: 2 }));
    const many = summarise(await runTrials(ir, scenario, 16, { workers: 2 }));
    expect(Number(many.standardErrorOfMean)).toBeLessThan(Number(few.standardErrorOfMean));
  });

  test("lower costs never lower one-sided shared savings, on the same draws", () => {
    const program = interpret(ir);
    const needs = needsOf(ir);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 10 }), (trial, cut) => {
        const base = runTrial(program, needs, { ...scenario, effects: { costTrend: 0.05 } }, trial);
        const cheaper = runTrial(program, needs, { ...scenario, effects: { costTrend: 0.05 - cut / 100 } }, trial);
        expect(cheaper.error).toBeUndefined();
        expect(cheaper.sharedSavings >= base.sharedSavings).toBe(true);
      }),
      { numRuns: 5 },
    );
  });

  test("better quality never lowers a quality-scaled payout, on the same draws", () => {
    const program = interpret(ir);
    const needs = needsOf(ir);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 10 }), (trial, gain) => {
        const base = runTrial(program, needs, scenario, trial);
        const better = runTrial(program, needs, { ...scenario, effects: { qualityRates: gain / 100 } }, trial);
        expect((better.byClause["Outcome incentive"] ?? 0n) >= (base.byClause["Outcome incentive"] ?? 0n)).toBe(true);
      }),
      { numRuns: 5 },
    );
  });

  test("bad options are clear errors", async () => {
    expect(await run(["simulate", "contracts/examples/regional-pcmh.pcmh", "--preset", "military"])).toMatchObject({ code: 2, err: "--preset military: expected one of commercial, medicare, medicaid.\n" });
    expect(await run(["simulate", "contracts/examples/regional-pcmh.pcmh", "--members", "-5"])).toMatchObject({ code: 2, err: "--members -5: expected a whole number from 1 to 5,000,000.\n" });
    expect(await run(["simulate", "contracts/examples/regional-pcmh.pcmh", "--set", "uplfit=5%"])).toMatchObject({ code: 2, err: "--set uplfit: the contract has no parameter called uplfit (it has uplift, share_rate, trend).\n" });
    expect((await run(["simulate", "contracts/examples/regional-pcmh.pcmh", "--effect", "magic=5%"])).err).toContain("--effect magic=5%: expected name=value with a name among");
  });
});

describe("pcmh diff", () => {
  test("names the changed term and the change in expected payout on the same draws", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join((await import("node:os")).tmpdir(), "pcmh-diff-"));
    const changed = join(dir, "changed.pcmh");
    writeFileSync(changed, regional.replace("parameter uplift = 12%", "parameter uplift = 15%"));
    const r = await run(["diff", "contracts/examples/regional-pcmh.pcmh", changed, "--members", "300", "--trials", "3", "--seed", "3"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("parameter uplift: changed\n  parameter uplift = 12% range 0% to 20% cite \"§3.1\"\n    → parameter uplift = 15% range 0% to 20% cite \"§3.1\"");
    expect(r.out).toMatch(/mean\s+\$[\d,.]+\s+\$[\d,.]+\s+\$[\d,.]+/);
    expect(r.out).toContain("clauses that moved the mean:\n  E&M uplift: +$");
  });
});
