// SYNTAX MESSAGES
//
// Plain-word messages for recognition errors ("I expected an amount like $12.50 here, but found
// `x`."), replacing chevrotain's token-type names. Handed to the parser at construction.

import { EOF, defaultParserErrorProvider, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as t from "./tokens";


const literalDescriptions: Record<string, string> = {
  MoneyLiteral: "an amount like $12.50",
  PercentLiteral: "a percentage like 12%",
  NumberLiteral: "a number",
  DateLiteral: "a date like 2026-01-01",
  OrdinalLiteral: "a percentile like 90th",
  StringLiteral: 'quoted text like "Care coordination"',
  NameWord: "a name",
  Identifier: "a name",
  Arrow: "`->`",
  LParen: "`(`",
  RParen: "`)`",
  Comma: "`,`",
  Colon: "`:`",
  Equals: "`=`",
  Minus: "`-`",
};

export function describeTokenType(type: TokenType): string {
  if (type === EOF) return "the end of the file";
  const described = literalDescriptions[type.name];
  if (described) return described;
  const word = t.keywordOf(type);
  if (word !== undefined) return `\`${word}\``;
  const pattern = type.PATTERN;
  if (pattern instanceof RegExp) return `\`${pattern.source.replace(/\\/g, "")}\``;
  return type.name;
}

/** Declarations whose quoted text is a clause's (or an amendment's) title, or the title of the clause they apply to. */
const titled: Record<string, string> = {
  claimFeeDecl: 'a clause title in quotes (like "E&M uplift")',
  pmpmFeeDecl: 'a clause title in quotes (like "Care coordination")',
  incentiveDecl: 'a clause title in quotes (like "Quality bonus")',
  sharedSavingsDecl: 'a clause title in quotes (like "Shared savings")',
  adjustmentDecl: 'a clause title in quotes (like "Care coordination")',
  withholdDecl: 'a clause title in quotes (like "Care coordination")',
  amendmentDecl: 'an amendment title in quotes (like "Amendment 1")',
  payerItem: 'the payer\'s name in quotes (like "Acme Health")',
  careTeamItem: 'the team\'s name in quotes (like "North CCT")',
};

/** What a missing token is, in the words of the place it is missing from. */
export function describeExpected(expected: TokenType, ruleName: string, previous: IToken | undefined): string {
  if (expected === t.StringLiteral) {
    if (ruleName === "contract") return previous?.tokenType === t.Version ? 'the version in quotes (like "2026.1")' : 'the contract\'s title in quotes (like "Regional PCMH")';
    if (ruleName === "atom" && previous?.tokenType === t.Of) return 'a quality measure ID in quotes (like "BCS")';
    const title = titled[ruleName];
    if (title) return title;
  }
  return describeTokenType(expected);
}

export function describeFound(tok: IToken): string {
  if (tok.tokenType === EOF) return "the end of the file";
  if (tok.tokenType.CATEGORIES?.includes(t.Keyword)) return `the keyword \`${tok.image}\``;
  return `\`${tok.image.length > 30 ? tok.image.slice(0, 30) + "…" : tok.image}\``;
}

function listOf(items: string[]): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, 8);
  const more = unique.length > shown.length ? `, or another of ${unique.length - shown.length} more` : "";
  if (shown.length <= 1) return shown.join("") + more;
  return `${shown.slice(0, -1).join(", ")}${more ? "" : " or"} ${shown[shown.length - 1]}${more}`;
}

/** The start of every message about a file that ends in the middle of something. */
export const textEndsEarly = "The text ends too early: I expected";

export const ruleDescriptions: Record<string, string> = {
  expr: "a value or expression",
  andExpr: "a value or expression",
  notExpr: "a value or expression",
  comparison: "a value or expression",
  bounded: "a value or expression",
  additive: "a value or expression",
  multiplicative: "a value or expression",
  unary: "a value or expression",
  postfix: "a value or expression",
  atom: "a value or name",
  bound: "a bound: a number, amount, percentage or name",
  frequency: "`monthly`, `quarterly` or `annually`",
  level: "`member`, `physician`, `practice`, `panel`, `payer` or `contract`",
  recipient: "`practices`, `physicians`, `panels` or `community care teams`",
  codeList: "a list of billing codes like 99202-99215, G0402",
  citation: 'a citation like cite "§3.1"',
  decl: "a declaration (parameter, value, table, panel, attribution, a fee, incentive, shared savings, adjustment, withhold, scorecard or amendment)",
  tableRow: "a tier row like `below 1.0 -> $6.00 pmpm`",
  name: "a name (one word, like share_rate)",
  reference: "a name",
  phrase: "a phrase",
};

// ERROR MESSAGE PROVIDER: plain words instead of token-type names

export const errorMessageProvider: IParserErrorMessageProvider = {
  ...defaultParserErrorProvider,
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected === EOF) return `I don't know what to do with ${describeFound(actual)} here. I expected ${ruleDescriptions["decl"]}.`;
    const what = describeExpected(expected, ruleName, previous);
    if (actual.tokenType === EOF) return `${textEndsEarly} ${what} next.`;
    return `I expected ${what} here, but found ${describeFound(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `I don't know what to do with ${describeFound(firstRedundant)} here. I expected ${ruleDescriptions["decl"]}.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeTokenType(path[0]) : ""))).filter(Boolean);
    const what = ruleDescriptions[ruleName];
    return `I expected ${what ?? listOf(firsts)} here, but found ${describeFound(actual[0]!)}.${what && firsts.length <= 8 ? ` (One of: ${listOf(firsts)}.)` : ""}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((path) => (path[0] ? describeTokenType(path[0]) : "")).filter(Boolean);
    return `I expected ${ruleDescriptions[ruleName] ?? listOf(firsts)} here, but found ${describeFound(actual[0]!)}.`;
  },
};
