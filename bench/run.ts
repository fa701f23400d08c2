// `npm run bench`: performance figures, each beside a baseline measured in the same run, printed
// as a table and written to bench/results.json (figure -> value and unit). Scale with
// BENCH_MEMBERS (default 1,000,000 members x 12 months).

import { readFileSync, writeFileSync } from "node:fs";
import { compile, emitModule, interpret } from "../compiler/src";
import { parse } from "../grammar/src";
import { check } from "../compiler/src";
import { loadCompiled, runtimeUrl } from "../cli/src/settle";
import { settle } from "../runtime/src/engine";
import { columnsOf } from "../runtime/src/columns";
import { benchColumns, benchRows } from "./population";
import { handWritten } from "./settlement-baseline";

type Figure = { value: number; unit: string; note?: string };
const results: Record<string, Figure> = {};
const record = (name: string, value: number, unit: string, note?: string) => (results[name] = { value: Number(value.toPrecision(4)), unit, ...(note ? { note } : {}) });
const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  return [out, (performance.now() - t0) / 1000];
};

const memberCount = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const contractText = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
const compiled = compile(contractText);
if (!compiled.ok) throw new Error("the bench contract does not compile");

console.log(`generating ${memberCount.toLocaleString("en-US")} members x 12 months…`);
const [input, generateSeconds] = time(() => benchColumns(memberCount));
const memberMonths = input.members.length;
record("data.generate.seconds", generateSeconds, "s", `${memberMonths.toLocaleString("en-US")} member-months, ${input.claims.length.toLocaleString("en-US")} claims, in memory as columns`);
{
  const rowMembers = Math.min(memberCount, 200_000);
  const rows = benchRows(rowMembers);
  const [, convertSeconds] = time(() => columnsOf(rows));
  record("data.rowsToColumns.memberMonthsPerSecond", rows.members.length / convertSeconds, "member-months/s", `checking and converting ${rows.members.length.toLocaleString("en-US")} member-months and ${rows.claims.length.toLocaleString("en-US")} claims given as rows of decimal strings`);
}

// SETTLEMENT: the compiled module vs the hand-written loop, same data, same statement

const module = await loadCompiled(emitModule(compiled.ir, { typescript: false, runtime: runtimeUrl }));
const warmup = benchColumns(Math.min(20_000, memberCount));
for (let i = 0; i < 3; i++) {
  module.settle(warmup);
  handWritten(warmup);
}
// Three alternating runs of each; the median of each side, so one slow moment (a GC, another
// process) does not decide the ratio.
const compiledRuns: number[] = [];
const handRuns: number[] = [];
let statement!: ReturnType<typeof module.settle>;
let expected!: ReturnType<typeof handWritten>;
for (let i = 0; i < 3; i++) {
  const [s, a] = time(() => module.settle(input));
  const [h, b] = time(() => handWritten(input));
  statement = s;
  expected = h;
  compiledRuns.push(a);
  handRuns.push(b);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const compiledSeconds = median(compiledRuns);
const handSeconds = median(handRuns);
const same = JSON.stringify(statement.totals.byRecipient) === JSON.stringify(expected);
if (!same) throw new Error("the compiled module and the hand-written loop disagree");
record("settle.compiled.memberMonthsPerSecond", memberMonths / compiledSeconds, "member-months/s", `${compiledSeconds.toFixed(2)} s for the whole statement (${statement.lines.length} lines), median of 3`);
record("settle.handWritten.memberMonthsPerSecond", memberMonths / handSeconds, "member-months/s", `${handSeconds.toFixed(2)} s, median of 3`);
record("settle.compiled.ratioToHandWritten", compiledSeconds / handSeconds, "×", "median time of the compiled module ÷ median time of the hand-written loop (target ≤ 3)");
record("settle.peakResidentMemory", process.resourceUsage().maxRSS / 1024, "MiB", "peak resident set size of the whole run");
if (memberMonths <= 2_400_000) {
  const program = interpret(compiled.ir);
  const [, interpretSeconds] = time(() => settle(program, input));
  record("settle.interpreter.memberMonthsPerSecond", memberMonths / interpretSeconds, "member-months/s");
}

// LANGUAGE: parse and check

const big = contractText + Array.from({ length: 2000 }, (_, i) => `\nparameter p${i} = ${i % 100}% range 0% to 100% cite "§${i}"\nvalue v${i} = p${i} times 2 capped at 150%\n`).join("");
for (let i = 0; i < 3; i++) parse(big);
const parseRuns = Array.from({ length: 5 }, () => time(() => parse(big)));
const [parsed] = parseRuns[0]!;
const parseSeconds = parseRuns.map(([, s]) => s).sort((a, b) => a - b)[2]!;
record("parse.tokensPerSecond", parsed.tokens.length / parseSeconds, "tokens/s", `${(big.length / 1024).toFixed(0)} KiB contract, median of 5 after 3 warm-up parses`);
const [, checkSeconds] = time(() => check(big));
record("check.largeContract.seconds", checkSeconds, "s", `${parsed.tokens.length.toLocaleString("en-US")} tokens`);
const [, keystrokeSeconds] = time(() => check(contractText + " "));
record("check.sampleContract.milliseconds", keystrokeSeconds * 1000, "ms", "one re-check of the sample contract, as on a keystroke");

// MACHINE: the same fixed arithmetic every run, so figures from runs at different times can be
// compared (the 2-core machine this runs on is shared, and its speed varies by a third or more)

{
  const arithmetic = () => {
    let sum = 0;
    for (let i = 1; i <= 50_000_000; i++) sum += Math.sqrt(i) / i;
    return sum;
  };
  const lines = new Float64Array(1 << 23); // 64 MiB, read and written a cache line (8 doubles) at a time
  const memory = () => {
    let sum = 0;
    for (let pass = 0; pass < 64; pass++)
      for (let i = 0; i < lines.length; i += 8) {
        lines[i]! += pass;
        sum += lines[i]!;
      }
    return sum;
  };
  for (const [name, loop, note] of [
    ["machine.arithmetic.milliseconds", arithmetic, "50 million square roots and divisions on one thread"],
    ["machine.memory.milliseconds", memory, "64 passes over 64 MiB, a cache line at a time, on one thread"],
  ] as const) {
    loop();
    record(name, median(Array.from({ length: 3 }, () => time(loop)[1])) * 1000, "ms", `${note}, median of 3: larger when the shared machine is slower`);
  }
}

// POPULATION AND SIMULATION

const { generatePopulation } = await import("../simulator/src/population");
const populationMembers = Math.min(memberCount, 1_000_000);
const [, populationSeconds] = time(() => generatePopulation({ preset: "commercial", members: populationMembers, seed: 1 }));
record("population.generate.membersPerSecond", populationMembers / populationSeconds, "members/s", `${populationMembers.toLocaleString("en-US")} commercial members in ${populationSeconds.toFixed(1)} s`);

const { needsOf, populationFor, summariseStatement } = await import("../simulator/src/montecarlo");
const simMembers = 10_000;
const simTrials = Number(process.env.BENCH_TRIALS ?? 1000);
const scenario = { preset: "commercial" as const, members: simMembers, seed: 7 };
// Each run in a process of its own, as `pcmh simulate` runs: this one's heap holds the data above,
// which would slow its garbage collection. Three runs, the median figure.
const { execFileSync } = await import("node:child_process");
const simRuns = Array.from({ length: 3 }, () => {
  const out = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", "bench/simulate.ts"], { encoding: "utf8", env: { ...process.env, BENCH_TRIALS: String(simTrials) } })) as { seconds: number; errors: string[] };
  if (out.errors.length > 0) throw new Error(`simulation trials failed: ${out.errors[0]}`);
  return out.seconds;
});
const simSeconds = median(simRuns);
const simRunsText = simRuns.map((x) => `${x.toFixed(1)} s`).join(", ");
record("simulate.memberYearsPerSecond", (simMembers * simTrials) / simSeconds, "member-years/s", `${simMembers.toLocaleString("en-US")} members x ${simTrials} trials on 2 workers, median of 3 runs (${simRunsText}) in processes of their own, worker start-up included (population draw + exact settlement per trial)`);
record("simulate.projected10000x1000.seconds", (simSeconds / simTrials) * 1000, "s", `10,000 members x 1,000 trials at this rate, median of 3 runs (target < 10 s)`);

// The same trials on one thread, through the compiled module and through the hand-written loop
// (same draws; the hand-written loop replaces only the settlement), to compare like with like.
{
  const needs = needsOf(compiled.ir);
  const { Workspace } = await import("../simulator/src/workspace");
  // as a simulation thread draws: into arrays kept from trial to trial
  const workspace = new Workspace();
  const sample = Math.min(simTrials, 40);
  for (let t = 0; t < 5; t++) {
    const p = populationFor(needs, scenario, t, workspace);
    summariseStatement(t, module.settle(p, { explain: false }), p, needs);
    handWritten(p);
  }
  let drawSeconds = 0;
  let engineSeconds = 0;
  let handSeconds = 0;
  for (let t = 0; t < sample; t++) {
    const [p, draw] = time(() => populationFor(needs, scenario, t, workspace));
    const [s, engine] = time(() => summariseStatement(t, module.settle(p, { explain: false }), p, needs));
    const [h, hand] = time(() => handWritten(p));
    const engineTotals = Object.fromEntries(Object.entries(s.byRecipient).map(([k, v]) => [k, (Number(v) / 100).toFixed(2)]));
    if (JSON.stringify(engineTotals) !== JSON.stringify(h)) throw new Error(`trial ${t}: the compiled module and the hand-written loop disagree`);
    drawSeconds += draw;
    engineSeconds += engine;
    handSeconds += hand;
  }
  const perTrial = (x: number) => `${((x / sample) * 1000).toFixed(1)} ms a trial`;
  record("simulate.oneThread.drawMilliseconds", (drawSeconds / sample) * 1000, "ms", `population draw of ${simMembers.toLocaleString("en-US")} members as columns into a reused workspace, mean of ${sample} trials`);
  record("simulate.oneThread.settleMilliseconds", (engineSeconds / sample) * 1000, "ms", `compiled module, statement and trial summary: ${perTrial(engineSeconds)}`);
  record("simulate.oneThread.handWrittenMilliseconds", (handSeconds / sample) * 1000, "ms", `hand-written typed-array settlement of the same draws: ${perTrial(handSeconds)}`);
  record("simulate.ratioToHandWritten", (drawSeconds + engineSeconds) / (drawSeconds + handSeconds), "×", "(draw + compiled settlement) ÷ (draw + hand-written settlement), per trial (target ≤ 3)");
  record("simulate.settleRatioToHandWritten", engineSeconds / handSeconds, "×", "settlement alone: compiled module ÷ hand-written loop");
}

// PLAYGROUND BUNDLE, built here so the figures below are of the code as it is (a few seconds)

const { existsSync, readdirSync, statSync } = await import("node:fs");
const { gzipSync } = await import("node:zlib");
{
  const { spawnSync } = await import("node:child_process");
  const built = spawnSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--config", "playground/vite.config.ts", "--logLevel", "error"], { stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) console.log("the playground did not build: its figures are of the last build in playground/dist, if any");
}
if (existsSync("playground/dist/assets")) {
  const files = readdirSync("playground/dist/assets").map((f) => `playground/dist/assets/${f}`);
  const total = files.reduce((n, f) => n + statSync(f).size, 0);
  const js = files.filter((f) => f.endsWith(".js"));
  const main = js.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => b.size - a.size)[0];
  record("playground.bundle.totalMiB", total / 2 ** 20, "MiB", `${files.length} files in playground/dist/assets`);
  if (main) record("playground.bundle.largestChunkGzipMiB", gzipSync(readFileSync(main.f)).length / 2 ** 20, "MiB", main.f.split("/").pop());
}

// PLAYGROUND IN CHROMIUM

{
  const { browserFigures } = await import("./browser");
  const figures = await browserFigures();
  if (typeof figures === "string") console.log(`browser figures skipped: ${figures}`);
  else {
    record("playground.simulate10000x200.seconds", figures.simulateSeconds, "s", `10,000 members x 200 trials in ${figures.workers} web worker${figures.workers === 1 ? "" : "s"}, click to results, the first run after the page loads with the settings filled in at once (target < 3 s)`);
    record("playground.simulate10000x200.againSeconds", figures.simulateAgainSeconds, "s", "the same run again at once, the workers warm");
    record("playground.keystrokeToDiagnostics.milliseconds", figures.keystrokeMilliseconds, "ms", `${figures.contractLines}-line contract, keydown to the error marker on screen, measured in the page, median of 7 (target < 100 ms)`);
  }
}

// REPORT

const width = Math.max(...Object.keys(results).map((k) => k.length));
for (const [name, f] of Object.entries(results)) console.log(`${name.padEnd(width)}  ${f.value.toLocaleString("en-US").padStart(12)} ${f.unit}${f.note ? `   ${f.note}` : ""}`);
console.log(`compiled module and hand-written loop agree on every recipient's total: ${same ? "yes" : "NO"}`);
writeFileSync("bench/results.json", JSON.stringify(results, null, 2) + "\n");
console.log("wrote bench/results.json");
