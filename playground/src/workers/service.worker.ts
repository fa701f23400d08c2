// THE LANGUAGE SERVICE, OFF THE MAIN THREAD
//
// Diagnostics, completion, hover, definition, symbols and formatting from the compiler's language
// service, plus what the page needs from a contract that compiles: its parameters (for the
// sliders), its metadata and its clauses. The service caches the last text it checked, so a hover
// right after a diagnostics run costs nothing.

import { compile } from "../../../compiler/src";
import * as service from "../../../compiler/src/service";
import type { Diagnostic } from "../../../grammar/src";
import type { ParameterSpec } from "../../../runtime/src/program";
import { serve } from "../lib/rpc";

export interface ContractInfo {
  readonly title: string;
  readonly version: string;
  readonly parameters: readonly ParameterSpec[];
  readonly clauses: readonly string[];
}

export interface Analysis {
  readonly diagnostics: Diagnostic[];
  /** Present when the contract compiles (no errors). */
  readonly contract?: ContractInfo;
  /** Time the worker took to check the text. */
  readonly ms: number;
}

const api = {
  /** Diagnostics alone, as fast as they come: the markers wait for nothing else. */
  diagnostics(text: string): { diagnostics: Diagnostic[]; ms: number } {
    const started = performance.now();
    const diagnostics = service.diagnostics(text);
    return { diagnostics, ms: performance.now() - started };
  },
  /** What the page shows of a contract that compiles; undefined when it has errors. */
  contractInfo(text: string): ContractInfo | undefined {
    const compiled = compile(text);
    if (!compiled.ok) return undefined;
    const { ir } = compiled;
    return {
      title: ir.meta.title,
      version: ir.meta.version,
      parameters: ir.parameters,
      clauses: ir.clauses.map((c) => c.title),
    };
  },
  complete: (text: string, offset: number) => service.complete(text, offset),
  hover: (text: string, offset: number) => service.hover(text, offset),
  definition: (text: string, offset: number) => service.definition(text, offset),
  symbols: (text: string) => service.documentSymbols(text),
  format: (text: string) => service.format(text),
};

export type ServiceApi = typeof api;

serve(api);
