// MONARCH HIGHLIGHTING, DERIVED FROM THE GRAMMAR'S TOKENS
//
// The keyword lists come from `keywordWords` (hard and soft keywords) and every other rule from
// the token definitions in `grammar/src/tokens.ts`, in the lexer's priority order: a token whose
// pattern is a regular expression is used as written; the three signed literals (whose pattern
// is a function, so that `a -5%` lexes as a negative literal only after a space) get the same
// regular expression without that context rule. A token this table does not classify is an
// error at start-up, so a new token cannot silently go uncoloured.

import type { languages } from "monaco-editor/editor";
import { builtins } from "../../../compiler/src/check/builtins";
import { allTokens, keywordOf, keywordWords } from "../../../grammar/src/tokens";

/** The Monarch token class of each non-keyword token, by token name. */
const classes: Readonly<Record<string, string | null>> = {
  WhiteSpace: null, // Monarch's own whitespace rule
  Comment: "comment",
  MoneyLiteral: "number.money",
  DateLiteral: "number.date",
  PercentLiteral: "number.percent",
  OrdinalLiteral: "number.ordinal",
  NumberLiteral: "number",
  StringLiteral: "string",
  UnterminatedString: "string.invalid",
  Arrow: "operator.arrow",
  LessEqual: "operator",
  GreaterEqual: "operator",
  NotEqual: "operator",
  Less: "operator",
  Greater: "operator",
  Equals: "operator",
  Plus: "operator",
  Minus: "operator",
  Star: "operator",
  Slash: "operator",
  LParen: "delimiter.parenthesis",
  RParen: "delimiter.parenthesis",
  Comma: "delimiter",
  Colon: "delimiter",
  // categories and names are covered by the word rule below
  Keyword: null,
  SoftKeyword: null,
  NameWord: null,
  Identifier: null,
};

/** The digits of a literal (`1,000.50`), as the lexer writes them. */
const digits = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const functionPatterns: Readonly<Record<string, RegExp>> = {
  MoneyLiteral: new RegExp(String.raw`[-\u2212]?\$` + digits),
  PercentLiteral: new RegExp(String.raw`[-\u2212]?` + digits + "%"),
  NumberLiteral: new RegExp(String.raw`[-\u2212]?` + digits + String.raw`(?![A-Za-z_])`),
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

export function monarchFromTokens(): languages.IMonarchLanguage {
  const keywords = new Set(keywordWords.map((k) => k.word));
  const rules: languages.IMonarchLanguageRule[] = [];
  // Built-in phrases (`member risk score`, `ed visits`) before single words, longest first.
  const phrases = [...builtins.keys()].sort((a, b) => b.length - a.length).map((p) => p.split(" ").map(escape).join(String.raw`\s+`));
  rules.push([new RegExp(String.raw`\b(?:${phrases.join("|")})\b`), "predefined"]);
  // Hyphenated keywords (`half-even`) are not identifiers; match them whole.
  const hyphenated = [...keywords].filter((w) => w.includes("-"));
  if (hyphenated.length) rules.push([new RegExp(String.raw`\b(?:${hyphenated.map(escape).join("|")})\b`), "keyword"]);
  for (const token of allTokens) {
    if (keywordOf(token) !== undefined) continue;
    if (!(token.name in classes)) throw new Error(`monarch: the token ${token.name} has no highlighting class; add it to playground/src/editor/monarch.ts.`);
    const cls = classes[token.name];
    if (cls === null || cls === undefined) continue;
    const pattern = token.PATTERN instanceof RegExp ? token.PATTERN : functionPatterns[token.name];
    if (!pattern) throw new Error(`monarch: the token ${token.name} has a function pattern and no regular expression here.`);
    rules.push([pattern, cls]);
  }
  rules.push([
    /[A-Za-z_][A-Za-z0-9_]*/,
    { cases: { "@hardKeywords": "keyword", "@softKeywords": "keyword.soft", "@default": "identifier" } },
  ]);
  return {
    defaultToken: "invalid",
    hardKeywords: keywordWords.filter((k) => !k.soft).map((k) => k.word),
    softKeywords: keywordWords.filter((k) => k.soft).map((k) => k.word),
    tokenizer: { root: [{ include: "@whitespace" }, ...rules], whitespace: [[/[ \t\r\n\f\v\u00a0\ufeff]+/, "white"]] },
  } as languages.IMonarchLanguage;
}
