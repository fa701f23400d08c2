// DIFF: WHAT CHANGED BETWEEN TWO VERSIONS OF A CONTRACT
//
// Declarations are matched by what names them (a parameter's name, a clause's title, …) and
// compared in canonical form, so layout and comments never count as changes. A changed
// declaration lists its changed lines, old → new, in the order the printer writes them.

import { print, type ContractAst, type Decl } from "../../grammar/src";

export interface Change {
  /** "header", "parameter uplift", "clause \"Care coordination\"", … */
  readonly subject: string;
  readonly kind: "added" | "removed" | "changed";
  readonly lines: readonly { readonly old?: string; readonly new?: string }[];
}

function subjectOf(d: Decl): string {
  switch (d.kind) {
    case "Parameter":
      return `parameter ${d.name.text}`;
    case "Value":
      return `value ${d.name.text}`;
    case "Table":
      return `table ${d.name.text}`;
    case "Scorecard":
      return `scorecard ${d.name.text}`;
    case "Measure":
      return `measure ${d.name.text}`;
    case "Panel":
      return "panels";
    case "Attribution":
      return "attribution";
    case "Amendment":
      return `amendment "${d.title.text}"`;
    default:
      return `clause "${d.title.text}"`;
  }
}

function linesOf(ast: ContractAst, decl?: Decl): string[] {
  const only: ContractAst = decl ? { ...ast, title: undefined, version: undefined, header: [], decls: [decl], comments: [] } : { ...ast, decls: [], comments: [] };
  return print(only).split("\n").map((l) => l.trim()).filter(Boolean);
}

function lineChanges(a: string[], b: string[]): { old?: string; new?: string }[] {
  const removed = a.filter((l) => !b.includes(l));
  const added = b.filter((l) => !a.includes(l));
  const out: { old?: string; new?: string }[] = [];
  for (let i = 0; i < Math.max(removed.length, added.length); i++) out.push({ ...(removed[i] !== undefined ? { old: removed[i] } : {}), ...(added[i] !== undefined ? { new: added[i] } : {}) });
  return out;
}

export function diffContracts(a: ContractAst, b: ContractAst): Change[] {
  const changes: Change[] = [];
  const header = lineChanges(linesOf(a), linesOf(b));
  if (header.length) changes.push({ subject: "header", kind: "changed", lines: header });
  const before = new Map(a.decls.map((d) => [subjectOf(d), d]));
  const after = new Map(b.decls.map((d) => [subjectOf(d), d]));
  for (const [subject, d] of before) {
    const other = after.get(subject);
    if (!other) {
      changes.push({ subject, kind: "removed", lines: linesOf(a, d).map((l) => ({ old: l })) });
      continue;
    }
    const lines = lineChanges(linesOf(a, d), linesOf(b, other));
    if (lines.length) changes.push({ subject, kind: "changed", lines });
  }
  for (const [subject, d] of after) if (!before.has(subject)) changes.push({ subject, kind: "added", lines: linesOf(b, d).map((l) => ({ new: l })) });
  return changes;
}
