// One simulation worker: runs a block of trials of a compiled contract and posts each result.
import { parentPort, workerData } from "node:worker_threads";
import type { ProgramIr } from "../../compiler/src";
import { needsOf, runTrial, type Scenario } from "./montecarlo";
import { loadProgram } from "./parallel";

const { moduleUrl, ir, scenario, from, to } = workerData as { moduleUrl: string; ir: ProgramIr; scenario: Scenario; from: number; to: number };
try {
  const program = await loadProgram(moduleUrl);
  const needs = needsOf(ir);
  for (let t = from; t < to; t++) parentPort!.postMessage({ result: runTrial(program, needs, scenario, t) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
