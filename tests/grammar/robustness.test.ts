// ROBUSTNESS
//
// Any text yields diagnostics: `check` never throws, never hangs, and every diagnostic it returns
// is well-formed: a registered PCMHnnnn code, a non-empty message, and a span (and label spans)
// with 0 <= start <= end <= text.length. The inputs are
//   - arbitrary strings (graphemes, any code units), arbitrary bytes decoded as UTF-8, token soup;
//   - mutations of every sample contract (contracts/**/*.pcmh, globbed when the file loads) and
//     conformance case: deleted, duplicated and inserted slices and tokens, truncation, swapped lines;
//   - a table of nasty inputs: empty and blank text, huge files, deep nesting and long operator
//     chains, NUL, BOM, CR LF, U+2028/U+2029, lone surrogates, unterminated strings.
// Inputs that can hang or exhaust memory run in a child process with a wall-clock limit
// (support/check-child.ts); they start before the in-process tests and run beside them.
// Property run counts come from tests/support/setup.ts (FC_NUM_RUNS).

import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { beforeAll, describe, expect } from "vitest";
import { check, type CheckResult } from "../../compiler/src";
import { keywordWords, registry, type Diagnostic, type Span } from "../../grammar/src";
import { filesUnder } from "../support/files";
import { checkInChild, type ChildOutcome } from "./support/check-child";

const root = join(import.meta.dirname, "../..");

// INVARIANTS

function spanProblem(span: Span | undefined, length: number): string | undefined {
  if (!span || !Number.isInteger(span.start) || !Number.isInteger(span.end)) return `span is not a pair of integer offsets: ${JSON.stringify(span)}`;
  if (!(0 <= span.start && span.start <= span.end && span.end <= length)) return `span ${JSON.stringify(span)} is not inside [0, ${length}]`;
  return undefined;
}

/** Everything wrong with these diagnostics for this text; empty when they are well-formed. */
function problems(text: string, diagnostics: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of diagnostics) {
    const what = `${String(d.code)} ${JSON.stringify(d.span)} ${JSON.stringify(d.message)}`;
    if (typeof d.code !== "string" || !/^PCMH\d{4}$/.test(d.code)) out.push(`code is not PCMHnnnn: ${what}`);
    else if (!Object.hasOwn(registry, d.code)) out.push(`code is not in the registry: ${what}`);
    else if (d.severity !== registry[d.code].severity) out.push(`severity ${String(d.severity)} differs from the registry's: ${what}`);
    if (typeof d.message !== "string" || d.message.trim() === "") out.push(`empty message: ${what}`);
    const spanIssue = spanProblem(d.span, text.length);
    if (spanIssue) out.push(`${spanIssue}: ${what}`);
    for (const label of d.labels ?? []) {
      const labelIssue = spanProblem(label.span, text.length);
      if (labelIssue) out.push(`label ${labelIssue}: ${what}`);
      if (typeof label.message !== "string") out.push(`label without a message: ${what}`);
    }
  }
  return out;
}

/** Checks `text`, asserts that it returned well-formed diagnostics, and returns the result. */
function expectSound(text: string): CheckResult {
  const result = check(text);
  expect(problems(text, result.diagnostics)).toEqual([]);
  expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "error"));
  return result;
}

/** Offsets that fall inside one character (between the halves of a surrogate pair) or inside a CR LF pair. */
function splitPoints(text: string, diagnostics: readonly Diagnostic[]): string[] {
  const splits = (i: number): boolean => {
    if (i <= 0 || i >= text.length) return false;
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i);
    return (before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff);
  };
  const out: string[] = [];
  for (const d of diagnostics)
    for (const span of [d.span, ...d.labels.map((l) => l.span)])
      for (const edge of [span.start, span.end]) if (splits(edge)) out.push(`${d.code} ${JSON.stringify(span)} splits ${JSON.stringify(text.slice(edge - 1, edge + 1))}: ${d.message}`);
  return out;
}

const codesOf = (r: CheckResult): string[] => r.diagnostics.map((d) => d.code);
const spanText = (text: string, d: Diagnostic): string => text.slice(d.span.start, d.span.end);

// SAMPLES

const sampleFiles = existsSync(join(root, "contracts")) ? filesUnder(join(root, "contracts"), ".pcmh") : [];
const conformanceFiles = existsSync(join(root, "tests/conformance")) ? filesUnder(join(root, "tests/conformance"), ".pcmh") : [];
const sources = new Map<string, string>();
for (const file of [...sampleFiles, ...conformanceFiles]) sources.set(relative(root, file), readFileSync(file, "utf8"));
const samples = sampleFiles.map((f) => relative(root, f));
/** Mutation seeds: the sample contracts and every conformance case. */
const seeds = [...sources.keys()];
const seed = fc.constantFrom(...(seeds.length > 0 ? seeds : ["(none)"]));
const source = (name: string): string => sources.get(name) ?? "";
/** The smallest sample, for fixed nasty inputs built from "a real contract". */
const smallest = [...samples].sort((a, b) => source(a).length - source(b).length)[0] ?? "(none)";

// TOKENS AND MUTATIONS

const keywords = keywordWords.map((k) => k.word);
const punctuation = ["->", "→", "(", ")", "$", "%", '"', ",", ":", "=", "<", "<=", ">=", "!=", "≤", "≥", "≠", "+", "-", "−", "*", "×", "/", "#", "\\", ".", "-("];
const lineBreaks = ["\n", "\r\n", "\r", "\n  ", "\n    ", "\u2028", "\u2029", "\t", " "];
const literal: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000_000 }).map(String),
  fc.tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 99 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.constantFrom("", "-", "−"), fc.nat({ max: 9_999_999 }), fc.nat({ max: 99 })).map(([s, a, c]) => `${s}$${a.toLocaleString("en-US")}.${String(c).padStart(2, "0")}`),
  fc.tuple(fc.constantFrom("", "-"), fc.nat({ max: 200 }), fc.nat({ max: 9 })).map(([s, a, b]) => `${s}${a}.${b}%`),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(
    ([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  ),
  fc.tuple(fc.nat({ max: 100 }), fc.constantFrom("st", "nd", "rd", "th")).map(([n, s]) => `${n}${s}`),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 12 }).map((s) => `"${s.replace(/"/g, "")}`),
  fc.constantFrom("99202-99215", "G0402", "§3.1"),
);
const nameish = fc.constantFrom("uplift", "share_rate", "trend", "member risk score", "member months", "allowed", "total cost", "x", "_", "a1", "Unknown_Name", "ÿ");
/** One token of the language (or something close to one), possibly with spaces around it. */
const token: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("", " ", " "),
    fc.oneof(fc.constantFrom(...keywords), fc.constantFrom(...punctuation), literal, nameish, fc.constantFrom(...lineBreaks)),
    fc.constantFrom("", " ", " "),
  )
  .map(([before, t, after]) => before + t + after);

type Mutation =
  | { readonly kind: "delete"; readonly at: number; readonly length: number }
  | { readonly kind: "duplicate"; readonly at: number; readonly length: number; readonly to: number }
  | { readonly kind: "insert"; readonly at: number; readonly text: string }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "swapLines"; readonly a: number; readonly b: number };

const offset = fc.nat();
const sliceLength = fc.nat({ max: 300 });
const deletion = fc.record({ kind: fc.constant("delete" as const), at: offset, length: sliceLength });
const duplication = fc.record({ kind: fc.constant("duplicate" as const), at: offset, length: sliceLength, to: offset });
const insertion = fc.record({ kind: fc.constant("insert" as const), at: offset, text: token });
const truncation = fc.record({ kind: fc.constant("truncate" as const), at: offset });
const lineSwap = fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() });
const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(deletion, duplication, insertion, insertion, truncation, lineSwap);

/** Offsets are drawn as naturals and taken modulo the text length + 1, so they shrink towards 0. */
function mutate(text: string, m: Mutation): string {
  const at = (n: number): number => n % (text.length + 1);
  switch (m.kind) {
    case "delete": {
      const a = at(m.at);
      return text.slice(0, a) + text.slice(a + m.length);
    }
    case "duplicate": {
      const a = at(m.at);
      const to = at(m.to);
      return text.slice(0, to) + text.slice(a, a + m.length) + text.slice(to);
    }
    case "insert": {
      const a = at(m.at);
      return text.slice(0, a) + m.text + text.slice(a);
    }
    case "truncate":
      return text.slice(0, at(m.at));
    case "swapLines": {
      const lines = text.split("\n");
      const i = m.a % lines.length;
      const j = m.b % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
  }
}

const mutateAll = (text: string, ms: readonly Mutation[]): string => ms.reduce(mutate, text);

// INPUTS THAT NEED THEIR OWN PROCESS

/** A real contract grown to `bytes` by repeating its parameter declarations under fresh names. */
function grownContract(text: string, bytes: number): string {
  const lines = text.split("\n");
  const blocks: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^parameter\s/.test(lines[i]!)) continue;
    const block = [lines[i]!];
    while (i + 1 < lines.length && /^\s+(?!#)\S/.test(lines[i + 1]!)) block.push(lines[++i]!);
    blocks.push(block);
  }
  if (blocks.length === 0) throw new Error("the sample has no parameter declarations to repeat");
  const copies: string[] = [];
  let size = text.length;
  for (let n = 0; size < bytes; n++) {
    const block = blocks[n % blocks.length]!;
    const copy = [block[0]!.replace(/^parameter\s+([A-Za-z_][A-Za-z0-9_]*)/, `parameter $1_copy${n}`), ...block.slice(1)].join("\n") + "\n";
    copies.push(copy);
    size += copy.length;
  }
  return text.replace(/\n*$/, "\n\n") + copies.join("");
}

const FIVE_MB = 5 * 1024 * 1024;
const heavy = {
  /** A 5 MB contract, ending in one reference to an unknown name, so one diagnostic is expected far into the file. */
  fiveMegabytes: () => {
    const base = [...samples].sort((a, b) => source(a).length - source(b).length).find((name) => /^parameter\s/m.test(source(name)));
    const text = grownContract(source(base ?? smallest), FIVE_MB);
    const firstParameter = /^parameter\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(text)![1]!;
    return `${text}\nvalue tail_check = ${firstParameter} + missing_at_the_end\n`;
  },
  /** 5,000 values, each referring to a different undefined name (about 100 KB). */
  manyUnknownNames: () => Array.from({ length: 5000 }, (_, i) => `value defined_${i} = undefined_${i}`).join("\n") + "\n",
  /** Two 30,000-character words: a long declared name and a long unknown one (60 KB). */
  longUnknownName: () => `value ${"a".repeat(30_000)} = ${"b".repeat(30_000)}\n`,
};
type Heavy = keyof typeof heavy;
const heavyLimits: Record<Heavy, { timeoutMs: number; maxOldSpaceMb?: number }> = {
  fiveMegabytes: { timeoutMs: 240_000 }, // "must finish": a hang guard only, not a speed requirement
  manyUnknownNames: { timeoutMs: 15_000, maxOldSpaceMb: 2048 }, // linear work takes well under a second; today it takes minutes
  longUnknownName: { timeoutMs: 15_000, maxOldSpaceMb: 2048 },
};
const heavyTexts = new Map<Heavy, string>();
const heavyOutcomes = new Map<Heavy, Promise<ChildOutcome>>();
function startHeavy(name: Heavy): Promise<ChildOutcome> {
  let outcome = heavyOutcomes.get(name);
  if (!outcome) {
    const text = heavy[name]();
    heavyTexts.set(name, text);
    outcome = checkInChild(text, heavyLimits[name]);
    heavyOutcomes.set(name, outcome);
  }
  return outcome;
}

/** The diagnostics a child returned, or a failure naming the exception or the hang. */
async function heavyResult(name: Heavy): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const outcome = await startHeavy(name);
  if (outcome.kind === "threw") throw new Error(`check threw ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
  if (outcome.kind === "died") throw new Error(outcome.reason);
  const text = heavyTexts.get(name)!;
  expect(problems(text, outcome.diagnostics)).toEqual([]);
  expect(outcome.ok).toBe(!outcome.diagnostics.some((d) => d.severity === "error"));
  return { text, diagnostics: outcome.diagnostics };
}

const heavyTests: Record<Heavy, string> = {
  fiveMegabytes: "a 5 MB contract returns, with one diagnostic, at the unknown name at its end",
  manyUnknownNames: "5,000 distinct unknown names return (suggestions must not be quadratic)",
  longUnknownName: "two 30,000-character names return (edit distance must not be quadratic in memory)",
};

// Start the children of the tests that will run (not those filtered out with -t), so that they
// work while the in-process tests below run.
interface TaskLike {
  readonly name: string;
  readonly mode: string;
  readonly tasks?: readonly TaskLike[];
}
beforeAll(({}, suite) => {
  const running = (tasks: readonly TaskLike[]): string[] => tasks.flatMap((t) => (t.tasks ? running(t.tasks) : t.mode === "run" || t.mode === "only" ? [t.name] : []));
  const names = new Set(running(suite.tasks as readonly TaskLike[]));
  if (samples.length > 0) for (const name of Object.keys(heavy) as Heavy[]) if (names.has(heavyTests[name])) void startHeavy(name);
});

// THE TESTS

describe("sample contracts", () => {
  test("there are sample contracts to mutate", () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  test.each(samples)("%s checks clean", (name) => {
    const result = expectSound(source(name));
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe("arbitrary text never throws and yields well-formed diagnostics", () => {
  test.prop([fc.string({ unit: "grapheme", size: "medium" })])("grapheme strings", (text) => {
    expectSound(text);
  });

  test.prop([fc.string({ unit: "binary", size: "medium" })])("strings of any code points", (text) => {
    expectSound(text);
  });

  const interestingBytes = [...new TextEncoder().encode('contract parameter value "$%->()#\n\r\t 0123456789§'), 0x00, 0xef, 0xbb, 0xbf, 0xe2, 0x80, 0xa8, 0xc0, 0xff];
  test.prop([fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...interestingBytes)), { size: "medium" })])(
    "arbitrary bytes decoded as UTF-8",
    (bytes) => {
      expectSound(new TextDecoder().decode(new Uint8Array(bytes)));
    },
  );

  test.prop([fc.array(token, { size: "medium" })])("token soup", (tokens) => {
    expectSound(tokens.join(""));
  });
});

describe("mutated sample contracts never throw and yield well-formed diagnostics", () => {
  test.prop([seed, offset, sliceLength])("a slice deleted", (name, at, length) => {
    expectSound(mutate(source(name), { kind: "delete", at, length }));
  });

  test.prop([seed, offset, sliceLength, offset])("a slice duplicated", (name, at, length, to) => {
    expectSound(mutate(source(name), { kind: "duplicate", at, length, to }));
  });

  test.prop([seed, fc.array(insertion, { minLength: 1, maxLength: 8 })])("tokens inserted at random offsets", (name, ms) => {
    expectSound(mutateAll(source(name), ms));
  });

  test.prop([seed, offset, fc.string({ unit: "grapheme", size: "medium" })])("an arbitrary string inserted", (name, at, text) => {
    expectSound(mutate(source(name), { kind: "insert", at, text }));
  });

  test.prop([seed, offset])("truncated at any offset", (name, at) => {
    expectSound(mutate(source(name), { kind: "truncate", at }));
  });

  test.prop([seed, fc.nat(), fc.nat()])("two lines swapped", (name, a, b) => {
    expectSound(mutate(source(name), { kind: "swapLines", a, b }));
  });

  test.prop([seed, fc.array(anyMutation, { minLength: 1, maxLength: 6 })])("several mutations of any kind", (name, ms) => {
    expectSound(mutateAll(source(name), ms));
  });

  test.prop([seed, fc.array(anyMutation, { maxLength: 4 })])(
    "CR LF line endings give the same diagnostics, at the same places, as LF",
    (name, ms) => {
      const lf = mutateAll(source(name), ms).replace(/\r/g, "");
      const crlf = lf.replace(/\n/g, "\r\n");
      // offset in the LF text -> offset in the CR LF text: one extra unit per earlier line feed
      const shift: number[] = [0];
      for (let i = 0; i < lf.length; i++) shift.push(shift[i]! + (lf[i] === "\n" ? 1 : 0));
      const map = (s: Span): Span => ({ start: s.start + shift[s.start]!, end: s.end + shift[s.end]! });
      const expected = expectSound(lf).diagnostics.map((d) => ({ code: d.code, span: map(d.span), message: d.message }));
      const actual = expectSound(crlf).diagnostics.map((d) => ({ code: d.code, span: d.span, message: d.message }));
      expect(actual).toEqual(expected);
    },
  );

  test.prop([seed, fc.array(fc.oneof(anyMutation, fc.record({ kind: fc.constant("insert" as const), at: offset, text: fc.constantFrom("😀", "é́", "👩‍👩‍👧", "𝔸", "\r\n") })), { maxLength: 6 })])(
    "no span edge falls inside a surrogate pair or a CR LF pair",
    (name, ms) => {
      const text = mutateAll(source(name).replace(/\r?\n/g, "\r\n"), ms);
      expect(splitPoints(text, expectSound(text).diagnostics)).toEqual([]);
    },
  );
});

describe("nasty inputs", () => {
  const real = (): string => source(smallest);

  test.each([
    ["empty text", ""],
    ["only whitespace", " \t\n\r\n\f\v\u00a0  \n"],
    ["only a comment", "# nothing but a comment"],
    ["only comments, CR LF", "# one\r\n# two\r\n\r\n"],
  ])("%s is reported, not accepted", (_name, text) => {
    const result = expectSound(text);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test.each([
    ["a lone quote", '"'],
    ["a title", 'contract "Regional'],
    ["a version", 'contract "A" version "'],
    ["a citation at the end of a real contract", () => `${real()}\n  cite "§9`],
    ["a lone quote at the end of a real contract", () => `${real()}\n"`],
    ["a backslash at EOF", 'contract "abc\\'],
    ["an escaped quote at EOF", 'contract "abc\\"'],
    ["a real contract cut inside its first string", () => real().slice(0, real().indexOf('"') + 4)],
  ] as const)("an unterminated string at EOF: %s", (_name, input) => {
    const text = typeof input === "function" ? input() : input;
    const result = expectSound(text);
    expect(codesOf(result)).toContain("PCMH0102");
  });

  describe("deep nesting and long chains (may overflow the stack)", () => {
    test.each([
      ["10,000 nested parentheses", () => `value v = ${"(".repeat(10_000)}1${")".repeat(10_000)}`],
      ["10,000 chained not", () => `value v = ${"not ".repeat(10_000)}true`],
      ["a 100,000-term sum", () => `value v = ${Array.from({ length: 100_000 }, () => "1").join(" + ")}`],
      ["10,000 unary minus signs", () => `value v = ${"- ".repeat(10_000)}1`],
      ["10,000 nested min(", () => `value v = ${"min(".repeat(10_000)}1${")".repeat(10_000)}`],
      ["10,000 nested if-then-else", () => `value v = ${"if true then ".repeat(10_000)}1${" else 1".repeat(10_000)}`],
      ["100,000 unclosed parentheses", () => `value v = ${"(".repeat(100_000)}`],
      ["100,000 unopened parentheses", () => `value v = 1${")".repeat(100_000)}`],
      ["10,000 `or true`", () => `value v = true${" or true".repeat(10_000)}`],
      ["10,000 `and true`", () => `value v = true${" and true".repeat(10_000)}`],
      ["10,000 `capped at 1`", () => `value v = 1${" capped at 1".repeat(10_000)}`],
      ["10,000 `floored at 1`", () => `value v = 1${" floored at 1".repeat(10_000)}`],
      ["10,000 postfix `pmpm`", () => `value v = 1${" pmpm".repeat(10_000)}`],
      ["10,000 postfix `per 1`", () => `value v = 1${" per 1".repeat(10_000)}`],
      ["10,000 postfix `adjusted by risk`", () => `value v = 1${" adjusted by risk".repeat(10_000)}`],
      ["10,000 `grown 1%`", () => `value v = 1${" grown 1%".repeat(10_000)}`],
      ["10,000 values, each defined by the next one", () => Array.from({ length: 10_000 }, (_, i) => `value v${i} = ${i === 9_999 ? "1" : `v${i + 1}`}`).join("\n")],
      ["a cycle through 10,000 values", () => Array.from({ length: 10_000 }, (_, i) => `value v${i} = v${(i + 1) % 10_000}`).join("\n")],
    ])("%s", (_name, build) => {
      expectSound(build());
    });
  });

  test.each([
    ["a lone NUL", () => "\0"],
    ["10,000 NULs", () => "\0".repeat(10_000)],
    ["NUL between tokens of a real contract", () => real().replace("parameter", "param\0eter")],
    ["NUL in a string of a real contract", () => real().replace('"', '"\0')],
    ["NUL in a comment of a real contract", () => `# a\0b\n${real()}`],
  ])("NUL bytes: %s", (_name, build) => {
    expectSound(build());
  });

  test.each(samples)("a BOM before %s changes nothing", (name) => {
    const plain = expectSound(source(name));
    const withBom = expectSound("\ufeff" + source(name));
    expect(withBom.diagnostics.map((d) => ({ code: d.code, start: Math.max(0, d.span.start - 1) }))).toEqual(plain.diagnostics.map((d) => ({ code: d.code, start: d.span.start })));
  });

  test.each([
    ["a lone BOM", "\ufeff"],
    ["two BOMs", "\ufeff\ufeffcontract"],
    ["a BOM inside a string", 'contract "a\ufeffb"'],
  ])("BOM: %s", (_name, text) => {
    expectSound(text);
  });

  test.each(samples)("%s with CR LF and with CR line endings checks clean, like LF", (name) => {
    for (const text of [source(name).replace(/\r?\n/g, "\r\n"), source(name).replace(/\r?\n/g, "\r")]) {
      const result = expectSound(text);
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(splitPoints(text, result.diagnostics)).toEqual([]);
    }
  });

  test.each([
    ["an error at the end of a CR LF line", () => real().replace(/\r?\n/g, "\r\n").replace(/(parameter \w+ = [^\r\n]*?)(\r\n)/, "$1 +$2")],
    ["text ending in CR LF after an operator", () => "value v = 1 +\r\n"],
    ["text ending in CR", () => "value v = (\r"],
    ["a lone CR", () => "\r"],
    ["CR CR LF", () => real().replace(/\r?\n/g, "\r\r\n")],
  ])("Windows line endings: %s", (_name, build) => {
    const text = build();
    const result = expectSound(text);
    expect(splitPoints(text, result.diagnostics)).toEqual([]);
  });

  test.each([
    ["U+2028 inside a string", (t: string) => t.replace(/"([^"\n]*) ([^"\n]*)"/, '"$1\u2028$2"')],
    ["U+2029 inside a string", (t: string) => t.replace(/"([^"\n]*) ([^"\n]*)"/, '"$1\u2029$2"')],
    ["U+2028 inside a comment", (t: string) => `# before\u2028after\n${t}`],
    ["U+2029 inside a comment", (t: string) => `# before\u2029after\n${t}`],
    ["U+2028 as every line break", (t: string) => t.replace(/\r?\n/g, "\u2028")],
    ["U+2029 at EOF inside an unterminated string", (t: string) => `${t}\n  cite "a\u2029`],
  ])("unicode line separators: %s", (_name, edit) => {
    expectSound(edit(real()));
  });

  test.each([
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "\udc00 contract"],
    ["a lone surrogate inside a string", 'contract "a\ud800"'],
    ["an emoji name", "value 😀 = 1"],
    ["a combining mark after a name", "value v\u0301 = 1"],
  ])("odd code points: %s", (_name, text) => {
    const result = expectSound(text);
    expect(splitPoints(text, result.diagnostics)).toEqual([]);
  });

  test.each([
    ["money plus percent", "$5.00 + 5%"],
    ["money times money", "$5.00 * $5.00"],
    ["percent compared with money", "5% < $1.00"],
    ["branches of different units", "if true then $1.00 else 5%"],
    ["a pmpm rate plus money", "$1.00 pmpm + $1.00"],
  ])("mixed units: %s", (_name, expr) => {
    const text = `${real()}\nvalue mixed_units = ${expr}\n`;
    const result = expectSound(text);
    const unitErrors = result.diagnostics.filter((d) => /^PCMH03\d\d$/.test(d.code));
    expect(unitErrors.length).toBeGreaterThan(0);
    for (const d of unitErrors) expect(d.span.start).toBeGreaterThanOrEqual(text.lastIndexOf("value mixed_units"));
  });

  test("unknown names are reported at the name", () => {
    const text = `${real()}\nvalue unknown_check = no_such_name + also_missing\n`;
    const result = expectSound(text);
    const unknown = result.diagnostics.filter((d) => d.code === "PCMH0201");
    expect(unknown.map((d) => spanText(text, d))).toEqual(["no_such_name", "also_missing"]);
  });

  test("a code list ending in a comma under a roster: the roster error spans the codes there are", () => {
    // found by the mutation properties: the empty code recovery leaves used to end the span at 0
    const text = `contract "Roster"\nterm 2026-01-01 to 2026-12-31\nattribution from roster\n  on codes 99202-99215,\n`;
    const roster = expectSound(text).diagnostics.filter((d) => d.code === "PCMH0416");
    expect(roster.map((d) => spanText(text, d))).toEqual(["99202-99215"]);
  });

  test("a truncated file", () => {
    const text = real().slice(0, Math.floor(real().length / 2));
    expectSound(text);
    expectSound(real().slice(0, real().lastIndexOf("->") + 2));
    expectSound(real().slice(0, real().indexOf("parameter") + 5));
  });

  test.each([
    ["a 1,000,000-character comment", () => `# ${"x".repeat(1_000_000)}\n`],
    ["a 1,000,000-character string", () => `contract "${"x".repeat(1_000_000)}"`],
    ["a 1,000,000-character unterminated string", () => `contract "${"x".repeat(1_000_000)}`],
    ["a 100,000-character name", () => `value ${"n".repeat(100_000)} = 1`],
    ["a 100,000-digit number", () => `value v = ${"9".repeat(100_000)}`],
    ["100,000 unknown characters", () => "@".repeat(100_000)],
  ])("long input: %s", (_name, build) => {
    expectSound(build());
  });
});

describe("inputs that could hang, each in its own process", () => {
  test(heavyTests.fiveMegabytes, { timeout: 300_000 }, async () => {
    const { text, diagnostics } = await heavyResult("fiveMegabytes");
    expect(text.length).toBeGreaterThanOrEqual(FIVE_MB);
    expect(diagnostics.map((d) => [d.code, spanText(text, d)])).toEqual([["PCMH0201", "missing_at_the_end"]]);
  });

  test(heavyTests.manyUnknownNames, { timeout: 120_000 }, async () => {
    const { text, diagnostics } = await heavyResult("manyUnknownNames");
    const unknown = diagnostics.filter((d) => d.code === "PCMH0201");
    expect(unknown).toHaveLength(5000);
    expect(spanText(text, unknown[0]!)).toBe("undefined_0");
  });

  test(heavyTests.longUnknownName, { timeout: 120_000 }, async () => {
    const { text, diagnostics } = await heavyResult("longUnknownName");
    expect(diagnostics.filter((d) => d.code === "PCMH0201").map((d) => spanText(text, d))).toEqual(["b".repeat(30_000)]);
  });
});

describe("the parser's plain-object CST children", () => {
  // grammar/src/parser.ts keeps CST children in plain objects; a rule, token or label named like a
  // property of Object.prototype ("constructor", "toString", …) would then read the prototype.
  test("no rule or token name is a property of Object.prototype", async () => {
    const { ContractParser } = await import("../../grammar/src/parser");
    const { allTokens } = await import("../../grammar/src/tokens");
    const parser = new ContractParser();
    const names = [...Object.keys(parser.getGAstProductions()), ...allTokens.map((t) => t.name)];
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => n in Object.prototype)).toEqual([]);
  });
});

describe("a misspelt word at the start of a line", () => {
  test("is not taken for the second word of a name, and the hint names the keyword with its stem", () => {
    const text = readFileSync("tests/conformance/syntax/bad/misspelt-option.pcmh", "utf8");
    const [d, ...rest] = check(text).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "PCMH0103", message: "I didn't expect `rounded` to start a line here.", hint: "Did you mean `rounding`?" });
  });
});
