// One timing of the Monte Carlo figure for `npm run bench`, in a process of its own (as
// `pcmh simulate` runs): 10,000 members x BENCH_TRIALS trials (default 1,000) of the regional
// contract on 2 worker threads, start-up of the workers included. Prints JSON: { seconds, errors }.
import { readFileSync } from "node:fs";
import { compile } from "../compiler/src";
import { runTrials } from "../simulator/src/parallel";

const compiled = compile(readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8"));
if (!compiled.ok) throw new Error("the bench contract does not compile");
const trials = Number(process.env.BENCH_TRIALS ?? 1000);
const started = performance.now();
const results = await runTrials(compiled.ir, { preset: "commercial", members: 10_000, seed: 7 }, trials, { workers: 2 });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, errors: results.filter((r) => r.error).map((r) => r.error) }));
process.exit(0);
