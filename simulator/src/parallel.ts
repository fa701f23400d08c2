// TRIALS ON WORKER THREADS (Node)
//
// Deals trials to workers from a shared counter; each worker loads the compiled contract
// module and runs the trials it takes; results come back keyed by trial number and are sorted, so the
// summary is the same whatever the number of workers. One worker runs in this thread, and builds
// the preset's calibration for the others while they load.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { emitModule, type ProgramIr } from "../../compiler/src";
import type { Program } from "../../runtime/src/program";
import { calibration, type Calibration } from "./calibrate";
import { needsOf, runTrial, type Scenario, type TrialResult } from "./montecarlo";
import { Workspace } from "./workspace";

export const runtimeUrl = pathToFileURL(resolve(import.meta.dirname, "../../runtime/src/index.ts")).href;

/** Writes the contract's emitted JavaScript module to a temporary file and returns its URL. */
export function writeModule(ir: ProgramIr): string {
  const dir = mkdtempSync(join(tmpdir(), "pcmh-sim-"));
  const path = join(dir, "contract.mjs");
  writeFileSync(path, emitModule(ir, { typescript: false, runtime: runtimeUrl }).replace("export default { meta, settle };", "export default { meta, settle };\nexport { program };"));
  return pathToFileURL(path).href;
}

export async function loadProgram(moduleUrl: string): Promise<Program> {
  return ((await import(moduleUrl)) as { program: Program }).program;
}

export interface RunOptions {
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The threads `runTrials` uses for `trials` trials when asked for `workers`: a worker costs a second or so to start, so at least 4 trials each. */
export function threadsFor(trials: number, workers: number): number {
  return Math.max(1, Math.min(workers, Math.floor(trials / 4)));
}

export async function runTrials(ir: ProgramIr, scenario: Scenario, trials: number, options: RunOptions = {}): Promise<TrialResult[]> {
  const moduleUrl = writeModule(ir);
  const workers = threadsFor(trials, options.workers ?? 1);
  // Trials are dealt from a shared counter: whoever is free takes the next one, so a worker that
  // starts late takes fewer. Results are merged by trial number, so the split never shows.
  const next = new Int32Array(new SharedArrayBuffer(4));
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, trials);
  };
  const inThread = async (): Promise<TrialResult[]> => {
    const program = await loadProgram(moduleUrl);
    const needs = needsOf(ir);
    const workspace = new Workspace();
    const out: TrialResult[] = [];
    for (let t = Atomics.add(next, 0, 1); t < trials; t = Atomics.add(next, 0, 1)) {
      out.push(runTrial(program, needs, scenario, t, workspace));
      progress(1);
      await new Promise((r) => setImmediate(r));
    }
    return out;
  };
  const started: Worker[] = [];
  const inWorker = (): Promise<TrialResult[]> =>
    new Promise((resolveBlock, reject) => {
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { moduleUrl, ir, scenario, trials, next } });
      started.push(worker);
      const out: TrialResult[] = [];
      worker.on("message", (m: { result?: TrialResult; error?: string }) => {
        if (m.error) reject(new Error(m.error));
        else if (m.result) {
          out.push(m.result);
          progress(1);
        }
      });
      worker.on("error", reject);
      worker.on("exit", (code) => (code === 0 ? resolveBlock(out) : reject(new Error(`simulation worker stopped with code ${code}`))));
    });
  const inWorkers = Array.from({ length: workers - 1 }, inWorker);
  // The calibration is built here while the workers load (they wait for it before their first trial).
  try {
    const built: Calibration = calibration(scenario.preset);
    for (const worker of started) worker.postMessage({ preset: scenario.preset, calibration: built });
  } catch (e) {
    for (const stopped of inWorkers) stopped.catch(() => undefined);
    await Promise.all(started.map((worker) => worker.terminate()));
    throw e;
  }
  const results = await Promise.all([inThread(), ...inWorkers]);
  return results.flat().sort((a, b) => a.trial - b.trial);
}
