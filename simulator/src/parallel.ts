// TRIALS ON WORKER THREADS (Node)
//
// Splits trials into contiguous blocks, one per worker; each worker loads the compiled contract
// module and runs its block; results come back keyed by trial number and are sorted, so the
// summary is the same whatever the number of workers. One worker runs in this thread.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { emitModule, type ProgramIr } from "../../compiler/src";
import type { Program } from "../../runtime/src/program";
import { needsOf, runTrial, type Scenario, type TrialResult } from "./montecarlo";

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

export async function runTrials(ir: ProgramIr, scenario: Scenario, trials: number, options: RunOptions = {}): Promise<TrialResult[]> {
  const moduleUrl = writeModule(ir);
  // A worker costs a second or two to start; give each at least a few trials.
  const workers = Math.max(1, Math.min(options.workers ?? 1, Math.floor(trials / 4)));
  const blocks = Array.from({ length: workers }, (_, w) => {
    const size = Math.ceil(trials / workers);
    return { from: w * size, to: Math.min(trials, (w + 1) * size) };
  }).filter((b) => b.from < b.to);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, trials);
  };
  const runBlock = async (block: { from: number; to: number }, inThread: boolean): Promise<TrialResult[]> => {
    if (inThread) {
      const program = await loadProgram(moduleUrl);
      const needs = needsOf(ir);
      const out: TrialResult[] = [];
      for (let t = block.from; t < block.to; t++) {
        out.push(runTrial(program, needs, scenario, t));
        progress(1);
        await new Promise((r) => setImmediate(r));
      }
      return out;
    }
    return new Promise((resolveBlock, reject) => {
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { moduleUrl, ir, scenario, ...block } });
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
  };
  const results = await Promise.all(blocks.map((b, i) => runBlock(b, i === 0)));
  return results.flat().sort((a, b) => a.trial - b.trial);
}
