// CHECKED CONTRACT
//
// The output of checking: the surface AST plus what the checker learned about it. Every name is
// resolved to a symbol, every expression that type-checked has a unit and a level, and the
// definitions come in dependency order (no cycles). Lowering (issue: compile and settle) starts
// from this, and the language service answers hover and go-to-definition from it.

import type { ContractAst, Decl, Expr, MeasureDecl, PaymentClause, Span, Unit } from "../../../grammar/src";
import type { Level } from "./builtins";

export type SymbolKind = "parameter" | "value" | "table" | "measure" | "scorecard" | "builtin" | "savings";

export interface ContractSymbol {
  readonly kind: SymbolKind;
  readonly name: string;
  /** Where the name is declared; absent for built-ins. */
  readonly span?: Span;
  readonly decl?: Decl | MeasureDecl;
  unit?: Unit;
  level: Level;
  readonly doc?: string;
  readonly cite?: string;
}

export interface Reference {
  readonly span: Span;
  readonly symbol: ContractSymbol;
}

export interface CheckedContract {
  readonly ast: ContractAst;
  readonly symbols: ReadonlyMap<string, ContractSymbol>;
  readonly references: readonly Reference[];
  readonly unitOf: ReadonlyMap<Expr, Unit>;
  readonly clauses: ReadonlyMap<string, PaymentClause>;
  /** Parameters, values, tables, measures and scorecards, each after everything it reads. */
  readonly order: readonly string[];
}
