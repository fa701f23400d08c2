// The syntax layer's public surface: parse text to a surface AST with diagnostics.
export * from "./ast";
export * from "./diagnostics";
export { parse, lex, MAX_SOURCE_LENGTH, type ParseResult } from "./parse";
export { describeTokenType } from "./messages";
export { keywordWords } from "./tokens";
export { print, printExpr } from "./print";
export { format, type FormatResult } from "./format";
export { suggestNext, type NextToken } from "./assist";
export * as tokens from "./tokens";
