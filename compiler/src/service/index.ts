// LANGUAGE SERVICE
//
// What an editor asks of a contract, as pure functions of (text, offset): diagnostics, completion
// candidates, hover text with unit and citation, document symbols, go-to-definition, formatting.
// Shapes follow the LSP (offsets are UTF-16, spans `[start, end)`), so a Monaco adapter in the
// playground, the CLI and a future LSP server are thin wrappers. No I/O, no globals beyond a
// one-entry cache of the last text checked: safe in a web worker.

import {
  format as formatText,
  keywordWords,
  lex,
  suggestNext,
  tokens as t,
  type Decl,
  type Diagnostic,
  type Expr,
  type MeasureDecl,
  type Span,
} from "../../../grammar/src";
import { builtins, savingsQuantities } from "../check/builtins";
import type { ContractSymbol } from "../check/checked";
import { show } from "../check/constant";
import { unitWords } from "../check/units";
import { check, type CheckResult } from "../index";

// CACHE

let last: { text: string; result: CheckResult } | undefined;

function analyse(text: string): CheckResult {
  if (last?.text === text) return last.result;
  const result = check(text);
  last = { text, result };
  return result;
}

// DIAGNOSTICS

export function diagnostics(text: string): Diagnostic[] {
  return analyse(text).diagnostics;
}

// FORMAT

/** The canonical text, or undefined when syntax errors make formatting unsafe. */
export function format(text: string): string | undefined {
  const result = formatText(text);
  return result.ok ? result.text : undefined;
}

// SYMBOLS

export type SymbolKind = "contract" | "parameter" | "value" | "table" | "panel" | "attribution" | "clause" | "scorecard" | "measure" | "amendment";

export interface DocumentSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail?: string;
  readonly span: Span;
  readonly selectionSpan: Span;
  readonly children: DocumentSymbol[];
}

const clauseDetail: Partial<Record<Decl["kind"], string>> = {
  ClaimFee: "claim fee",
  PmpmFee: "monthly fee",
  Incentive: "incentive",
  SharedSavings: "shared savings",
  Adjustment: "adjustment",
  Withhold: "withhold",
};

export function documentSymbols(text: string): DocumentSymbol[] {
  const { checked } = analyse(text);
  const ast = checked.ast;
  const out: DocumentSymbol[] = [];
  const unitOf = (name: string) => {
    const u = checked.symbols.get(name)?.unit;
    return u ? unitWords[u] : undefined;
  };
  const measure = (m: MeasureDecl): DocumentSymbol => ({ name: m.name.text, kind: "measure", ...(m.title ? { detail: m.title.text } : {}), span: m.span, selectionSpan: m.name.span, children: [] });
  for (const d of ast.decls) {
    switch (d.kind) {
      case "Parameter":
      case "Value":
      case "Table": {
        const detail = unitOf(d.name.text);
        out.push({ name: d.name.text, kind: d.kind === "Parameter" ? "parameter" : d.kind === "Value" ? "value" : "table", ...(detail ? { detail } : {}), span: d.span, selectionSpan: d.name.span, children: [] });
        break;
      }
      case "Scorecard":
        out.push({ name: d.name.text, kind: "scorecard", ...(d.title ? { detail: d.title.text } : {}), span: d.span, selectionSpan: d.name.span, children: d.measures.map(measure) });
        break;
      case "Measure":
        out.push(measure(d));
        break;
      case "Panel":
        out.push({ name: "virtual panels", kind: "panel", detail: `${show(d.low)} to ${show(d.high)} physicians`, span: d.span, selectionSpan: d.span, children: [] });
        break;
      case "Attribution":
        out.push({ name: "attribution", kind: "attribution", detail: d.method.kind === "Roster" ? "from roster" : `plurality of ${d.method.of.text}`, span: d.span, selectionSpan: d.span, children: [] });
        break;
      case "Amendment":
        out.push({ name: d.title.text, kind: "amendment", ...(d.effective ? { detail: `effective ${show(d.effective)}` } : {}), span: d.span, selectionSpan: d.title.span, children: [] });
        break;
      default:
        out.push({ name: d.title.text, kind: "clause", detail: clauseDetail[d.kind]!, span: d.span, selectionSpan: d.title.span, children: [] });
    }
  }
  return out;
}

// DEFINITION AND HOVER

function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

interface Found {
  readonly span: Span;
  readonly symbol?: ContractSymbol;
  readonly clause?: { title: string; span: Span; kind: string };
  readonly savings?: keyof typeof savingsQuantities;
}

function findAt(text: string, offset: number): Found | undefined {
  const { checked } = analyse(text);
  for (const r of checked.references) if (within(r.span, offset)) return { span: r.span, symbol: r.symbol };
  for (const s of checked.symbols.values()) if (s.span && within(s.span, offset)) return { span: s.span, symbol: s };
  for (const d of checked.ast.decls) {
    if ((d.kind === "Adjustment" || d.kind === "Withhold") && within(d.target.span, offset)) {
      const target = checked.clauses.get(d.target.text);
      if (target) return { span: d.target.span, clause: { title: target.title.text, span: target.title.span, kind: clauseDetail[target.kind] ?? target.kind } };
    }
    if ("title" in d && d.title && "text" in d.title && within(d.title.span, offset) && checked.clauses.has(d.title.text))
      return { span: d.title.span, clause: { title: d.title.text, span: d.title.span, kind: clauseDetail[d.kind] ?? d.kind } };
  }
  const builtin = builtinAt(checked.ast.decls, offset);
  if (builtin) return builtin;
  return undefined;
}

function builtinAt(decls: readonly Decl[], offset: number): Found | undefined {
  let found: Found | undefined;
  const visit = (e: unknown) => {
    if (found || !e || typeof e !== "object") return;
    if (Array.isArray(e)) return e.forEach(visit);
    const node = e as Expr;
    if (node.kind === "Builtin" && within(node.span, offset)) {
      found = { span: node.span, savings: node.name };
      return;
    }
    for (const [k, v] of Object.entries(node)) if (k !== "span") visit(v);
  };
  visit(decls);
  return found;
}

export function definition(text: string, offset: number): Span | undefined {
  const found = findAt(text, offset);
  if (!found) return undefined;
  if (found.clause) return found.clause.span;
  return found.symbol?.span;
}

export interface Hover {
  readonly span: Span;
  readonly markdown: string;
}

export function hover(text: string, offset: number): Hover | undefined {
  const found = findAt(text, offset);
  if (!found) return undefined;
  if (found.clause) return { span: found.span, markdown: `**"${found.clause.title}"** — ${found.clause.kind} clause` };
  if (found.savings) {
    const q = savingsQuantities[found.savings];
    return { span: found.span, markdown: `**${found.savings}** — ${unitWords[q.unit]}\n\n${q.doc}` };
  }
  const s = found.symbol!;
  const unit = s.unit ? unitWords[s.unit] : "unknown unit";
  const lines = [`**${s.name}** — ${s.kind === "builtin" ? "built-in quantity" : s.kind}, ${unit}`];
  if (s.kind === "builtin") {
    lines.push("", s.doc ?? "");
    const level = builtins.get(s.name)?.level;
    if (level === "member") lines.push("", "Per member-month: usable in fees, eligibility and fee tables.");
    if (level === "claim") lines.push("", "Per claim line: usable in fee enhancements and visit fees.");
    if (level === "unit") lines.push("", "A total for the unit a clause is measured per.");
  }
  const decl = s.decl;
  if (decl?.kind === "Parameter") {
    if (decl.value) lines.push("", `Default: ${show(decl.value)}`);
    if (decl.range) lines.push(`Range: ${show(decl.range.low)} to ${show(decl.range.high)}`);
    for (const ev of decl.effective) lines.push(`From ${show(ev.date)}: ${show(ev.value)}`);
  }
  if (decl?.kind === "Measure") {
    if (decl.title) lines.push("", decl.title.text);
    if (decl.direction) lines.push(`${decl.direction === "higher" ? "Higher" : "Lower"} is better${decl.weight ? `, weight ${show(decl.weight)}` : ""}.`);
  }
  if (decl?.kind === "Scorecard" && decl.title) lines.push("", `${decl.title.text}: ${decl.measures.length} measure${decl.measures.length === 1 ? "" : "s"}.`);
  if (s.cite) lines.push("", `Cited: ${s.cite}`);
  return { span: found.span, markdown: lines.join("\n") };
}

// COMPLETION

export type CompletionKind = "keyword" | "parameter" | "value" | "table" | "measure" | "scorecard" | "builtin" | "clause";

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** The text the item replaces: the partial word under the cursor. */
  readonly replace: Span;
}

type Token = ReturnType<typeof lex>["tokens"][number];
type TokenType = Token["tokenType"];

const keywordTypes: ReadonlyMap<TokenType, string> = new Map(keywordWords.map((k) => [t.keywordByWord.get(k.word)!, k.word]));

export function complete(text: string, offset: number): CompletionItem[] {
  const at = Math.max(0, Math.min(offset, text.length));
  const lexed = lex(text);
  const before: Token[] = [];
  let partial: Token | undefined;
  for (const tok of lexed.tokens) {
    const end = tok.startOffset + tok.image.length;
    const openString = tok.tokenType === t.StringLiteral && (tok.image.length === 1 || !tok.image.endsWith('"'));
    if (end < at || (end === at && !openString && !/\w/.test(tok.image[tok.image.length - 1] ?? ""))) before.push(tok);
    else if (tok.startOffset < at && end >= at) partial = tok;
    else break;
  }
  const { checked } = analyse(text);
  const inString = partial && (partial.tokenType === t.StringLiteral || partial.tokenType === t.UnterminatedString);
  if (inString) {
    const previous = before[before.length - 1];
    if (previous?.tokenType === t.Of) {
      const replace = { start: partial!.startOffset, end: partial!.startOffset + partial!.image.length };
      return [...checked.clauses.values()].map((c) => ({ label: `"${c.title.text}"`, kind: "clause" as const, detail: clauseDetail[c.kind] ?? c.kind, replace }));
    }
    return [];
  }
  const prefix = partial && /^\w/.test(partial.image) ? partial.image.slice(0, at - partial.startOffset) : "";
  const replace = partial && prefix ? { start: partial.startOffset, end: partial.startOffset + partial.image.length } : { start: at, end: at };
  const suggestions = suggestNext(before);
  const items = new Map<string, CompletionItem>();
  const add = (item: CompletionItem) => {
    if (item.label.toLowerCase().startsWith(prefix.toLowerCase()) && !items.has(item.label)) items.set(item.label, item);
  };
  let wantsNames = false;
  for (const s of suggestions) {
    const type = s.type;
    const word = keywordTypes.get(type);
    if (word) add({ label: word, kind: "keyword", replace });
    if (type === t.NameWord || type === t.Identifier) wantsNames ||= s.ruleStack.includes("reference") || s.ruleStack.includes("atom") || s.ruleStack.includes("bound");
  }
  if (wantsNames) {
    for (const s of checked.symbols.values()) add({ label: s.name, kind: s.kind as CompletionKind, ...(s.unit ? { detail: unitWords[s.unit] } : {}), replace });
    for (const b of builtins.values()) add({ label: b.phrase, kind: "builtin", detail: unitWords[b.unit], replace });
  }
  return [...items.values()].sort((a, b) => (a.kind === b.kind ? a.label.localeCompare(b.label) : a.kind === "keyword" ? 1 : b.kind === "keyword" ? -1 : 0));
}
