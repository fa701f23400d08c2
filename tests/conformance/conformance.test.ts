// CONFORMANCE
//
// Every `tests/conformance/<feature>/{good,bad}/<case>.pcmh` is checked, and its diagnostics, in
// the one-line form `line:col: severity CODE: message`, are compared with `<case>.expected` beside
// it. A good case must have no errors (warnings are listed); a bad case must have at least one.
// `npm run conformance:update` rewrites the expected files; `git diff` is the review.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { check } from "../../compiler/src";
import { LineIndex } from "../../compiler/src/render";

const root = import.meta.dirname;
const update = process.env.UPDATE_EXPECTED === "1";

function cases(): { feature: string; kind: "good" | "bad"; file: string }[] {
  const out: { feature: string; kind: "good" | "bad"; file: string }[] = [];
  for (const feature of readdirSync(root).sort()) {
    if (!statSync(join(root, feature)).isDirectory()) continue;
    for (const kind of ["good", "bad"] as const) {
      const dir = join(root, feature, kind);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (f.endsWith(".pcmh")) out.push({ feature, kind, file: join(dir, f) });
    }
  }
  return out;
}

export function expectedText(text: string): string {
  const index = new LineIndex(text);
  const result = check(text);
  const lines = result.diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${p.line}:${p.column}: ${d.severity} ${d.code}: ${d.message}`;
  });
  return lines.length === 0 ? "ok\n" : lines.join("\n") + "\n";
}

const all = cases();

describe("conformance", () => {
  test("there are cases for many features", () => {
    expect(new Set(all.map((c) => c.feature)).size).toBeGreaterThanOrEqual(1);
  });
  for (const c of all) {
    test(`${c.feature}/${c.kind}/${relative(join(root, c.feature, c.kind), c.file)}`, () => {
      const text = readFileSync(c.file, "utf8");
      const actual = expectedText(text);
      const expectedFile = c.file.replace(/\.pcmh$/, ".expected");
      if (update) writeFileSync(expectedFile, actual);
      if (!existsSync(expectedFile)) throw new Error(`${relative(root, expectedFile)} is missing: run \`npm run conformance:update\` and review it.`);
      const expected = readFileSync(expectedFile, "utf8");
      expect(actual).toBe(expected);
      const errors = actual.split("\n").filter((l) => / error PCMH/.test(l));
      if (c.kind === "good") expect(errors).toEqual([]);
      else expect(errors.length).toBeGreaterThan(0);
    });
  }
});
