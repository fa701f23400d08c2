// INTERPRET: IR -> PROGRAM
//
// The reference interpreter. Every IR expression becomes an evaluator that walks the expression
// tree at settlement time; the clause data passes through unchanged. The engine then settles the
// program exactly as it settles a compiled module's, so the two can differ only in expression
// evaluation, which is what the differential tests compare.

import * as ops from "../../../runtime/src/ops";
import { Dec } from "../../../runtime/src/money";
import type { Env, Evaluator, Program, Value } from "../../../runtime/src/program";
import { isIrExpr, type IrExpr, type ProgramIr } from "../lower/ir";

export function evaluate(e: IrExpr, env: Env): Value {
  const ev = (x: IrExpr) => evaluate(x, env);
  switch (e.k) {
    case "num":
      return new Dec(e.v);
    case "text":
      return e.v;
    case "bool":
      return e.v;
    case "param":
      return env.param(e.name);
    case "value":
      return env.value(e.name);
    case "table":
      return env.table(e.name);
    case "builtin":
      return env.builtin(e.name);
    case "quality":
      return env.quality(e.measure);
    case "scorecard":
      return env.scorecard(e.name);
    case "measure":
      return env.measure(e.name);
    case "savings":
      return env.savings(e.name);
    case "neg":
      return ops.neg(ev(e.x));
    case "not":
      return ev(e.x) !== true;
    case "add":
      return ops.add(ev(e.a), ev(e.b));
    case "sub":
      return ops.sub(ev(e.a), ev(e.b));
    case "mul":
      return ops.mul(ev(e.a), ev(e.b));
    case "div":
      return ops.div(env, ev(e.a), ev(e.b), e.text);
    case "min2":
      return ops.min(ev(e.a), ev(e.b));
    case "max2":
      return ops.max(ev(e.a), ev(e.b));
    case "and":
      return ev(e.a) === true && ev(e.b) === true;
    case "or":
      return ev(e.a) === true || ev(e.b) === true;
    case "eq":
      return ops.eq(ev(e.a), ev(e.b));
    case "ne":
      return ops.ne(ev(e.a), ev(e.b));
    case "lt":
      return ops.lt(ev(e.a), ev(e.b));
    case "le":
      return ops.le(ev(e.a), ev(e.b));
    case "gt":
      return ops.gt(ev(e.a), ev(e.b));
    case "ge":
      return ops.ge(ev(e.a), ev(e.b));
    case "min":
      return ops.min(...e.args.map(ev));
    case "max":
      return ops.max(...e.args.map(ev));
    case "clamp":
      return ops.clamp(ev(e.x), ev(e.lo), ev(e.hi));
    case "if":
      return ev(e.c) === true ? ev(e.t) : ev(e.e);
    case "grown":
      return ops.grown(ev(e.x), ev(e.p));
    case "risk":
      return ops.riskAdjusted(env, ev(e.x), e.text);
    case "perN":
      return ops.perN(env, ev(e.x), e.n, e.text);
  }
}

/** Replaces every IR expression in the program with an evaluator over it. */
export function interpret(ir: ProgramIr): Program {
  const map = (x: unknown): unknown => {
    if (isIrExpr(x)) {
      const expr = x;
      const evaluator: Evaluator = (env) => evaluate(expr, env);
      return evaluator;
    }
    if (Array.isArray(x)) return x.map(map);
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, map(v)]));
    return x;
  };
  return map(ir) as Program;
}
