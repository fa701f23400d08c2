// The contract editor: one Monaco editor and its model, created on mount and disposed on unmount.
// Diagnostics run in the language service worker 50 ms after the last keystroke, one request at a
// time (a change made while one is out is checked as soon as it returns); an answer for an older
// version of the text than the model's current one is dropped.

import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import type { WorkerClient } from "../lib/rpc";
import type { Analysis, ServiceApi } from "../workers/service.worker";
import { LANGUAGE_ID, monaco } from "./monaco";
import { markersOf } from "./providers";

export interface EditorHandle {
  /** Replaces the whole text (an example or a shared link), as one undoable edit. */
  setText(text: string): void;
  getText(): string;
  format(): void;
  reveal(offset: number): void;
}

export interface AnalysisEvent {
  readonly text: string;
  readonly version: number;
  readonly analysis: Analysis;
}

interface Props {
  readonly initialText: string;
  readonly client: WorkerClient<ServiceApi>;
  readonly onAnalysis: (event: AnalysisEvent) => void;
  readonly onEdit?: () => void;
  readonly ref?: Ref<EditorHandle>;
}

/**
 * Edits within this many milliseconds are checked together. A check of a 300-line contract takes
 * about 10–20 ms in the worker and only one runs at a time (later edits wait and are checked
 * together), so there is little to save by waiting longer before the first.
 */
const DEBOUNCE_MS = 8;

export function ContractEditor({ initialText, client, onAnalysis, onEdit, ref }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onAnalysis, onEdit });
  callbacks.current = { onAnalysis, onEdit };

  useEffect(() => {
    const model = monaco.editor.createModel(initialText, LANGUAGE_ID, monaco.Uri.parse("inmemory://playground/contract.pcmh"));
    const editor = monaco.editor.create(host.current!, {
      model,
      theme: "pcmh-light",
      ariaLabel: "Contract text. Press Control+M to toggle whether Tab moves focus out of the editor.",
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      renderWhitespace: "none",
      tabSize: 2,
      insertSpaces: true,
      wordBasedSuggestions: "off",
      fixedOverflowWidgets: true,
      accessibilitySupport: "auto",
    });
    editorRef.current = editor;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    let inFlight = false;
    let again = false;
    const analyse = () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      const version = model.getVersionId();
      const text = model.getValue();
      const current = () => !disposed && !model.isDisposed() && model.getVersionId() === version;
      client
        .call("diagnostics", [text])
        .then(async ({ diagnostics, ms }) => {
          if (!current()) return; // stale
          monaco.editor.setModelMarkers(model, "pcmh", markersOf(model, diagnostics));
          // For measuring keystroke-to-diagnostics from outside (npm run bench, tests).
          if (host.current) host.current.dataset.markersVersion = String(version);
          const contract = diagnostics.some((d) => d.severity === "error") ? undefined : await client.call("contractInfo", [text]);
          if (!current()) return;
          callbacks.current.onAnalysis({ text, version, analysis: { diagnostics, ms, ...(contract ? { contract } : {}) } });
        })
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
          if (again && !disposed) {
            again = false;
            analyse();
          }
        });
    };
    const changes = model.onDidChangeContent(() => {
      callbacks.current.onEdit?.();
      clearTimeout(timer);
      timer = setTimeout(analyse, DEBOUNCE_MS);
    });
    analyse();
    return () => {
      disposed = true;
      clearTimeout(timer);
      changes.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // The editor is created once; later text arrives through the handle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  useImperativeHandle(
    ref,
    () => ({
      setText(text) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model || model.getValue() === text) return;
        editor.pushUndoStop();
        editor.executeEdits("playground", [{ range: model.getFullModelRange(), text }]);
        editor.pushUndoStop();
        editor.setPosition({ lineNumber: 1, column: 1 });
        editor.revealLine(1);
      },
      getText: () => editorRef.current?.getModel()?.getValue() ?? "",
      format() {
        const editor = editorRef.current;
        editor?.focus();
        void editor?.getAction("editor.action.formatDocument")?.run();
      },
      reveal(offset) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model) return;
        const position = model.getPositionAt(offset);
        editor.setPosition(position);
        editor.revealPositionInCenter(position);
        editor.focus();
      },
    }),
    [],
  );

  return <div ref={host} className="editor-host" data-testid="editor" />;
}
