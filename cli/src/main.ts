// THE `pcmh` COMMAND
//
// Parses arguments with commander and dispatches to one module per command. `main` returns the
// exit code instead of exiting, so tests can run commands in-process; it never throws for bad
// input: unreadable files and bad options become messages on stderr and exit code 2.

import { Command, CommanderError } from "commander";
import { checkCommand } from "./check";
import { compileCommand } from "./compile";
import { explainCommand } from "./explain";
import { fmtCommand } from "./fmt";
import { populationCommand } from "./population";
import { settleCommand } from "./settle";
import { diffCommand, simulateCommand } from "./simulate";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("pcmh")
    .description("The PCMH Contract Language: check, format, compile, settle and simulate medical-home payment contracts.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("check")
    .description("report diagnostics as file:line:col: error PCMHnnnn: message; exit 1 on any error")
    .argument("<files...>", "contract files (.pcmh), or folders of them")
    .option("--short", "one line per diagnostic, without source excerpts")
    .action((files: string[], options: { short?: boolean }) => {
      code = checkCommand(files, { short: options.short ?? false }, io);
    });

  program
    .command("fmt")
    .description("print contracts in canonical form, or --check / --write them")
    .argument("<files...>", "contract files (.pcmh), or folders of them")
    .option("--check", "exit 1 when a file is not formatted")
    .option("--write", "rewrite files in place")
    .action((files: string[], options: { check?: boolean; write?: boolean }) => {
      code = fmtCommand(files, { check: options.check ?? false, write: options.write ?? false }, io);
    });

  program
    .command("compile")
    .description("write the contract as a TypeScript module and a JavaScript module")
    .argument("<file>", "contract file (.pcmh)")
    .requiredOption("--out <dir>", "output folder")
    .option("--runtime <specifier>", "module specifier of the runtime", "@pcmh/runtime")
    .action((file: string, options: { out: string; runtime: string }) => {
      code = compileCommand(file, options, io);
    });

  program
    .command("settle")
    .description("settle one period's data exactly and print a summary per recipient and clause")
    .argument("<file>", "contract file (.pcmh)")
    .requiredOption("--data <dir>", "folder of settlement data (CSV or JSON)")
    .option("--out <file>", "write the statement as JSON")
    .option("--set <name=value>", "set a negotiable parameter (repeatable)", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--engine <engine>", "compiled (the emitted module) or interpreter", "compiled")
    .action(async (file: string, options: { data: string; out?: string; set: string[]; engine: string }) => {
      if (options.engine !== "compiled" && options.engine !== "interpreter") {
        io.err(`--engine ${options.engine}: expected compiled or interpreter\n`);
        code = 2;
        return;
      }
      code = await settleCommand(file, { data: options.data, ...(options.out ? { out: options.out } : {}), set: options.set, engine: options.engine }, io);
    });

  program
    .command("explain")
    .description("explain one line of a statement in words")
    .argument("<statement>", "statement.json written by pcmh settle --out")
    .argument("<line>", "line number")
    .action((file: string, line: string) => {
      code = explainCommand(file, line, io);
    });

  const collect = (v: string, all: string[]) => [...all, v];

  program
    .command("population")
    .description("write a synthetic population in the settlement data format")
    .argument("<preset>", "commercial, medicare or medicaid")
    .requiredOption("--members <n>", "number of members")
    .requiredOption("--out <dir>", "output folder")
    .option("--seed <s>", "random seed", "1")
    .option("--contract <file>", "draw the population for this contract (its year, payers, panels, …), cut to its first settlement period")
    .option("--effect <name=value>", "intervention lever, e.g. edVisits=-10% (repeatable)", collect, [] as string[])
    .action((preset: string, options: { members: string; seed: string; out: string; effect: string[]; contract?: string }) => {
      code = populationCommand(preset, options, io);
    });

  const simulation = (command: Command, trials: string) =>
    command
      .option("--preset <preset>", "commercial, medicare or medicaid", "commercial")
      .option("--members <n>", "members per trial", "10000")
      .option("--trials <n>", "number of trials", trials)
      .option("--seed <s>", "random seed", "1")
      .option("--set <name=value>", "set a negotiable parameter (repeatable)", collect, [] as string[])
      .option("--effect <name=value>", "intervention lever, e.g. edVisits=-10% (repeatable)", collect, [] as string[])
      .option("--workers <n>", "worker threads (default: one per core)");

  simulation(program.command("simulate").description("Monte Carlo: what the contract is likely to pay, and how sure we are").argument("<file>", "contract file (.pcmh)"), "200")
    .option("--json <file>", "write the distributions as JSON")
    .option("--sensitivity-trials <n>", "trials per parameter end for the sensitivity table (0 to skip)")
    .action(async (file: string, options: Parameters<typeof simulateCommand>[1]) => {
      code = await simulateCommand(file, options, io);
    });

  simulation(program.command("diff").description("what changed between two contract versions, and the change in expected payout on the same draws").argument("<a>", "the earlier contract").argument("<b>", "the later contract"), "50")
    .action(async (a: string, b: string, options: Parameters<typeof diffCommand>[2]) => {
      code = await diffCommand(a, b, options, io);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
