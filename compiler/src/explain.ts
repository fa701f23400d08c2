// EXPLAIN: one statement line's derivation in words, for `pcmh explain` and the playground.
import type { StatementLine } from "../../runtime/src/statement";

export function explainLine(line: StatementLine): string {
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
