// `pcmh fmt [--check|--write] FILE…`: canonical formatting. Without a flag the formatted text is
// printed; a file with syntax errors is never rewritten.
import { writeFileSync } from "node:fs";
import { format } from "../../grammar/src";
import { LineIndex, renderShort } from "../../compiler/src/render";
import { expandContracts, readContract } from "./files";
import type { Io } from "./main";

export function fmtCommand(files: string[], options: { check: boolean; write: boolean }, io: Io): number {
  let status = 0;
  const unformatted: string[] = [];
  files = expandContracts(files);
  for (const file of files) {
    const read = readContract(file);
    if (!read.ok) {
      io.err(`${read.message}\n`);
      status = 2;
      continue;
    }
    const result = format(read.text);
    if (!result.ok) {
      const index = new LineIndex(read.text);
      io.err(`${file}: not formatted, because it has syntax errors:\n`);
      for (const d of result.diagnostics) io.err(renderShort(file, index, d) + "\n");
      status = Math.max(status, options.check ? 1 : 2);
      continue;
    }
    if (options.check) {
      if (result.text !== read.text) unformatted.push(file);
    } else if (options.write) {
      if (result.text !== read.text) {
        writeFileSync(file, result.text);
        io.out(`formatted ${file}\n`);
      }
    } else io.out(result.text);
  }
  if (options.check) {
    for (const file of unformatted) io.out(`${file}: not formatted (run pcmh fmt --write ${file})\n`);
    if (unformatted.length > 0) status = Math.max(status, 1);
    else if (status === 0) io.out(`${files.length} file${files.length === 1 ? "" : "s"} formatted correctly.\n`);
  }
  return status;
}
