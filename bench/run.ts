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
const [statement, compiledSeconds] = time(() => module.settle(input));
const [expected, handSeconds] = time(() => handWritten(input));
const same = JSON.stringify(statement.totals.byRecipient) === JSON.stringify(expected);
if (!same) throw new Error("the compiled module and the hand-written loop disagree");
record("settle.compiled.memberMonthsPerSecond", memberMonths / compiledSeconds, "member-months/s", `${compiledSeconds.toFixed(2)} s for the whole statement (${statement.lines.length} lines)`);
record("settle.handWritten.memberMonthsPerSecond", memberMonths / handSeconds, "member-months/s", `${handSeconds.toFixed(2)} s`);
record("settle.compiled.ratioToHandWritten", compiledSeconds / handSeconds, "×", "time of the compiled module ÷ time of the hand-written loop (target ≤ 3)");
record("settle.peakResidentMemory", process.resourceUsage().maxRSS / 1024, "MiB", "peak resident set size of the whole run");
if (memberMonths <= 2_400_000) {
  const program = interpret(compiled.ir);
  const [, interpretSeconds] = time(() => settle(program, input));
  record("settle.interpreter.memberMonthsPerSecond", memberMonths / interpretSeconds, "member-months/s");
}

// LANGUAGE: parse and check

const big = contractText + Array.from({ length: 2000 }, (_, i) => `\nparameter p${i} = ${i % 100}% range 0% to 100% cite "§${i}"\nvalue v${i} = p${i} times 2 capped at 150%\n`).join("");
const [parsed, parseSeconds] = time(() => parse(big));
record("parse.tokensPerSecond", parsed.tokens.length / parseSeconds, "tokens/s", `${(big.length / 1024).toFixed(0)} KiB contract`);
const [, checkSeconds] = time(() => check(big));
record("check.largeContract.seconds", checkSeconds, "s", `${parsed.tokens.length.toLocaleString("en-US")} tokens`);
const [, keystrokeSeconds] = time(() => check(contractText + " "));
record("check.sampleContract.milliseconds", keystrokeSeconds * 1000, "ms", "one re-check of the sample contract, as on a keystroke");

// POPULATION AND SIMULATION

const { generatePopulation } = await import("../simulator/src/population");
const populationMembers = Math.min(memberCount, 1_000_000);
const [, populationSeconds] = time(() => generatePopulation({ preset: "commercial", members: populationMembers, seed: 1 }));
record("population.generate.membersPerSecond", populationMembers / populationSeconds, "members/s", `${populationMembers.toLocaleString("en-US")} commercial members in ${populationSeconds.toFixed(1)} s`);

const { runTrials } = await import("../simulator/src/parallel");
const simTrials = Number(process.env.BENCH_TRIALS ?? 20);
const [simResults, simSeconds] = await (async () => {
  const t0 = performance.now();
  const r = await runTrials(compiled.ir, { preset: "commercial", members: 10_000, seed: 7 }, simTrials, { workers: 2 });
  return [r, (performance.now() - t0) / 1000] as const;
})();
if (simResults.some((r) => r.error)) throw new Error(`simulation trials failed: ${simResults.find((r) => r.error)!.error}`);
record("simulate.memberYearsPerSecond", (10_000 * simTrials) / simSeconds, "member-years/s", `10,000 members x ${simTrials} trials on 2 workers in ${simSeconds.toFixed(1)} s (population draw + exact settlement per trial)`);
record("simulate.projected10000x1000.seconds", (simSeconds / simTrials) * 1000, "s", "10,000 members x 1,000 trials at this rate (target < 10 s)");

// PLAYGROUND BUNDLE

const { existsSync, readdirSync, statSync } = await import("node:fs");
const { gzipSync } = await import("node:zlib");
if (existsSync("playground/dist/assets")) {
  const files = readdirSync("playground/dist/assets").map((f) => `playground/dist/assets/${f}`);
  const total = files.reduce((n, f) => n + statSync(f).size, 0);
  const js = files.filter((f) => f.endsWith(".js"));
  const main = js.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => b.size - a.size)[0];
  record("playground.bundle.totalMiB", total / 2 ** 20, "MiB", `${files.length} files in playground/dist/assets (run npm run build first)`);
  if (main) record("playground.bundle.largestChunkGzipMiB", gzipSync(readFileSync(main.f)).length / 2 ** 20, "MiB", main.f.split("/").pop());
}

// REPORT

const width = Math.max(...Object.keys(results).map((k) => k.length));
for (const [name, f] of Object.entries(results)) console.log(`${name.padEnd(width)}  ${f.value.toLocaleString("en-US").padStart(12)} ${f.unit}${f.note ? `   ${f.note}` : ""}`);
console.log(`compiled module and hand-written loop agree on every recipient's total: ${same ? "yes" : "NO"}`);
writeFileSync("bench/results.json", JSON.stringify(results, null, 2) + "\n");
console.log("wrote bench/results.json");
