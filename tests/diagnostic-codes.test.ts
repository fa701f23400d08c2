// DIAGNOSTIC CODES
//
// Every code in the registry is shown to a user by at least one bad conformance case
// (tests/conformance/<feature>/bad/<case>.expected), so no code is dead and every code has an
// example of the mistake it names. The few codes a conformance case cannot carry are listed
// below with the reason, and each of those is produced directly here instead.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { check } from "../compiler/src";
import { registry, type DiagnosticCode } from "../grammar/src/diagnostics";

const conformance = join(import.meta.dirname, "conformance");

/** Codes that no bad conformance case carries, and why. */
const notInBadCases: Partial<Record<DiagnosticCode, string>> = {
  PCMH0107: "file too large: needs an input over 10 MB, which does not belong in the repository; produced directly below",
  PCMH0411:
    "weights not adding up to 100% is a warning, and a case whose only mistake is a warning is a good case; shown by a good case instead (checked below)",
};

function expectedFiles(kind: "good" | "bad"): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const feature of readdirSync(conformance).sort()) {
    const dir = join(conformance, feature, kind);
    if (!statSync(join(conformance, feature)).isDirectory()) continue;
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files.sort()) if (f.endsWith(".expected")) out.push({ file: `${feature}/${kind}/${f}`, text: readFileSync(join(dir, f), "utf8") });
  }
  return out;
}

function codesIn(files: { text: string }[]): Set<string> {
  const codes = new Set<string>();
  for (const { text } of files) for (const m of text.matchAll(/^\d+:\d+: (?:error|warning) (PCMH\d{4}):/gm)) codes.add(m[1]!);
  return codes;
}

const bad = expectedFiles("bad");
const good = expectedFiles("good");
const inBad = codesIn(bad);
const registered = Object.keys(registry) as DiagnosticCode[];

describe("diagnostic codes", () => {
  test("the conformance suite has bad cases to scan", () => {
    expect(bad.length).toBeGreaterThan(0);
  });

  test.each(registered.filter((c) => notInBadCases[c] === undefined))("%s is produced by a bad conformance case", (code) => {
    expect(inBad.has(code), `no tests/conformance/*/bad/*.expected shows ${code} (${registry[code].title})`).toBe(true);
  });

  test("every listed exception is a registered code that no bad case carries yet", () => {
    for (const code of Object.keys(notInBadCases)) {
      expect(registered).toContain(code);
      expect(inBad.has(code), `${code} is now in a bad case: remove it from the exceptions`).toBe(false);
    }
  });

  test("expected files mention only registered codes", () => {
    const all = new Set([...inBad, ...codesIn(good)]);
    for (const code of all) expect(registered).toContain(code);
  });

  test("warnings are shown by a good case", () => {
    const inGood = codesIn(good);
    for (const code of registered.filter((c) => registry[c].severity === "warning")) expect(inGood.has(code) || inBad.has(code), code).toBe(true);
  });

  test("PCMH0107: a file over 10 MB is refused with one diagnostic", () => {
    const text = 'contract "Huge"\nterm 2026-01-01 to 2026-12-31\n' + "# padding\n".repeat(1_100_000);
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    const result = check(text);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["PCMH0107"]);
    expect(result.diagnostics[0]!.span).toEqual({ start: 0, end: 0 });
  });

  test("PCMH0107: a file just under the limit is read", () => {
    const head = 'contract "Big"\nterm 2026-01-01 to 2026-12-31\n';
    const text = head + "#".repeat(10 * 1024 * 1024 - head.length - 1) + "\n";
    expect(text.length).toBe(10 * 1024 * 1024);
    expect(check(text).diagnostics.map((d) => d.code)).not.toContain("PCMH0107");
  });
});
