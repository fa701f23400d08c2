// CONTENT ASSIST: which tokens may come next after a prefix of tokens, for completion.
import type { IToken, TokenType } from "chevrotain";
import { parser } from "./parser";

export interface NextToken {
  readonly type: TokenType;
  readonly ruleStack: readonly string[];
}

export function suggestNext(before: IToken[]): NextToken[] {
  try {
    return parser.computeContentAssist("contract", before).map((s) => ({ type: s.nextTokenType, ruleStack: s.ruleStack }));
  } catch {
    return [];
  }
}
