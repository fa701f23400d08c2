// DIAGNOSTICS
//
// The one Diagnostic type of the project and the one registry of codes. Every phase reports
// through `diagnostic(code, span, message, extras)`; a code's severity comes from the registry, so
// a phase cannot invent an unregistered code. Spans are `[start, end)` UTF-16 offsets; lines and
// columns are computed only by renderers (terminal, Monaco). The registry lives in the lowest
// layer because every phase above the lexer reports against source spans.

import type { Span } from "./ast";

export type Severity = "error" | "warning";

export interface Label {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly labels: readonly Label[];
  readonly hint?: string;
}

interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
}

// Syntax 01xx · Names 02xx · Types and units 03xx · Contract semantics 04xx · Data and settlement 05xx
export const registry = {
  PCMH0101: { severity: "error", title: "unexpected character" },
  PCMH0102: { severity: "error", title: "unterminated string" },
  PCMH0103: { severity: "error", title: "unexpected word or symbol" },
  PCMH0104: { severity: "error", title: "the text ends too early" },
  PCMH0105: { severity: "error", title: "invalid literal" },
  PCMH0106: { severity: "error", title: "unknown word in a fixed phrase" },
  PCMH0107: { severity: "error", title: "file too large" },
  PCMH0108: { severity: "error", title: "nesting too deep" },
  PCMH0201: { severity: "error", title: "unknown name" },
  PCMH0202: { severity: "error", title: "name declared twice" },
  PCMH0203: { severity: "error", title: "unknown clause" },
  PCMH0204: { severity: "error", title: "member-level value used for a whole unit" },
  PCMH0205: { severity: "error", title: "circular definition" },
  PCMH0206: { severity: "error", title: "unknown unit" },
  PCMH0207: { severity: "error", title: "unknown party" },
  PCMH0208: { severity: "error", title: "value used outside the clause that defines it" },
  PCMH0301: { severity: "error", title: "units do not add up" },
  PCMH0302: { severity: "error", title: "units do not multiply" },
  PCMH0303: { severity: "error", title: "a rate is paid per member-month" },
  PCMH0304: { severity: "error", title: "wrong unit" },
  PCMH0305: { severity: "error", title: "units cannot be compared" },
  PCMH0306: { severity: "error", title: "condition is not true or false" },
  PCMH0307: { severity: "error", title: "division by zero" },
  PCMH0308: { severity: "error", title: "money times money" },
  PCMH0309: { severity: "error", title: "branches disagree on unit" },
  PCMH0401: { severity: "error", title: "parameter default outside its range" },
  PCMH0402: { severity: "error", title: "range is upside down" },
  PCMH0403: { severity: "error", title: "tier rows overlap" },
  PCMH0404: { severity: "error", title: "gap between tier rows" },
  PCMH0405: { severity: "error", title: "unreachable row" },
  PCMH0406: { severity: "error", title: "impossible panel bounds" },
  PCMH0407: { severity: "error", title: "cap below floor" },
  PCMH0408: { severity: "error", title: "two rules can both apply" },
  PCMH0409: { severity: "error", title: "required term missing" },
  PCMH0410: { severity: "error", title: "term given twice" },
  PCMH0411: { severity: "warning", title: "weights do not add up to 100%" },
  PCMH0412: { severity: "error", title: "term ends before it starts" },
  PCMH0413: { severity: "error", title: "interpolation needs ranges" },
  PCMH0414: { severity: "error", title: "date outside the contract term" },
  PCMH0415: { severity: "error", title: "percentage out of bounds" },
  PCMH0416: { severity: "error", title: "term does not apply to this clause" },
  PCMH0417: { severity: "error", title: "adjustment of an adjustment" },
  PCMH0418: { severity: "error", title: "count out of bounds" },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof registry;

export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  message: string,
  extras: { hint?: string; labels?: Label[] } = {},
): Diagnostic {
  return { code, severity: registry[code].severity, message, span, labels: extras.labels ?? [], ...(extras.hint ? { hint: extras.hint } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

// SUGGESTIONS

/** Restricted Damerau-Levenshtein distance between two strings, in three rolling rows. */
export function editDistance(a: string, b: string): number {
  const n = b.length;
  let before = new Uint32Array(n + 1);
  let previous = Uint32Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Uint32Array(n + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[n]!;
}

/** The closest candidate within a third of the name's length, a case-insensitive exact match first. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
