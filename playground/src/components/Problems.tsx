// The diagnostics as a list under the editor: what the squiggles say, readable by a screen reader
// and reachable by keyboard (each entry moves the cursor to the problem).

import type { Diagnostic } from "../../../grammar/src";

interface Props {
  readonly diagnostics: readonly Diagnostic[];
  readonly text: string;
  readonly onSelect: (offset: number) => void;
  readonly ms?: number;
}

export function Problems({ diagnostics, text, onSelect, ms }: Props) {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading" className="visually-hidden">
        Problems
      </h2>
      <p className="problems-summary" role="status" aria-live="polite" data-testid="problems-summary">
        {diagnostics.length === 0 ? "No problems: the contract checks." : `${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`}
        {ms !== undefined && <span className="muted"> · checked in {Math.round(ms)} ms</span>}
      </p>
      <p className="muted small keys">In the editor: Ctrl+Space completes, F12 goes to a definition, Shift+Alt+F formats, F8 jumps to the next problem, Ctrl+M lets Tab leave the editor.</p>
      {diagnostics.length > 0 && (
        <ul className="problem-list" data-testid="problems">
          {diagnostics.map((d, i) => {
            const { line, column } = position(text, d.span.start);
            return (
              <li key={i}>
                <button type="button" className={`problem ${d.severity}`} onClick={() => onSelect(d.span.start)}>
                  <span className="problem-where">
                    {line}:{column}
                  </span>{" "}
                  <span className="problem-code">{d.code}</span> <span className="problem-message">{d.message}</span>
                  {d.hint && <span className="problem-hint"> {d.hint}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}
