// `pcmh population PRESET --members N --seed S --out DIR [--contract FILE] [--effect name=value]…`:
// writes a synthetic population (simulator/) as the six settlement tables in CSV, ready for
// `pcmh settle --data DIR`, and prints a one-line summary. With --contract, the population is the
// one Monte Carlo draws for that contract (its year, payers, lines of business, care teams,
// measures and virtual panels), cut to its first settlement period, so the contract settles it.
// Bad arguments are messages on stderr and exit code 2; a contract with errors, exit code 1.

import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { settlementCsv, tableNames, writePopulationCsv } from "../../simulator/src/csv";
import { needsOf, populationFor } from "../../simulator/src/montecarlo";
import { columnRows, effectNames, effectRanges, maxMembers, PopulationError, presets, type Effects, type Preset } from "../../simulator/src/population";
import { compileContractFile } from "./files";
import type { Io } from "./main";

export interface PopulationCommandOptions {
  readonly members: string;
  readonly seed: string;
  readonly out: string;
  readonly effect: readonly string[];
  readonly contract?: string;
}

class UsageError extends Error {}

const grouped = (n: number) => n.toLocaleString("en-US");
const plural = (k: number, word: string) => `${grouped(k)} ${word}${k === 1 ? "" : "s"}`;

function parseMembers(text: string): number {
  const clean = text.trim().replace(/[_,]/g, "");
  const n = /^\d+$/.test(clean) ? Number(clean) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > maxMembers) throw new UsageError(`--members ${text}: expected a whole number of members from 1 to ${grouped(maxMembers)}, like --members 20000.`);
  return n;
}

function parseSeed(text: string): number {
  const clean = text.trim();
  const n = /^-?\d+$/.test(clean) ? Number(clean) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--seed ${text}: expected a whole number, like --seed 42.`);
  return n;
}

const effectList = () => effectNames.map((k) => `${k} (${effectRanges[k].meaning})`).join("; ");

/** `name=value`, value a decimal or a percentage (`-10%`); names also in kebab or snake case. */
function parseEffects(items: readonly string[]): Partial<Effects> {
  const out: Partial<Record<keyof Effects, number>> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--effect ${item}: write --effect name=value, like --effect edVisits=-10%. The effects are ${effectList()}.`);
    const rawName = item.slice(0, eq).trim();
    const key = rawName.replace(/[-_\s]/g, "").toLowerCase();
    const name = effectNames.find((k) => k.toLowerCase() === key);
    if (!name) throw new UsageError(`--effect ${item}: there is no effect called "${rawName}". The effects are ${effectList()}.`);
    const text = item.slice(eq + 1).trim();
    const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(%?)$/.exec(text);
    if (!m) throw new UsageError(`--effect ${item}: the value must be a number or a percentage, like ${name}=-0.10 or ${name}=-10%.`);
    const value = Number(m[1]) / (m[2] ? 100 : 1);
    const r = effectRanges[name];
    if (value < r.min || value > r.max) throw new UsageError(`--effect ${item}: ${name} must lie between ${r.min} and ${r.max} (${r.meaning}).`);
    if (name in out) throw new UsageError(`--effect ${name} is given twice.`);
    out[name] = value;
  }
  return out;
}

function prepareFolder(dir: string) {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir}: this is a file; give a folder for the six tables.`);
    const json = tableNames.filter((t) => existsSync(`${dir}/${t}.json`));
    if (json.length > 0) throw new UsageError(`--out ${dir} already holds JSON tables (${json.map((t) => `${t}.json`).join(", ")}); a data folder must not mix CSV and JSON. Choose another folder.`);
  } else mkdirSync(dir, { recursive: true });
}

export function populationCommand(preset: string, options: PopulationCommandOptions, io: Pick<Io, "out" | "err">): number {
  const started = performance.now();
  try {
    if (!presets.includes(preset as Preset)) throw new UsageError(`unknown preset "${preset}"; the presets are ${presets.join(", ")}.`);
    const members = parseMembers(options.members);
    const seed = parseSeed(options.seed);
    const effects = parseEffects(options.effect);
    if (!options.out || !options.out.trim()) throw new UsageError("--out: give a folder to write the tables into.");
    if (options.contract !== undefined) return populationForContract(options.contract, { preset: preset as Preset, members, seed, effects }, options.out, started, io);
    prepareFolder(options.out);
    const written = writePopulationCsv({ preset: preset as Preset, members, seed, effects }, options.out);
    const n = written.population.network;
    const seconds = (performance.now() - started) / 1000;
    const pmpm = written.memberMonths > 0 ? written.allowedCents / 100 / written.memberMonths : 0;
    io.out(
      `${options.out}: ${preset} population, seed ${seed}: ${plural(members, "member")}, ${plural(written.memberMonths, "member-month")}, ${plural(written.claims, "claim")} ($${pmpm.toFixed(2)} PMPM), ` +
        `${plural(n.physicianCount, "physician")} in ${plural(n.practiceCount, "practice")} and ${plural(n.panelCount, "panel")}; ${written.resolved.year} with baseline ${written.resolved.year - 1} (${seconds.toFixed(1)} s).\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof PopulationError) {
      io.err(`pcmh population: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === "string" && typeof err.message === "string") {
      io.err(`pcmh population: cannot write ${options.out}: ${err.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** `pcmh population … --contract FILE`: the population Monte Carlo's first trial draws for the contract. */
function populationForContract(file: string, scenario: { preset: Preset; members: number; seed: number; effects: Partial<Effects> }, out: string, started: number, io: Pick<Io, "out" | "err">): number {
  const ir = compileContractFile(file, io, "no population written");
  if (!ir) return 1;
  const input = columnRows(populationFor(needsOf(ir), scenario, 0));
  prepareFolder(out);
  const csv = settlementCsv(input);
  for (const t of tableNames) writeFileSync(join(out, `${t}.csv`), csv[t]);
  const cents = input.claims.reduce((sum, c) => sum + BigInt(c.allowed.replace(".", "")), 0n);
  const memberMonths = input.members.length;
  const months = input.members.map((m) => m.month).sort();
  const panels = new Set(input.physicians.map((d) => d.panel).filter((p) => p !== undefined)).size;
  const pmpm = memberMonths > 0 ? Number(cents) / 100 / memberMonths : 0;
  const seconds = (performance.now() - started) / 1000;
  io.out(
    `${out}: ${scenario.preset} population for "${ir.meta.title}", seed ${scenario.seed}: ${plural(scenario.members, "member")}, ${plural(memberMonths, "member-month")}, ${plural(input.claims.length, "claim")} ($${pmpm.toFixed(2)} PMPM), ` +
      `${plural(input.physicians.length, "physician")} in ${plural(input.practices.length, "practice")} and ${plural(panels, "panel")}; ${months[0]} to ${months[months.length - 1]}, the contract's first settlement period (${seconds.toFixed(1)} s).\n`,
  );
  return 0;
}
