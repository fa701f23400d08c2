// TERMINAL RENDERING OF DIAGNOSTICS
//
// Turns span-based diagnostics into what a person reads in a terminal: the one-line
// `file:line:col: error PCMHnnnn: message` form that editors and CI parse, followed by the source
// line with a caret underline, any labelled related spans, and the hint. Lines and columns are
// 1-based and counted in UTF-16 code units, as Monaco counts them.

import type { Diagnostic, Span } from "../../grammar/src";

export interface Position {
  readonly line: number;
  readonly column: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1 };
  }

  offset(position: Position): number {
    const start = this.starts[Math.max(0, Math.min(position.line - 1, this.starts.length - 1))]!;
    return Math.min(this.text.length, start + position.column - 1);
  }

  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const end = this.starts[line] ?? this.text.length;
    return this.text.slice(start, end).replace(/[\r\n\u2028\u2029]+$/, "");
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

export function renderShort(file: string, index: LineIndex, d: Diagnostic): string {
  const p = index.position(d.span.start);
  return `${file}:${p.line}:${p.column}: ${d.severity} ${d.code}: ${d.message}`;
}

function excerpt(index: LineIndex, span: Span, note: string): string[] {
  const start = index.position(span.start);
  const end = index.position(Math.max(span.start, span.end));
  const raw = index.lineText(start.line);
  const visible = raw.replace(/\t/g, " ").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\u00b7");
  const gutter = String(start.line).length;
  const width = end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, raw.length - start.column + 1);
  const caret = " ".repeat(Math.max(0, start.column - 1)) + "^".repeat(Math.min(width, Math.max(1, visible.length - start.column + 2)));
  return [`${" ".repeat(gutter)} |`, `${start.line} | ${visible.slice(0, 400)}`, `${" ".repeat(gutter)} | ${caret}${note ? " " + note : ""}`];
}

export function renderFull(file: string, index: LineIndex, d: Diagnostic): string {
  const lines = [renderShort(file, index, d), ...excerpt(index, d.span, "")];
  for (const label of d.labels) {
    const p = index.position(label.span.start);
    lines.push(`  note: ${label.message} (${file}:${p.line}:${p.column})`, ...excerpt(index, label.span, ""));
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join("\n");
}
