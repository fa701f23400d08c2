// MONACO, SLIM AND OFFLINE
//
// The slim core (`monaco-editor/editor`) plus only the editor features the playground uses; the
// editor worker is bundled by Vite through `?worker`, and `MonacoEnvironment.getWorker` hands it
// to Monaco, so nothing is fetched from anywhere but this site. Import this module before any
// editor is created.

import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/bracketMatching/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/comment/register";
import "monaco-editor/features/contextmenu/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/folding/register";
import "monaco-editor/features/format/register";
import "monaco-editor/features/gotoError/register";
import "monaco-editor/features/gotoLine/register";
import "monaco-editor/features/gotoSymbol/register";
import "monaco-editor/features/hover/register";
import "monaco-editor/features/indentation/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/quickCommand/register";
import "monaco-editor/features/quickOutline/register";
import "monaco-editor/features/documentSymbols/register";
import "monaco-editor/features/suggest/register";
import "monaco-editor/features/toggleTabFocusMode/register";
import "monaco-editor/features/wordHighlighter/register";
// The suggest widget itself: the `suggest` feature above registers only inline completions, and
// editor.main.js (the full entry) imports this controller separately.
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import "monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import { monarchFromTokens } from "./monarch";

export const LANGUAGE_ID = "pcmh";

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.languages.register({ id: LANGUAGE_ID, extensions: [".pcmh"], aliases: ["PCMH contract", "pcmh"] });
monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchFromTokens());
monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
  comments: { lineComment: "#" },
  brackets: [["(", ")"]],
  autoClosingPairs: [
    { open: "(", close: ")" },
    { open: '"', close: '"', notIn: ["string", "comment"] },
  ],
  surroundingPairs: [
    { open: "(", close: ")" },
    { open: '"', close: '"' },
  ],
  wordPattern: /-?\$?\d[\d,]*(?:\.\d+)?%?|[A-Za-z_][A-Za-z0-9_-]*/,
  indentationRules: { increaseIndentPattern: /^\s*(contract|parameter|fee|care|scorecard|measure|shared|incentive|adjustment|withhold|amendment|attribution|panel|table|value)\b.*$/, decreaseIndentPattern: /^$/ },
});

monaco.editor.defineTheme("pcmh-light", {
  base: "vs",
  inherit: true,
  rules: [
    { token: "keyword", foreground: "0b4f9c", fontStyle: "bold" },
    { token: "keyword.soft", foreground: "3b6ea8" },
    { token: "predefined", foreground: "7a3e9d" },
    { token: "number", foreground: "0a7a4b" },
    { token: "number.money", foreground: "0a7a4b" },
    { token: "number.percent", foreground: "0a7a4b" },
    { token: "number.date", foreground: "8a5a00" },
    { token: "string", foreground: "a31515" },
    { token: "string.invalid", foreground: "d00000", fontStyle: "underline" },
    { token: "comment", foreground: "6a737d", fontStyle: "italic" },
    { token: "operator.arrow", foreground: "444444", fontStyle: "bold" },
  ],
  colors: {},
});

export { monaco };
