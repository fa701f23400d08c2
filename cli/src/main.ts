// THE `pcmh` COMMAND
//
// Parses arguments with commander and dispatches to one module per command. `main` returns the
// exit code instead of exiting, so tests can run commands in-process; it never throws for bad
// input: unreadable files and bad options become messages on stderr and exit code 2.

import { Command, CommanderError } from "commander";
import { checkCommand } from "./check";
import { fmtCommand } from "./fmt";

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

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
