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
      return ops.neg(evaluate(e.x, env));
    case "not":
      return evaluate(e.x, env) !== true;
    case "add":
      return ops.add(evaluate(e.a, env), evaluate(e.b, env));
    case "sub":
      return ops.sub(evaluate(e.a, env), evaluate(e.b, env));
    case "mul":
      return ops.mul(evaluate(e.a, env), evaluate(e.b, env));
    case "div":
      return ops.div(env, evaluate(e.a, env), evaluate(e.b, env), e.text);
    case "min2":
      return ops.min(evaluate(e.a, env), evaluate(e.b, env));
    case "max2":
      return ops.max(evaluate(e.a, env), evaluate(e.b, env));
    case "and":
      return evaluate(e.a, env) === true && evaluate(e.b, env) === true;
    case "or":
      return evaluate(e.a, env) === true || evaluate(e.b, env) === true;
    case "eq":
      return ops.eq(evaluate(e.a, env), evaluate(e.b, env));
    case "ne":
      return ops.ne(evaluate(e.a, env), evaluate(e.b, env));
    case "lt":
      return ops.lt(evaluate(e.a, env), evaluate(e.b, env));
    case "le":
      return ops.le(evaluate(e.a, env), evaluate(e.b, env));
    case "gt":
      return ops.gt(evaluate(e.a, env), evaluate(e.b, env));
    case "ge":
      return ops.ge(evaluate(e.a, env), evaluate(e.b, env));
    case "min":
      return ops.min(...e.args.map((a) => evaluate(a, env)));
    case "max":
      return ops.max(...e.args.map((a) => evaluate(a, env)));
    case "clamp":
      return ops.clamp(evaluate(e.x, env), evaluate(e.lo, env), evaluate(e.hi, env));
    case "if":
      return evaluate(e.c, env) === true ? evaluate(e.t, env) : evaluate(e.e, env);
    case "grown":
      return ops.grown(evaluate(e.x, env), evaluate(e.p, env));
    case "risk":
      return ops.riskAdjusted(env, evaluate(e.x, env), e.text);
    case "perN":
      return ops.perN(env, evaluate(e.x, env), e.n, e.text);
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
