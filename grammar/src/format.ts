// FORMAT: text -> canonical text, or the syntax errors that make formatting unsafe.
import { hasErrors, type Diagnostic } from "./diagnostics";
import { parse } from "./parse";
import { print } from "./print";

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

export function format(text: string): FormatResult {
  const parsed = parse(text);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  return { ok: true, text: print(parsed.ast, text) };
}
