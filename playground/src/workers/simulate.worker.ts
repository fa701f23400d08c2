// MONTE CARLO IN A WEB WORKER
//
// A worker runs the trials it is given (the page spreads trials over several workers and merges
// the results by trial number, so the figures do not depend on how many there are). Each trial
// draws its population once and settles it exactly through every version being compared: the
// edited contract, the contract as loaded (compare mode), and the edited contract with each
// parameter at the bounds of its range (the tornado). All versions therefore see the same draws.
// Progress is reported as trials finish; the page cancels by terminating the workers.

import { compile, interpret, type ProgramIr } from "../../../compiler/src";
import { diffContracts, type Change } from "../../../compiler/src/diff";
import { parse } from "../../../grammar/src";
import { settle } from "../../../runtime/src/engine";
import { SettlementError } from "../../../runtime/src/errors";
import type { ColumnarInput } from "../../../runtime/src/columns";
import type { Program } from "../../../runtime/src/program";
import { needsOf, populationFor, summariseStatement, type ContractNeeds, type Scenario, type TrialResult } from "../../../simulator/src/montecarlo";
import { columnRows } from "../../../simulator/src/population";
import { Workspace } from "../../../simulator/src/workspace";
import { display } from "../lib/params";
import { serve, type Context } from "../lib/rpc";
import { toCsvTables } from "../lib/tables";

export interface SimRequest {
  readonly text: string;
  /** Overrides for the edited contract, as a contract writes values ("15%"). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The contract as loaded, for compare mode; settled with its own defaults. */
  readonly baseText?: string;
  readonly scenario: Omit<Scenario, "parameters">;
  readonly trials: number;
  /** Trials (the first ones) on which each parameter is also settled at its bounds; 0 for none. */
  readonly sensitivityTrials: number;
}

/** A parameter varied for the tornado, with its bounds as a contract writes them. */
export interface Bound {
  readonly parameter: string;
  readonly low: string;
  readonly high: string;
}

export interface BlockResult {
  readonly title: string;
  readonly baseTitle?: string;
  readonly main: readonly TrialResult[];
  readonly base: readonly TrialResult[];
  readonly bounds: readonly Bound[];
  /** Contract payments (cents) at each bound, for this block's trials below `sensitivityTrials`, keyed by trial. */
  readonly atBounds: readonly { readonly trial: number; readonly low: readonly bigint[]; readonly high: readonly bigint[] }[];
  readonly sameDraws: boolean;
  /** What changed in the text (compare mode; only from the block that was asked for it). */
  readonly changes?: readonly Change[];
}

export interface BlockProgress {
  readonly done: number;
  /** Settlements this block will run in all. */
  readonly total: number;
}

interface Version {
  readonly ir: ProgramIr;
  readonly program: Program;
  readonly needs: ContractNeeds;
}

const numeric = new Set(["Percent", "Money", "Rate", "Count", "Number", "Score", "MemberMonths"]);

// Each trial's draws go into the same arrays as the last trial's (the contract as loaded, when its
// draws differ, into arrays of its own): a trial's population is used only within the trial.
const workspace = new Workspace();
const baseWorkspace = new Workspace();

/** The trials `prepare` runs at most, and their most members: enough for the optimiser to take up the trial code. */
const warmUpTrials = 6;
const warmUpMembers = 10000;

/** Calls of runTrials so far: a warm-up stops when this changes. */
let runsStarted = 0;

/** Resolves after the messages already waiting have been handled. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// Compiling is cheap next to a trial, but a worker keeps its last versions for the next run.
const versions = new Map<string, Version>();

function version(text: string, which: string): Version {
  const cached = versions.get(text);
  if (cached) return cached;
  const compiled = compile(text);
  if (!compiled.ok) {
    const first = compiled.diagnostics.find((d) => d.severity === "error");
    throw new Error(`${which} has errors${first ? ` (${first.code}: ${first.message})` : ""}; fix them to simulate.`);
  }
  const v = { ir: compiled.ir, program: interpret(compiled.ir), needs: needsOf(compiled.ir) };
  if (versions.size > 4) versions.clear();
  versions.set(text, v);
  return v;
}

function settleTrial(v: Version, input: ColumnarInput, parameters: Readonly<Record<string, string>>, trial: number): TrialResult {
  const withParameters = { ...input, parameters };
  try {
    return summariseStatement(trial, settle(v.program, withParameters, { explain: false }), withParameters, v.needs);
  } catch (e) {
    if (!(e instanceof SettlementError)) throw e;
    return { trial, total: 0n, practiceRevenue: 0n, sharedSavings: 0n, claimsCost: 0n, clearedMinimum: false, byClause: {}, byRecipient: {}, error: e.describe() };
  }
}

const api = {
  /** Runs the given trials; `withChanges` asks for the text diff too (one block does it). */
  runTrials(request: SimRequest, trials: readonly number[], withChanges: boolean, ctx: Context): BlockResult {
    runsStarted++;
    const edited = version(request.text, "The contract");
    const base = request.baseText !== undefined ? version(request.baseText, "The contract as loaded") : undefined;
    const scenario: Scenario = { ...request.scenario };
    const sameDraws = !base || JSON.stringify(base.needs) === JSON.stringify(edited.needs);
    const varied = request.sensitivityTrials > 0 ? edited.ir.parameters.filter((p) => p.range && numeric.has(p.unit)) : [];
    const bounds = varied.map((p) => ({ parameter: p.name, low: display(p, p.range![0]), high: display(p, p.range![1]) }));
    const main: TrialResult[] = [];
    const before: TrialResult[] = [];
    const atBounds: { trial: number; low: bigint[]; high: bigint[] }[] = [];
    const total = trials.length * (base ? 2 : 1) + trials.filter((t) => t < request.sensitivityTrials).length * bounds.length * 2;
    let done = 0;
    let reported = 0;
    ctx.progress({ done, total } satisfies BlockProgress);
    const tick = () => {
      done++;
      const now = performance.now();
      if (now - reported > 50) {
        reported = now;
        ctx.progress({ done, total } satisfies BlockProgress);
      }
    };
    for (const t of trials) {
      const population = populationFor(edited.needs, scenario, t, workspace);
      main.push(settleTrial(edited, population, request.parameters, t));
      tick();
      if (base) {
        before.push(settleTrial(base, sameDraws ? population : populationFor(base.needs, scenario, t, baseWorkspace), {}, t));
        tick();
      }
      if (t < request.sensitivityTrials && bounds.length) {
        const at = { trial: t, low: [] as bigint[], high: [] as bigint[] };
        for (const b of bounds)
          for (const side of ["low", "high"] as const) {
            const r = settleTrial(edited, population, { ...request.parameters, [b.parameter]: b[side] }, t);
            at[side].push(r.error ? 0n : r.total);
            tick();
          }
        atBounds.push(at);
      }
    }
    ctx.progress({ done, total } satisfies BlockProgress);
    return {
      title: edited.ir.meta.title,
      ...(base ? { baseTitle: base.ir.meta.title } : {}),
      main,
      base: before,
      bounds,
      atBounds,
      sameDraws,
      ...(withChanges && request.baseText !== undefined ? { changes: diffContracts(parse(request.baseText).ast, parse(request.text).ast) } : {}),
    };
  },

  /**
   * Gets the worker ready for runs of this contract and population: compiles the contract, builds
   * the preset's calibration and the practice network, then settles up to `warmUpTrials` trials (of
   * at most `warmUpMembers` members) so the code that runs trials is optimised. Between trials it
   * lets other calls in, and stops as soon as a run has started: a run never waits for more than
   * one warm-up trial.
   */
  async prepare(text: string, scenario: Omit<Scenario, "parameters">): Promise<void> {
    const runs = runsStarted;
    const edited = version(text, "The contract");
    const small: Scenario = { ...scenario, members: Math.min(scenario.members, warmUpMembers) };
    for (let t = 0; t < warmUpTrials; t++) {
      await nextTask();
      if (runsStarted !== runs) return;
      settleTrial(edited, populationFor(edited.needs, small, t, workspace), {}, t);
    }
  },

  /** One period of data for the contract from the population settings (trial 0), as CSV tables. */
  generate(text: string, scenario: Omit<Scenario, "parameters">) {
    const edited = version(text, "The contract");
    const input = populationFor(edited.needs, { ...scenario }, 0);
    return { data: toCsvTables(columnRows(input)), memberMonths: input.members.length, claims: input.claims.length };
  },
};

export type SimulateApi = typeof api;

serve(api);
