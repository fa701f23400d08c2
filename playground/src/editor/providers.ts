// MONACO PROVIDERS OVER THE LANGUAGE SERVICE WORKER
//
// Completion, hover, definition, document symbols and formatting ask the worker with the model's
// current text; offsets are UTF-16 on both sides, so conversion is Monaco's own
// getOffsetAt/getPositionAt. Registered once per page; the returned disposable removes them all.

import type { Diagnostic } from "../../../grammar/src";
import type { DocumentSymbol } from "../../../compiler/src/service";
import type { WorkerClient } from "../lib/rpc";
import type { ServiceApi } from "../workers/service.worker";
import { LANGUAGE_ID, monaco } from "./monaco";

type Model = monaco.editor.ITextModel;

export function rangeOf(model: Model, span: { start: number; end: number }): monaco.IRange {
  const start = model.getPositionAt(span.start);
  const end = model.getPositionAt(Math.max(span.end, span.start));
  return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
}

/** Markers for diagnostics; an empty span is widened to the character it points at. */
export function markersOf(model: Model, diagnostics: readonly Diagnostic[]): monaco.editor.IMarkerData[] {
  return diagnostics.map((d) => {
    const end = d.span.end > d.span.start ? d.span.end : Math.min(model.getValueLength(), d.span.start + 1);
    const range = rangeOf(model, { start: d.span.start, end });
    return {
      ...range,
      severity: d.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: d.hint ? `${d.message}\n${d.hint}` : d.message,
      code: d.code,
      source: "pcmh",
      relatedInformation: d.labels.map((l) => ({ resource: model.uri, message: l.message, ...rangeOf(model, l.span) })),
    };
  });
}

const completionKinds = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  parameter: monaco.languages.CompletionItemKind.Variable,
  value: monaco.languages.CompletionItemKind.Constant,
  table: monaco.languages.CompletionItemKind.Struct,
  measure: monaco.languages.CompletionItemKind.Field,
  scorecard: monaco.languages.CompletionItemKind.Module,
  builtin: monaco.languages.CompletionItemKind.Property,
  clause: monaco.languages.CompletionItemKind.Reference,
} as const;

const symbolKinds: Record<DocumentSymbol["kind"], monaco.languages.SymbolKind> = {
  contract: monaco.languages.SymbolKind.Module,
  parameter: monaco.languages.SymbolKind.Variable,
  value: monaco.languages.SymbolKind.Constant,
  table: monaco.languages.SymbolKind.Struct,
  panel: monaco.languages.SymbolKind.Namespace,
  attribution: monaco.languages.SymbolKind.Event,
  clause: monaco.languages.SymbolKind.Function,
  scorecard: monaco.languages.SymbolKind.Class,
  measure: monaco.languages.SymbolKind.Field,
  amendment: monaco.languages.SymbolKind.Object,
};

export function registerLanguageProviders(client: WorkerClient<ServiceApi>): monaco.IDisposable {
  const symbol = (model: Model, s: DocumentSymbol): monaco.languages.DocumentSymbol => ({
    name: s.name,
    detail: s.detail ?? "",
    kind: symbolKinds[s.kind],
    tags: [],
    range: rangeOf(model, s.span),
    selectionRange: rangeOf(model, s.selectionSpan),
    children: s.children.map((c) => symbol(model, c)),
  });
  const disposables = [
    monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: [" ", '"'],
      async provideCompletionItems(model, position, context) {
        // A quote that closes a string is not a place to suggest anything (only an opening one is).
        if (context.triggerCharacter === '"') {
          const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
          if ((before.match(/"/g) ?? []).length % 2 === 0) return { suggestions: [] };
        }
        const items = await client.call("complete", [model.getValue(), model.getOffsetAt(position)]);
        return {
          suggestions: items.map((item, i) => ({
            label: item.label,
            kind: completionKinds[item.kind],
            ...(item.detail ? { detail: item.detail } : {}),
            insertText: item.label,
            range: rangeOf(model, item.replace),
            sortText: String(i).padStart(4, "0"),
          })),
        };
      },
    }),
    monaco.languages.registerHoverProvider(LANGUAGE_ID, {
      async provideHover(model, position) {
        const hover = await client.call("hover", [model.getValue(), model.getOffsetAt(position)]);
        return hover ? { range: rangeOf(model, hover.span), contents: [{ value: hover.markdown }] } : null;
      },
    }),
    monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
      async provideDefinition(model, position) {
        const span = await client.call("definition", [model.getValue(), model.getOffsetAt(position)]);
        return span ? { uri: model.uri, range: rangeOf(model, span) } : null;
      },
    }),
    monaco.languages.registerDocumentSymbolProvider(LANGUAGE_ID, {
      async provideDocumentSymbols(model) {
        const symbols = await client.call("symbols", [model.getValue()]);
        return symbols.map((s) => symbol(model, s));
      },
    }),
    monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
      async provideDocumentFormattingEdits(model) {
        const text = model.getValue();
        const formatted = await client.call("format", [text]);
        if (formatted === undefined || formatted === text) return [];
        return [{ range: model.getFullModelRange(), text: formatted }];
      },
    }),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
