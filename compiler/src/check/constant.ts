// CONSTANT FOLDING
//
// Exact evaluation of expressions made only of literals and parameters (at their defaults), for
// the static checks: ranges, tier-row overlaps and gaps, caps below floors. Percentages fold to
// fractions (12% -> 0.12). Anything else folds to `undefined`, and the check is left to run time.

import Decimal from "decimal.js";
import type { Expr } from "../../../grammar/src";

export const Exact = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 30 });
export type Exact = InstanceType<typeof Exact>;

export type Constant = { kind: "number"; value: Exact } | { kind: "text"; value: string } | { kind: "date"; value: string } | { kind: "bool"; value: boolean };

export function fold(expr: Expr, lookup: (name: string) => Expr | undefined, depth = 0): Constant | undefined {
  if (depth > 50) return undefined;
  const num = (e: Expr) => {
    const c = fold(e, lookup, depth + 1);
    return c?.kind === "number" ? c.value : undefined;
  };
  switch (expr.kind) {
    case "Money":
    case "Number":
      return { kind: "number", value: new Exact(expr.text) };
    case "Percent":
      return { kind: "number", value: new Exact(expr.text).div(100) };
    case "String":
      return { kind: "text", value: expr.value };
    case "Date":
      return { kind: "date", value: expr.text };
    case "Bool":
      return { kind: "bool", value: expr.value };
    case "Paren":
      return fold(expr.inner, lookup, depth + 1);
    case "PerMemberMonth":
      return fold(expr.operand, lookup, depth + 1);
    case "Name": {
      const target = lookup(expr.words.join(" "));
      return target ? fold(target, lookup, depth + 1) : undefined;
    }
    case "Unary": {
      if (expr.op !== "-") return undefined;
      const v = num(expr.operand);
      return v ? { kind: "number", value: v.neg() } : undefined;
    }
    case "Binary": {
      const a = num(expr.left);
      const b = num(expr.right);
      if (!a || !b) return undefined;
      switch (expr.op) {
        case "+":
          return { kind: "number", value: a.add(b) };
        case "-":
          return { kind: "number", value: a.sub(b) };
        case "*":
        case "times":
        case "of":
          return { kind: "number", value: a.mul(b) };
        case "/":
          return b.isZero() ? undefined : { kind: "number", value: a.div(b) };
        case "capped at":
          return { kind: "number", value: Exact.min(a, b) };
        case "floored at":
          return { kind: "number", value: Exact.max(a, b) };
        default:
          return undefined;
      }
    }
    case "Call": {
      const values = expr.args.map(num);
      if (values.some((v) => v === undefined) || values.length === 0) return undefined;
      const vs = values as Exact[];
      if (expr.fn === "min") return { kind: "number", value: Exact.min(...vs) };
      if (expr.fn === "max") return { kind: "number", value: Exact.max(...vs) };
      if (vs.length === 3) return { kind: "number", value: Exact.min(Exact.max(vs[0]!, vs[1]!), vs[2]!) };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A constant as the contract would write it, for messages. */
export function show(e: Expr): string {
  switch (e.kind) {
    case "Money":
      return e.text.startsWith("-") ? `-$${e.text.slice(1)}` : `$${e.text}`;
    case "Percent":
      return `${e.text}%`;
    case "Number":
    case "Date":
      return e.text;
    case "Name":
      return e.words.join(" ");
    case "Unary":
      return `-${show(e.operand)}`;
    case "PerMemberMonth":
      return `${show(e.operand)} pmpm`;
    default:
      return "this value";
  }
}
