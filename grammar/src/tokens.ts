// TOKENS
//
// Every token of the contract language, in lexer priority order. Keywords carry the `Keyword`
// category (hard keywords: never part of a name) or `SoftKeyword` (words the grammar uses in fixed
// places that may also appear inside multi-word names such as `member risk score`). `NameWord`
// covers identifiers and soft keywords; a name is one or more name words. The Monaco highlighter
// and completion lists derive from these definitions, so there is one list of words.

import { createToken, Lexer, type TokenType } from "chevrotain";

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA });
export const SoftKeyword = createToken({ name: "SoftKeyword", pattern: Lexer.NA });
export const NameWord = createToken({ name: "NameWord", pattern: Lexer.NA });
Identifier.CATEGORIES = [NameWord];

const words = new Map<string, TokenType>();
const wordOf = new Map<TokenType, string>();

/**
 * A keyword token: its exact spelling, unless a longer identifier starts with it (`payer` is a
 * keyword, `payers` a name). Matched with `startsWith` rather than a regular expression: the
 * lexer tries every keyword that begins with the next character, so this is its hottest test.
 */
function keyword(word: string, options: { soft?: boolean; name?: string } = {}): TokenType {
  const name = options.name ?? word.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  const image: [string] = [word];
  const token = createToken({
    name,
    pattern: { exec: (text: string, offset: number) => (text.startsWith(word, offset) ? image : null) },
    start_chars_hint: [word[0]!],
    line_breaks: false,
    longer_alt: Identifier,
    categories: options.soft ? [SoftKeyword, NameWord] : [Keyword],
  });
  words.set(word, token);
  wordOf.set(token, word);
  return token;
}

// HEADER
export const Contract = keyword("contract");
export const Version = keyword("version");
export const Payer = keyword("payer");
export const Community = keyword("community");
export const Care = keyword("care");
export const Team = keyword("team", { soft: true });
export const Term = keyword("term");
export const To = keyword("to");
export const Fees = keyword("fees");
export const Paid = keyword("paid");
export const Settled = keyword("settled");
export const Monthly = keyword("monthly");
export const Quarterly = keyword("quarterly");
export const Annually = keyword("annually");
export const Currency = keyword("currency");
export const Rounding = keyword("rounding");
export const Cents = keyword("cents");
export const Dollars = keyword("dollars");
export const HalfEven = keyword("half-even");
export const HalfUp = keyword("half-up");
export const HalfDown = keyword("half-down");
export const Up = keyword("up");
export const Down = keyword("down");

// DECLARATIONS
export const Parameter = keyword("parameter");
export const Range = keyword("range");
export const Cite = keyword("cite");
export const Effective = keyword("effective");
export const Value = keyword("value");
export const Table = keyword("table");
export const Panel = keyword("panel");
export const Virtual = keyword("virtual");
export const Attribution = keyword("attribution");
export const Plurality = keyword("plurality");
export const Over = keyword("over");
export const Tie = keyword("tie");
export const Breaker = keyword("breaker");
export const Designation = keyword("designation");
export const Roster = keyword("roster");
export const Fee = keyword("fee");
export const Enhancement = keyword("enhancement");
export const Visit = keyword("visit");
export const Management = keyword("management");
export const Pmpm = keyword("pmpm");
export const Incentive = keyword("incentive");
export const Shared = keyword("shared");
export const Savings = keyword("savings");
export const Losses = keyword("losses");
export const Adjustment = keyword("adjustment");
export const Withhold = keyword("withhold");
export const Scorecard = keyword("scorecard");
export const Measure = keyword("measure");
export const Amendment = keyword("amendment");
export const Overrides = keyword("overrides");
export const Set = keyword("set");

// CLAUSE ITEMS
export const Pay = keyword("pay");
export const Measured = keyword("measured");
export const Allocated = keyword("allocated");
export const Eligible = keyword("eligible");
export const For = keyword("for");
export const In = keyword("in");
export const Advance = keyword("advance");
export const Earned = keyword("earned");
export const Bounded = keyword("bounded");
export const Returned = keyword("returned");
export const Weight = keyword("weight");
export const Higher = keyword("higher");
export const Lower = keyword("lower");
export const Is = keyword("is");
export const Better = keyword("better");
export const Benchmark = keyword("benchmark");
export const Expenditure = keyword("expenditure");
export const Truncate = keyword("truncate");
export const Stop = keyword("stop");
export const Loss = keyword("loss");
export const Minimum = keyword("minimum");
export const Rate = keyword("rate");
export const Share = keyword("share");
export const From = keyword("from");
export const Dollar = keyword("dollar");
export const Cap = keyword("cap");
export const Limit = keyword("limit");
export const Corridor = keyword("corridor");
export const Reduce = keyword("reduce");
export const Gate = keyword("gate");
export const Denominator = keyword("denominator");
export const Points = keyword("points");
export const Linear = keyword("linear");
export const Target = keyword("target");
export const Percentile = keyword("percentile");
export const Decile = keyword("decile");
export const Codes = keyword("codes");
export const On = keyword("on");
export const Covering = keyword("covering");
export const Above = keyword("above");
export const Below = keyword("below");
export const By = keyword("by");
export const Hit = keyword("hit");
export const Policy = keyword("policy");
export const Unique = keyword("unique");
export const First = keyword("first");
export const Interpolated = keyword("interpolated");
export const When = keyword("when");
export const Otherwise = keyword("otherwise");

// EXPRESSIONS
export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not");
export const If = keyword("if");
export const Then = keyword("then");
export const Else = keyword("else");
export const Of = keyword("of");
export const Times = keyword("times");
export const Per = keyword("per");
export const Capped = keyword("capped");
export const Floored = keyword("floored");
export const At = keyword("at");
export const Least = keyword("least");
export const Most = keyword("most");
export const Grown = keyword("grown");
export const Adjusted = keyword("adjusted");
export const True = keyword("true");
export const False = keyword("false");
export const Min = keyword("min");
export const Max = keyword("max");
export const Clamp = keyword("clamp");

// SOFT KEYWORDS: fixed words in some places, ordinary name words elsewhere
export const Member = keyword("member", { soft: true });
export const Members = keyword("members", { soft: true });
export const Month = keyword("month", { soft: true });
export const Months = keyword("months", { soft: true });
export const Risk = keyword("risk", { soft: true });
export const Practice = keyword("practice", { soft: true });
export const Practices = keyword("practices", { soft: true });
export const Physician = keyword("physician", { soft: true });
export const Physicians = keyword("physicians", { soft: true });
export const Panels = keyword("panels", { soft: true });
export const Teams = keyword("teams", { soft: true });
export const Each = keyword("each", { soft: true });
export const Equal = keyword("equal", { soft: true });
export const Shares = keyword("shares", { soft: true });
export const Claims = keyword("claims", { soft: true });
export const Costs = keyword("costs", { soft: true });
export const Net = keyword("net", { soft: true });
export const Recouped = keyword("recouped", { soft: true });

// LITERALS
// A literal may carry a leading minus when the minus is not an infix operator, i.e. when it follows
// whitespace, `(`, `,` or the start of the text and touches the digits: `-5%`, `−$1,000`, `-0.5`.
// `a - 5%` and `a-5%` stay subtractions; this is what lets a table row begin with a negative bound.
const digits = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;

function signedLiteral(name: string, body: string, hint: string[]): TokenType {
  const sticky = new RegExp(String.raw`[-\u2212]?` + body, "y");
  return createToken({
    name,
    pattern: {
      exec(text: string, offset: number) {
        const first = text[offset];
        if (first === "-" || first === "\u2212") {
          const before = offset === 0 ? " " : text[offset - 1]!;
          if (!/[\s(,]/.test(before)) return null;
        }
        sticky.lastIndex = offset;
        return sticky.exec(text);
      },
    },
    start_chars_hint: ["-", "\u2212", ...hint],
    line_breaks: false,
  });
}

const digitChars = [..."0123456789"];
export const MoneyLiteral = signedLiteral("MoneyLiteral", String.raw`\$` + digits, ["$"]);
export const DateLiteral = createToken({ name: "DateLiteral", pattern: /\d{4}-\d{2}-\d{2}/ });
export const PercentLiteral = signedLiteral("PercentLiteral", digits + "%", digitChars);
export const OrdinalLiteral = createToken({ name: "OrdinalLiteral", pattern: /\d+(?:st|nd|rd|th)/ });
export const NumberLiteral = signedLiteral("NumberLiteral", digits + String.raw`(?![A-Za-z_])`, digitChars);
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\r\n\u2028\u2029]|\\.)*"/ });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\r\n\u2028\u2029]|\\.)*/ });

// PUNCTUATION AND OPERATORS
export const Arrow = createToken({ name: "Arrow", pattern: /->|→/ });
export const LessEqual = createToken({ name: "LessEqual", pattern: /<=|≤/ });
export const GreaterEqual = createToken({ name: "GreaterEqual", pattern: />=|≥/ });
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=|≠/ });
export const Less = createToken({ name: "Less", pattern: /</ });
export const Greater = createToken({ name: "Greater", pattern: />/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Minus = createToken({ name: "Minus", pattern: /-|−/ });
export const Star = createToken({ name: "Star", pattern: /\*|×/ });
export const Slash = createToken({ name: "Slash", pattern: /\// });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });

// TRIVIA
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\u2028\u2029\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n\u2028\u2029]*/, group: "comments" });

const keywordTokens = [...words.values()];

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  MoneyLiteral,
  DateLiteral,
  PercentLiteral,
  OrdinalLiteral,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  Arrow,
  LessEqual,
  GreaterEqual,
  NotEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  Comma,
  Colon,
  // longer words first so that no keyword is a prefix of a later one
  ...keywordTokens.sort((a, b) => wordOf.get(b)!.length - wordOf.get(a)!.length),
  Keyword,
  SoftKeyword,
  NameWord,
  Identifier,
];

/** Every keyword spelling, hard and soft, for completion and highlighting. */
export const keywordWords: ReadonlyArray<{ word: string; soft: boolean }> = [...words.entries()].map(([word, token]) => ({
  word,
  soft: (token.CATEGORIES ?? []).includes(SoftKeyword),
}));

export const keywordByWord: ReadonlyMap<string, TokenType> = words;

/** The spelling of a keyword token; undefined for every other token. */
export function keywordOf(type: TokenType): string | undefined {
  return wordOf.get(type);
}
