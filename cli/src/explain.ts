// `pcmh explain statement.json LINE`: one statement line's derivation, in words.
import { readFileSync } from "node:fs";
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

export function explainLine(line: Statement["lines"][number]): string {
  const [kind, who] = [line.recipient.slice(0, line.recipient.indexOf(":")), line.recipient.slice(line.recipient.indexOf(":") + 1)];
  const out = [
    `Line ${line.id}: ${line.kind} of $${line.amount} to ${kind} ${who}${line.payer ? `, paid by ${line.payer}` : ""}, for ${line.period}.`,
    `Clause "${line.clause}"${line.trace.cite ? ` (${line.trace.cite})` : ""}: ${line.trace.rule}.`,
  ];
  if (line.trace.unit) out.push(`Measured for ${line.trace.unit}.`);
  const width = Math.max(0, ...line.trace.steps.map((s) => s.name.length));
  for (const step of line.trace.steps) out.push(`  ${step.name.padEnd(width)}  ${step.value}${step.note ? `   (${step.note})` : ""}`);
  return out.join("\n");
}
