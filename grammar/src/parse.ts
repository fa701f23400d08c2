// PARSE
//
// Text -> surface AST plus syntax diagnostics. Never throws: lexer errors, unterminated strings,
// recognition errors and impossible dates all become diagnostics whose spans lie inside the text.
// The AST is produced even when there are errors (partial, with `Missing` holes), so the editor
// can still offer symbols and completion.

import { Lexer, type IRecognitionException, type IToken, EOF } from "chevrotain";
import type { ContractAst, Comment } from "./ast";
import { diagnostic, didYouMean, editDistance, type Diagnostic } from "./diagnostics";
import { contractFromCst } from "./fromCst";
import { ruleDescriptions, textEndsEarly } from "./messages";
import { parser } from "./parser";
import * as t from "./tokens";

export const MAX_SOURCE_LENGTH = 10 * 1024 * 1024;
/** Deeper nesting than this (parentheses, `not`, unary minus, operator chains) is refused, not parsed. */
export const MAX_NESTING = 64;

const lexer = new Lexer(t.allTokens, { ensureOptimizations: true, positionTracking: "full" });

export interface ParseResult {
  readonly ast: ContractAst;
  readonly diagnostics: Diagnostic[];
  readonly tokens: IToken[];
}

export function lex(text: string): { tokens: IToken[]; comments: IToken[]; diagnostics: Diagnostic[] } {
  const lexed = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => {
    const end = Math.min(text.length, e.offset + Math.max(1, e.length));
    const shown = JSON.stringify(text.slice(e.offset, end));
    return diagnostic("PCMH0101", { start: e.offset, end }, `I don't know what ${shown} means here.`, {
      hint: "Amounts look like $1,250.00, percentages like 12%, dates like 2026-01-01, text like \"Care plan\"; comments start with #.",
    });
  });
  const tokens: IToken[] = [];
  for (const tok of lexed.tokens) {
    if (tok.tokenType === t.UnterminatedString) {
      diagnostics.push(
        diagnostic("PCMH0102", { start: tok.startOffset, end: tok.startOffset + tok.image.length }, "This text has no closing quote.", {
          hint: 'Close it with " on the same line.',
        }),
      );
      tokens.push({ ...tok, tokenType: t.StringLiteral, tokenTypeIdx: t.StringLiteral.tokenTypeIdx! });
    } else tokens.push(tok);
  }
  return { tokens, comments: (lexed.groups["comments"] ?? []) as IToken[], diagnostics };
}

export function parse(text: string): ParseResult {
  if (text.length > MAX_SOURCE_LENGTH) {
    const diagnostics = [
      diagnostic("PCMH0107", { start: 0, end: 0 }, `This file is ${text.length.toLocaleString("en-US")} characters long; contracts are limited to ${MAX_SOURCE_LENGTH.toLocaleString("en-US")}.`, {
        hint: "Is this the right file?",
      }),
    ];
    return { ast: { kind: "Contract", span: { start: 0, end: text.length }, header: [], decls: [], comments: [] }, diagnostics, tokens: [] };
  }
  const lexed = lex(text);
  const comments: Comment[] = lexed.comments.map((c) => ({ text: c.image, span: { start: c.startOffset, end: c.startOffset + c.image.length } }));
  const tooDeep = deepestNesting(lexed.tokens);
  if (tooDeep) {
    const diagnostics = [
      ...lexed.diagnostics,
      diagnostic("PCMH0108", tooDeep.span, tooDeep.chain ? `This expression chains more than ${MAX_NESTING * 16} operators, which is more than I can read.` : `This expression nests more than ${MAX_NESTING} levels deep, which is more than I can read.`, {
        hint: "Split it into named values.",
      }),
    ];
    return { ast: { kind: "Contract", span: { start: 0, end: text.length }, header: [], decls: [], comments }, diagnostics, tokens: lexed.tokens };
  }
  parser.input = lexed.tokens;
  let cst;
  try {
    cst = parser.contract();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    parser.reset();
    const diagnostics = [...lexed.diagnostics, diagnostic("PCMH0108", { start: 0, end: 0 }, "This contract nests expressions more deeply than I can read.", { hint: "Split deep expressions into named values." })];
    return { ast: { kind: "Contract", span: { start: 0, end: text.length }, header: [], decls: [], comments }, diagnostics, tokens: lexed.tokens };
  }
  const diagnostics = [...lexed.diagnostics, ...recognitionDiagnostics(parser.errors, text, lexed.tokens)];
  const ast = contractFromCst(cst, comments, text.length, diagnostics);
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { ast, diagnostics, tokens: lexed.tokens };
}

/** Declarations whose name comes right after their keyword. */
const declarers = [t.Parameter, t.Value, t.Table, t.Scorecard, t.Measure, t.Set];
/** Keywords that start a declaration (or a measure), and so take over when they follow a name. */
const declarationStarts = new Set([t.Parameter, t.Value, t.Table, t.Panel, t.Attribution, t.Fee, t.Visit, t.Care, t.Monthly, t.Incentive, t.Shared, t.Adjustment, t.Withhold, t.Scorecard, t.Measure, t.Amendment]);

function recognitionDiagnostics(errors: IRecognitionException[], text: string, tokens: IToken[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keywordNames = new Set<IToken>();
  for (const e of errors) {
    const index = indexOfToken(tokens, e.token);
    // `parameter value = 50%`: `value` is reported as a keyword that can't be a name; the `=` that
    // then can't follow `value` is the same mistake.
    if (index > 0 && keywordNames.has(tokens[index - 1]!)) continue;
    const d = recognitionDiagnostic(e, text, tokens, index);
    if (keywordAsName(e)) keywordNames.add(e.token);
    out.push(d);
  }
  return out;
}

/** `tokens.indexOf(tok)` by binary search on the offset (tokens are in text order): -1 for EOF and for tokens inserted by recovery. */
function indexOfToken(tokens: IToken[], tok: IToken): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = tokens[mid]!.startOffset;
    if (at < tok.startOffset) low = mid + 1;
    else if (at > tok.startOffset) high = mid - 1;
    else return tokens[mid] === tok ? mid : -1;
  }
  return -1;
}

function recognitionDiagnostic(e: IRecognitionException, text: string, tokens: IToken[], tokenIndex: number): Diagnostic {
  const tok = e.token;
  const atEnd = tok.tokenType === EOF || Number.isNaN(tok.startOffset);
  const last = tokens[tokens.length - 1];
  const endOffset = last ? last.startOffset + last.image.length : text.length;
  const span = atEnd ? { start: Math.min(endOffset, text.length), end: Math.min(endOffset, text.length) } : { start: tok.startOffset, end: tok.startOffset + tok.image.length };
  const described = [...e.context.ruleStack].reverse().find((rule) => ruleDescriptions[rule] !== undefined);
  // A token missing at the end names itself (`months`, `)`, a quoted title); a missing choice names its rule.
  const message = atEnd ? (e.message.startsWith(textEndsEarly) ? e.message : `${textEndsEarly} ${ruleDescriptions[described ?? "decl"]} next.`) : e.message;
  const index = atEnd ? -1 : tokenIndex;
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const declarer = index > 1 ? tokens[index - 2]!.tokenType : undefined;
  const declares = declarer !== undefined && declarers.includes(declarer);
  // A word that starts a line is not the second word of a name on the line before: it is a line
  // (an option, a term) that means nothing here, perhaps a misspelt keyword.
  if (previous && tok.startLine !== previous.startLine && tok.tokenType === t.Identifier) {
    // A keyword with the same stem first (`rounded` for `rounding`), else the nearest spelling.
    const words = t.keywordWords.map((k) => k.word);
    const stem = tok.image.toLowerCase().slice(0, 4);
    const sameStem = stem.length === 4 ? words.filter((w) => w.startsWith(stem)) : [];
    const suggestion = sameStem.length > 0 ? sameStem.sort((a, b) => editDistance(tok.image, a) - editDistance(tok.image, b))[0] : didYouMean(tok.image, words);
    return diagnostic("PCMH0103", span, `I didn't expect \`${tok.image}\` to start a line here.`, suggestion ? { hint: `Did you mean \`${suggestion}\`?` } : hintFor(e, tok));
  }
  if (previous && previous.tokenType.CATEGORIES?.includes(t.NameWord) && (tok.tokenType.CATEGORIES?.includes(t.NameWord) || declares) && /^[A-Za-z_]\w*$/.test(tok.image))
    return oneWord(previous, tok);
  // `parameter base fee = $25`: `fee` starts a declaration of its own, which then fails at `=`.
  const name = index > 2 ? tokens[index - 2]! : undefined;
  if (
    previous &&
    name &&
    declarationStarts.has(previous.tokenType) &&
    name.tokenType.CATEGORIES?.includes(t.NameWord) &&
    declarers.includes(tokens[index - 3]!.tokenType) &&
    /^[A-Za-z_]\w*$/.test(previous.image) &&
    name.startLine === previous.startLine &&
    previous.startLine === tok.startLine
  )
    return oneWord(name, previous);
  return diagnostic(atEnd ? "PCMH0104" : "PCMH0103", span, message, hintFor(e, tok));
}

function oneWord(first: IToken, second: IToken): Diagnostic {
  const span = { start: second.startOffset, end: second.startOffset + second.image.length };
  const keyword = second.tokenType.CATEGORIES?.includes(t.Keyword) ? ` (\`${second.image}\` is a keyword)` : "";
  return diagnostic("PCMH0103", span, `I expected one word for this name, but found \`${first.image} ${second.image}\`${keyword}.`, {
    hint: `Declared names are one word: write \`${first.image}_${second.image}\`.`,
  });
}

/** A keyword where a name was expected, such as `parameter value = 50%`. */
function keywordAsName(e: IRecognitionException): boolean {
  return e.token.tokenType.CATEGORIES?.includes(t.Keyword) === true && e.name !== "NotAllInputParsedException" && /name/.test(e.message);
}

function hintFor(e: IRecognitionException, tok: IToken): { hint?: string } {
  if (keywordAsName(e))
    return { hint: `\`${tok.image}\` is a keyword, so it can't be a name; try ${tok.image}_ or a different word.` };
  if ((tok.tokenType === t.PercentLiteral || tok.tokenType === t.MoneyLiteral || tok.tokenType === t.NumberLiteral) && /^[-\u2212]/.test(tok.image))
    return { hint: `A minus sign that touches a number starts a negative number. To subtract, put a space after it: \`- ${tok.image.slice(1)}\`.` };
  return {};
}


/**
 * The first token past the nesting limit, counting open parentheses, prefix `not`/`-`, and
 * infix operators in a row (each deepens the tree the later phases walk recursively).
 */
function deepestNesting(tokens: IToken[]): { span: { start: number; end: number }; chain: boolean } | undefined {
  let parens = 0;
  let prefix = 0;
  let chain = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const type = tok.tokenType;
    if (type === t.LParen) parens++;
    else if (type === t.RParen) parens = Math.max(0, parens - 1);
    if (type === t.Not || type === t.Minus) prefix++;
    else if (type !== t.LParen) prefix = 0;
    if (infix.has(type)) chain++;
    else if (type.CATEGORIES?.includes(t.Keyword) && !expressionWords.has(type)) chain = 0;
    if (parens > MAX_NESTING || prefix > MAX_NESTING || chain > MAX_NESTING * 16)
      return { span: { start: tok.startOffset, end: tok.startOffset + tok.image.length }, chain: chain > MAX_NESTING * 16 };
  }
  return undefined;
}

/** Operators, prefix and postfix: each one deepens the tree the later phases walk. */
const infix = new Set([t.Plus, t.Minus, t.Star, t.Slash, t.Times, t.Of, t.And, t.Or, t.Capped, t.Floored, t.Grown, t.Pmpm, t.Per, t.Adjusted, t.Equals, t.Less, t.LessEqual, t.Greater, t.GreaterEqual, t.NotEqual, t.At]);
/** Keywords that occur inside expressions, so do not end an operator chain. */
const expressionWords = new Set([...infix, t.Not, t.If, t.Then, t.Else, t.True, t.False, t.Min, t.Max, t.Clamp, t.Least, t.Most, t.By, t.Benchmark, t.Savings, t.Rate]);
