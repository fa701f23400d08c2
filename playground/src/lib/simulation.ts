// RUNNING A SIMULATION FROM THE PAGE
//
// Trials go out in small chunks to whichever worker of a small pool is free (one slowed by the page
// or another tab takes fewer), and are merged here by trial number, so the figures are the same
// whatever the pool size and however the chunks fell. Summaries are the simulator's own exact
// ones. Cancelling terminates every busy worker at once; idle workers are kept, with their compiled
// contract, calibration tables and optimised code, and are prepared while the page is idle
// (`prepareSimulation`), so a run does not start cold.

import type { Change } from "../../../compiler/src/diff";
import { distribution, summarise, type Distribution, type Summary, type TrialResult } from "../../../simulator/src/montecarlo";
import SimulateWorker from "../workers/simulate.worker?worker";
import type { BlockProgress, BlockResult, SimRequest, SimulateApi } from "../workers/simulate.worker";
import { chunksOf } from "./chunks";
import { Cancelled, WorkerClient } from "./rpc";
import type { SimSettings } from "./settings";

export type { SimRequest };

export interface Run {
  readonly title: string;
  readonly summary: Summary;
  /** Contract payments of each trial in dollars (for the histogram only; figures are exact). */
  readonly totals: readonly number[];
  readonly recipients: Readonly<Record<string, Distribution>>;
}

export interface TornadoBar {
  readonly parameter: string;
  readonly low: string;
  readonly high: string;
  /** Mean contract payments on the sensitivity trials with the parameters as set. */
  readonly base: string;
  readonly meanAtLow: string;
  readonly meanAtHigh: string;
}

export interface Comparison {
  readonly base: Run;
  /** Distribution over trials of (edited − as loaded) contract payments, on the same draws. */
  readonly paymentChange: Distribution;
  readonly sameDraws: boolean;
  readonly changes: readonly Change[];
}

export interface SimResult {
  readonly main: Run;
  readonly comparison?: Comparison;
  readonly tornado: readonly TornadoBar[];
  readonly sensitivityTrials: number;
  readonly workers: number;
  readonly ms: number;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
}

// One worker per core: while trials run the page only draws progress, so it stays responsive.
const poolSize = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 2));
const pool: WorkerClient<SimulateApi>[] = Array.from({ length: poolSize }, (_, i) => new WorkerClient<SimulateApi>(() => new SimulateWorker({ name: `pcmh-simulation-${i + 1}` })));

/** A separate worker for one-off data generation, so it never waits behind a long simulation. */
const generator = new WorkerClient<SimulateApi>(() => new SimulateWorker({ name: "pcmh-data-generator" }));

/** Starts the pool's workers, so their code loads while the page's own does. */
export function startSimulationWorkers(): void {
  for (const w of pool) w.start();
}

export function cancelSimulation(): void {
  for (const w of pool) if (w.busy) w.cancel();
}

/**
 * Starts the pool's idle workers and has each compile the contract and run a few trials of the
 * population settings (see the worker's `prepare`), discarding the results, so the first simulation
 * finds them ready. A run that starts meanwhile stops the warm-up after its current trial.
 */
export function prepareSimulation(text: string, settings: SimSettings): void {
  for (const w of pool) if (w.idle) w.call("prepare", [text, scenarioOf(settings)], undefined, { background: true }).catch(() => {});
}

export function scenarioOf(settings: SimSettings): SimRequest["scenario"] {
  return { preset: settings.preset as SimRequest["scenario"]["preset"], members: settings.members, seed: settings.seed, effects: { ...settings.effects } };
}

export async function simulate(request: SimRequest, onProgress: (p: Progress) => void): Promise<SimResult> {
  const started = performance.now();
  cancelSimulation();
  const sensitivityTrials = Math.min(request.trials, request.sensitivityTrials);
  const workers = Math.max(1, Math.min(pool.length, Math.ceil(request.trials / 2)));
  const chunks = chunksOf(request.trials, workers);
  const done = new Array<number>(chunks.length).fill(0);
  // Until a chunk says how much it will do, count its trials' settlements without the sensitivity
  // runs (those are on the first trials, so the chunks that have them start first).
  const perTrial = request.baseText !== undefined ? 2 : 1;
  const totals = chunks.map((trials) => trials.length * perTrial);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // The bar is redrawn at most every 200 ms: each redraw takes the page's thread from the cores
  // the workers run on.
  let reported = -Infinity;
  const report = () => {
    const now = performance.now();
    if (now - reported < 200) return;
    reported = now;
    onProgress({ done: sum(done), total: sum(totals) });
  };
  report();
  const blocks: BlockResult[] = [];
  let next = 0;
  const work = async (w: number) => {
    for (let c = next++; c < chunks.length; c = next++)
      blocks[c] = await pool[w]!.call("runTrials", [{ ...request, sensitivityTrials }, chunks[c]!, c === 0], (p) => {
        done[c] = (p as BlockProgress).done;
        totals[c] = (p as BlockProgress).total;
        report();
      });
  };
  try {
    await Promise.all(Array.from({ length: workers }, (_, w) => work(w)));
  } catch (e) {
    if (!(e instanceof Cancelled)) cancelSimulation();
    throw e;
  }
  const byTrial = (a: TrialResult, b: TrialResult) => a.trial - b.trial;
  const main = blocks.flatMap((b) => b.main).sort(byTrial);
  const before = blocks.flatMap((b) => b.base).sort(byTrial);
  const bounds = blocks[0]!.bounds;
  const atBounds = blocks.flatMap((b) => b.atBounds).sort((a, b) => a.trial - b.trial);
  const onSensitivityTrials = main.filter((r) => r.trial < sensitivityTrials).map((r) => (r.error ? 0n : r.total));
  const baseMean = distribution(onSensitivityTrials).mean;
  const tornado: TornadoBar[] = atBounds.length
    ? bounds
        .map((b, i) => ({
          ...b,
          base: baseMean,
          meanAtLow: distribution(atBounds.map((a) => a.low[i]!)).mean,
          meanAtHigh: distribution(atBounds.map((a) => a.high[i]!)).mean,
        }))
        .sort((a, b) => Math.abs(Number(b.meanAtHigh) - Number(b.meanAtLow)) - Math.abs(Number(a.meanAtHigh) - Number(a.meanAtLow)))
    : [];
  let comparison: Comparison | undefined;
  if (request.baseText !== undefined) {
    const pairs = main.map((r, i) => [before[i]!, r] as const).filter(([a, b]) => !a.error && !b.error);
    comparison = {
      base: runOf(blocks[0]!.baseTitle ?? "As loaded", before),
      paymentChange: distribution(pairs.map(([a, b]) => b.total - a.total)),
      sameDraws: blocks[0]!.sameDraws,
      changes: blocks[0]!.changes ?? [],
    };
  }
  return { main: runOf(blocks[0]!.title, main), ...(comparison ? { comparison } : {}), tornado, sensitivityTrials: atBounds.length, workers, ms: performance.now() - started };
}

function runOf(title: string, results: readonly TrialResult[]): Run {
  const ok = results.filter((r) => !r.error);
  const recipients = [...new Set(ok.flatMap((r) => Object.keys(r.byRecipient)))].sort();
  return {
    title,
    summary: summarise(results),
    totals: ok.map((r) => Number(r.total) / 100),
    recipients: Object.fromEntries(recipients.map((x) => [x, distribution(ok.map((r) => r.byRecipient[x] ?? 0n))])),
  };
}

export async function generateData(text: string, settings: SimSettings) {
  const result = await generator.call("generate", [text, scenarioOf(settings)]);
  return {
    label: `${settings.members.toLocaleString("en-US")} ${settings.preset} members, seed ${settings.seed} (${result.memberMonths.toLocaleString("en-US")} member-months, ${result.claims.toLocaleString("en-US")} claims)`,
    data: result.data,
  };
}
