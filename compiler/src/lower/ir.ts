// IR: THE LOWERED CONTRACT
//
// `ProgramOf<IrExpr>`: the checked contract with every name resolved to what it denotes
// (parameter, value, table, built-in quantity, …), every literal an exact decimal string
// (percentages as fractions: 12% is "0.12"), and syntax sugar gone (`pmpm` is a unit annotation,
// `capped at` is `min`). Expressions are plain data with a one-letter tag `k`, which is how the
// interpreter and the emitter tell them from the clause data around them. Nodes that can fail at
// settlement keep their source text for the message.

import type { ProgramOf } from "../../../runtime/src/program";

export type IrExpr =
  | { k: "num"; v: string }
  | { k: "text"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "param"; name: string }
  | { k: "value"; name: string }
  | { k: "table"; name: string }
  | { k: "builtin"; name: string }
  | { k: "quality"; measure: string }
  | { k: "scorecard"; name: string }
  | { k: "measure"; name: string }
  | { k: "savings"; name: "benchmark" | "savings" | "savings rate" }
  | { k: "neg"; x: IrExpr }
  | { k: "not"; x: IrExpr }
  | { k: "add" | "sub" | "mul" | "min2" | "max2" | "and" | "or" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"; a: IrExpr; b: IrExpr }
  | { k: "div"; a: IrExpr; b: IrExpr; text: string }
  | { k: "min" | "max"; args: IrExpr[] }
  | { k: "clamp"; x: IrExpr; lo: IrExpr; hi: IrExpr }
  | { k: "if"; c: IrExpr; t: IrExpr; e: IrExpr }
  | { k: "grown"; x: IrExpr; p: IrExpr }
  | { k: "risk"; x: IrExpr; text: string }
  | { k: "perN"; x: IrExpr; n: string; text: string };

export type ProgramIr = ProgramOf<IrExpr>;

export function isIrExpr(x: unknown): x is IrExpr {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as { k?: unknown }).k === "string";
}
