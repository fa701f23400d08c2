// `pcmh check FILE…`: diagnostics for each file; exit 1 when any file has an error.
import { check } from "../../compiler/src";
import { LineIndex, renderFull, renderShort } from "../../compiler/src/render";
import { expandContracts, readContract } from "./files";
import type { Io } from "./main";

export function checkCommand(files: string[], options: { short: boolean }, io: Io): number {
  let errors = 0;
  let warnings = 0;
  files = expandContracts(files);
  for (const file of files) {
    const read = readContract(file);
    if (!read.ok) {
      io.err(`${read.message}\n`);
      errors++;
      continue;
    }
    const result = check(read.text);
    const index = new LineIndex(read.text);
    for (const d of result.diagnostics) {
      io.out((options.short ? renderShort(file, index, d) : renderFull(file, index, d)) + "\n");
      if (!options.short) io.out("\n");
      if (d.severity === "error") errors++;
      else warnings++;
    }
  }
  const files_ = files.length === 1 ? "1 file" : `${files.length} files`;
  io.out(errors === 0 && warnings === 0 ? `${files_} checked: no problems.\n` : `${files_} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.\n`);
  return errors > 0 ? 1 : 0;
}
