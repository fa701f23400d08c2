// One simulation worker: waits for the preset's calibration from the thread that started it, then
// takes trials of a compiled contract from the shared counter until none are left, and posts each
// result.
import { parentPort, workerData } from "node:worker_threads";
import type { ProgramIr } from "../../compiler/src";
import { needsOf, runTrial, type Scenario } from "./montecarlo";
import type { Program } from "../../runtime/src/program";
import { Workspace } from "./workspace";
import { adoptCalibration, type Calibration } from "./calibrate";
import type { Preset } from "./presets";

const { moduleUrl, ir, scenario, trials, next } = workerData as { moduleUrl: string; ir: ProgramIr; scenario: Scenario; trials: number; next: Int32Array };
// The starting thread sends the preset's calibration, so this worker does not build it again.
const calibrated = new Promise<{ preset: Preset; calibration: Calibration }>((resolve) => parentPort!.once("message", resolve));
try {
  // Imported here rather than through parallel.ts, which would load the whole compiler.
  const program = ((await import(moduleUrl)) as { program: Program }).program;
  const { preset, calibration } = await calibrated;
  adoptCalibration(preset, calibration);
  const needs = needsOf(ir);
  const workspace = new Workspace();
  for (let t = Atomics.add(next, 0, 1); t < trials; t = Atomics.add(next, 0, 1)) parentPort!.postMessage({ result: runTrial(program, needs, scenario, t, workspace) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
