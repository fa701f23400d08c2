// `pcmh simulate` and `pcmh diff`: Monte Carlo distributions of what a contract pays, and what
// changed between two versions with the change in expected payout on the same draws.

import { availableParallelism } from "node:os";
import { writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import type { ProgramIr } from "../../compiler/src";
import { diffContracts, type Change } from "../../compiler/src/diff";
import { parse } from "../../grammar/src";
import { distribution, summarise, type Distribution, type Scenario, type Summary, type TrialResult } from "../../simulator/src/montecarlo";
import { runTrials } from "../../simulator/src/parallel";
import { defaultEffects, presets, PopulationError, type Effects, type Preset } from "../../simulator/src/population";
import { compileContractFile, readContract } from "./files";
import type { Io } from "./main";
import { parseSets } from "./settle";

export interface SimulateOptions {
  readonly preset: string;
  readonly members: string;
  readonly trials: string;
  readonly seed: string;
  readonly set: readonly string[];
  readonly effect: readonly string[];
  readonly json?: string;
  readonly workers?: string;
  readonly sensitivityTrials?: string;
}

class UsageError extends Error {}

function positive(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} ${text}: expected a whole number from 1 to ${max.toLocaleString("en-US")}.`);
  return n;
}

function scenarioOf(options: SimulateOptions): { scenario: Scenario; trials: number } {
  if (!(presets as readonly string[]).includes(options.preset)) throw new UsageError(`--preset ${options.preset}: expected one of ${presets.join(", ")}.`);
  const seed = Number(options.seed);
  if (!/^-?\d+$/.test(options.seed.trim()) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed ${options.seed}: expected a whole number.`);
  const effects: Partial<Record<keyof Effects, number>> = {};
  for (const e of options.effect) {
    const [name, raw] = [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)];
    if (!e.includes("=") || !(name in defaultEffects)) throw new UsageError(`--effect ${e}: expected name=value with a name among ${Object.keys(defaultEffects).join(", ")}.`);
    const value = raw.trim().endsWith("%") ? Number(raw.trim().slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(value) || value < -1 || value > 5) throw new UsageError(`--effect ${e}: expected a change like -10% or 0.04.`);
    effects[name as keyof Effects] = value;
  }
  return {
    scenario: { preset: options.preset as Preset, members: positive("members", options.members, 5_000_000), seed, effects, parameters: parseSets(options.set) },
    trials: positive("trials", options.trials, 1_000_000),
  };
}

function checkParameters(ir: ProgramIr, parameters: Record<string, string> | undefined) {
  for (const name of Object.keys(parameters ?? {}))
    if (!ir.parameters.some((p) => p.name === name)) throw new UsageError(`--set ${name}: the contract has no parameter called ${name} (it has ${ir.parameters.map((p) => p.name).join(", ") || "none"}).`);
}

async function withProgress(label: string, total: number, io: Io, run: (tick: (done: number) => void) => Promise<TrialResult[]>): Promise<TrialResult[]> {
  const show = total >= 20 && process.stderr.isTTY && io.err === processErr;
  const bar = show ? new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total} trials, {eta_formatted} left`, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(total, 0);
  try {
    return await run((done) => bar?.update(done));
  } finally {
    bar?.stop();
  }
}

const processErr = (t: string) => process.stderr.write(t);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

const money = (s: string) => {
  const [int, frac] = s.replace("-", "").split(".") as [string, string];
  return `${s.startsWith("-") ? "-" : ""}$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
};
const row = (name: string, d: Distribution) => [name, money(d.mean), money(d.sd), money(d.p5), money(d.p50), money(d.p95)];

export interface Tornado {
  readonly parameter: string;
  readonly low: string;
  readonly high: string;
  readonly meanAtLow: string;
  readonly meanAtHigh: string;
  readonly swing: string;
}

export function report(title: string, scenario: Scenario, summary: Summary, tornado: readonly Tornado[]): string {
  const out = [`${title}: ${summary.trials} trials of ${scenario.members.toLocaleString("en-US")} ${scenario.preset} members, seed ${scenario.seed}`, ""];
  out.push(
    table([
      ["", "mean", "sd", "p5", "p50", "p95"],
      row("contract payments", summary.contractPayments),
      row("practice revenue", summary.practiceRevenue),
      row("shared savings", summary.sharedSavings),
      row("payer net cost (claims + payments)", summary.payerNetCost),
      ...Object.entries(summary.byClause).map(([c, d]) => row(`  ${c}`, d)),
    ]),
  );
  out.push(`probability of shared losses: ${(Number(summary.probabilityOfLoss) * 100).toFixed(1)}%`);
  out.push(`probability of clearing the minimum savings rate: ${(Number(summary.probabilityOfClearingMinimum) * 100).toFixed(1)}%`);
  out.push(`standard error of the mean payment: ${money(summary.standardErrorOfMean)}`);
  if (tornado.length) {
    out.push("", "sensitivity of expected contract payments to each negotiable term (same draws):");
    out.push(table([["parameter", "low", "high", "mean at low", "mean at high", "swing"], ...tornado.map((t) => [t.parameter, t.low, t.high, money(t.meanAtLow), money(t.meanAtHigh), money(t.swing)])]));
  }
  if (summary.failedTrials) out.push("", `${summary.failedTrials} trial${summary.failedTrials === 1 ? "" : "s"} could not be settled:`, ...summary.errors.map((e) => `  ${e}`));
  return out.join("\n") + "\n";
}

function parameterText(unit: string, exact: string): string {
  if (unit === "Percent") return `${Number((Number(exact) * 100).toPrecision(12))}%`;
  if (unit === "Money" || unit === "Rate") return `$${exact}`;
  return exact;
}

async function tornadoOf(ir: ProgramIr, scenario: Scenario, trials: number, workers: number): Promise<Tornado[]> {
  const out: Tornado[] = [];
  for (const p of ir.parameters) {
    if (!p.range || scenario.parameters?.[p.name] !== undefined) continue;
    const at = async (value: string) => summarise(await runTrials(ir, { ...scenario, parameters: { ...scenario.parameters, [p.name]: parameterText(p.unit, value) } }, trials, { workers })).contractPayments.mean;
    const [lo, hi] = [await at(p.range[0]), await at(p.range[1])];
    out.push({ parameter: p.name, low: parameterText(p.unit, p.range[0]), high: parameterText(p.unit, p.range[1]), meanAtLow: lo, meanAtHigh: hi, swing: (Math.abs(Number(hi) - Number(lo)) < 1e-9 ? "0.00" : (Number(hi) - Number(lo)).toFixed(2)) });
  }
  return out.sort((a, b) => Math.abs(Number(b.swing)) - Math.abs(Number(a.swing)));
}

export async function simulateCommand(file: string, options: SimulateOptions, io: Io): Promise<number> {
  try {
    const { scenario, trials } = scenarioOf(options);
    const ir = compileContractFile(file, io, "not simulated");
    if (!ir) return 1;
    checkParameters(ir, scenario.parameters);
    const workers = options.workers ? positive("workers", options.workers, 64) : Math.max(1, Math.min(availableParallelism(), 8));
    const results = await withProgress("simulating", trials, io, (tick) => runTrials(ir, scenario, trials, { workers, onProgress: tick }));
    const summary = summarise(results);
    const sensitivityTrials = options.sensitivityTrials ? Number(options.sensitivityTrials) : Math.min(trials, 20);
    const tornado = sensitivityTrials > 0 ? await tornadoOf(ir, scenario, sensitivityTrials, workers) : [];
    io.out(report(ir.meta.title, scenario, summary, tornado));
    if (options.json) {
      writeFileSync(options.json, JSON.stringify({ contract: ir.meta, scenario: { ...scenario, trials }, summary, sensitivity: { trials: sensitivityTrials, parameters: tornado } }, null, 2) + "\n");
      io.out(`wrote ${options.json}\n`);
    }
    return summary.failedTrials === summary.trials ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof PopulationError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    if ((e as { describe?: () => string }).describe) {
      io.err(`${(e as { describe: () => string }).describe()}\n`);
      return 1;
    }
    throw e;
  }
}

function describeChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return "The two contracts say the same thing (only layout or comments differ).\n";
  const out: string[] = [];
  for (const c of changes) {
    out.push(`${c.subject}: ${c.kind}`);
    for (const l of c.lines) out.push(l.old !== undefined && l.new !== undefined ? `  ${l.old}\n    → ${l.new}` : l.old !== undefined ? `  - ${l.old}` : `  + ${l.new}`);
  }
  return out.join("\n") + "\n";
}

export async function diffCommand(fileA: string, fileB: string, options: SimulateOptions, io: Io): Promise<number> {
  try {
    const { scenario, trials } = scenarioOf(options);
    const [textA, textB] = [readContract(fileA), readContract(fileB)];
    const irA = compileContractFile(fileA, io, "not simulated");
    const irB = compileContractFile(fileB, io, "not simulated");
    if (!irA || !irB || !textA.ok || !textB.ok) return 1;
    const changes = diffContracts(parse(textA.text).ast, parse(textB.text).ast);
    io.out(`What changed from ${fileA} to ${fileB}:\n\n${describeChanges(changes)}\n`);
    const workers = options.workers ? positive("workers", options.workers, 64) : Math.max(1, Math.min(availableParallelism(), 8));
    const [a, b] = [await runTrials(irA, scenario, trials, { workers }), await runTrials(irB, scenario, trials, { workers })];
    const both = a.map((r, i) => [r, b[i]!] as const).filter(([x, y]) => !x.error && !y.error);
    const delta = distribution(both.map(([x, y]) => y.total - x.total));
    const [sa, sb] = [summarise(a), summarise(b)];
    io.out(`Expected contract payments on the same ${trials} draws of ${scenario.members.toLocaleString("en-US")} ${scenario.preset} members (seed ${scenario.seed}):\n`);
    io.out(
      table([
        ["", "before", "after", "change"],
        ["mean", money(sa.contractPayments.mean), money(sb.contractPayments.mean), money(delta.mean)],
        ["p5", money(sa.contractPayments.p5), money(sb.contractPayments.p5), money(delta.p5)],
        ["p95", money(sa.contractPayments.p95), money(sb.contractPayments.p95), money(delta.p95)],
        ["sd", money(sa.contractPayments.sd), money(sb.contractPayments.sd), money(delta.sd)],
      ]),
    );
    const clauses = [...new Set([...Object.keys(sa.byClause), ...Object.keys(sb.byClause)])].sort();
    const moved = clauses
      .map((c) => ({ c, change: Number(sb.byClause[c]?.mean ?? "0") - Number(sa.byClause[c]?.mean ?? "0") }))
      .filter((x) => Math.abs(x.change) >= 0.005);
    if (moved.length) io.out(`\nclauses that moved the mean:\n${moved.map((m) => `  ${m.c}: ${m.change >= 0 ? "+" : ""}${money(m.change.toFixed(2))}`).join("\n")}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof PopulationError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
