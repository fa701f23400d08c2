// `pcmh explain statement.json LINE`: one statement line's derivation, in words.
import { readFileSync } from "node:fs";
import { explainLine } from "../../compiler/src/explain";
import type { Statement } from "../../runtime/src/statement";
import type { Io } from "./main";

export function explainCommand(file: string, lineText: string, io: Io): number {
  let statement: Statement;
  try {
    statement = JSON.parse(readFileSync(file, "utf8")) as Statement;
  } catch (e) {
    io.err(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not a statement (${(e as Error).message})`}\n`);
    return 1;
  }
  if (!Array.isArray(statement?.lines)) {
    io.err(`${file}: not a statement: it has no lines.\n`);
    return 1;
  }
  const id = Number(lineText);
  const line = statement.lines.find((l) => l.id === id);
  if (!Number.isInteger(id) || !line) {
    io.err(`${file}: there is no line ${lineText}; lines are numbered 1 to ${statement.lines.length}.\n`);
    return 1;
  }
  io.out(explainLine(line) + "\n");
  return 0;
}
