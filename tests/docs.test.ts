// DOCUMENTATION EXAMPLES
//
// The documentation is tested like code. Every ```pcmh block in docs/*.md is a complete contract
// that checks clean (no errors, no warnings). docs/diagnostics.md has one `## PCMHnnnn: title`
// section per registry code, in registry order, with the registry's title; in each section every
// ```pcmh-bad block produces that code, the ```text block after it is exactly what
// `pcmh check bad.pcmh` prints, and a ```pcmh block shows the fix. A code that no small text can
// produce (a file too large to print) is generated here instead, with its output still compared.
//
// docs/language.md also lists the hard and soft keywords and the built-in quantities; those lists
// are compared with the lexer's and the checker's, so the reference cannot drift from them.
//
// `UPDATE_DOCS=1 npx vitest run tests/docs.test.ts` rewrites the ```text outputs in
// docs/diagnostics.md from the current checker; `git diff docs/` is the review.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { main } from "../cli/src/main";
import { builtins, check } from "../compiler/src";
import { keywordWords, MAX_SOURCE_LENGTH, registry, type DiagnosticCode } from "../grammar/src";

const docsDir = join(import.meta.dirname, "..", "docs");
const diagnosticsFile = join(docsDir, "diagnostics.md");
const update = process.env.UPDATE_DOCS === "1";

interface Block {
  readonly file: string;
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Offsets of the block's body in the file, for rewriting. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** The nearest `## ` heading above the block. */
  readonly heading?: string;
}

function blocksOf(file: string, source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.split("\n");
  let offset = 0;
  let heading: string | undefined;
  let open: { lang: string; line: number; bodyStart: number; body: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = offset + line.length + 1;
    if (open) {
      if (line.trimEnd() === "```") {
        blocks.push({ file, lang: open.lang, text: open.body.join("\n") + "\n", line: open.line, bodyStart: open.bodyStart, bodyEnd: offset, ...(heading ? { heading } : {}) });
        open = undefined;
      } else open.body.push(line);
    } else if (line.startsWith("```")) open = { lang: line.slice(3).trim(), line: i + 1, bodyStart: next, body: [] };
    else if (line.startsWith("## ")) heading = line.slice(3).trim();
    offset = next;
  }
  if (open) throw new Error(`${file}:${open.line}: a code block is never closed`);
  return blocks;
}

function docFiles(): string[] {
  return readdirSync(docsDir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(docsDir, f));
}

/** What `pcmh check bad.pcmh` prints for this text, as shown in the docs. */
async function checkOutput(text: string, name = "bad.pcmh"): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "pcmh-docs-"));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    let out = "";
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (out += s) };
    await main(["check", file], io);
    return `$ pcmh check ${name}\n${out.split(file).join(name).trimEnd()}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Codes whose example is generated here rather than printed in the docs.
const generated: Partial<Record<DiagnosticCode, { name: string; text: () => string }>> = {
  PCMH0107: {
    name: "huge.pcmh",
    text: () => 'contract "Huge"\n  term 2026-01-01 to 2026-12-31\n' + ("#" + " ".repeat(99) + "\n").repeat(Math.ceil(MAX_SOURCE_LENGTH / 100) + 1),
  },
};

function codeOf(heading: string | undefined): string | undefined {
  return heading?.match(/^(PCMH\d{4}):/)?.[1];
}

/** The ```text block that shows the output of a ```pcmh-bad block: the next block, if it is text. */
function outputAfter(blocks: Block[], index: number): Block | undefined {
  const next = blocks[index + 1];
  return next?.lang === "text" && next.heading === blocks[index]!.heading ? next : undefined;
}

async function expectedOutputs(blocks: Block[]): Promise<Map<Block, string>> {
  const out = new Map<Block, string>();
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const code = codeOf(b.heading) as DiagnosticCode | undefined;
    if (b.lang === "pcmh-bad") {
      const shown = outputAfter(blocks, i);
      if (shown) out.set(shown, await checkOutput(b.text));
    } else if (b.lang === "text" && code && generated[code] && b.text.startsWith("$ pcmh check")) {
      out.set(b, await checkOutput(generated[code].text(), generated[code].name));
    }
  }
  return out;
}

if (update) {
  const source = readFileSync(diagnosticsFile, "utf8");
  const outputs = await expectedOutputs(blocksOf(diagnosticsFile, source));
  let rewritten = source;
  for (const [block, text] of [...outputs].sort((a, b) => b[0].bodyStart - a[0].bodyStart)) rewritten = rewritten.slice(0, block.bodyStart) + text + rewritten.slice(block.bodyEnd);
  writeFileSync(diagnosticsFile, rewritten);
}

const allBlocks = docFiles().flatMap((f) => blocksOf(f, readFileSync(f, "utf8")));
const diagnosticsBlocks = allBlocks.filter((b) => b.file === diagnosticsFile);
const outputs = await expectedOutputs(diagnosticsBlocks);

function describeDiagnostics(text: string): string[] {
  return check(text).diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);
}

describe("every ```pcmh example in docs/ checks clean", () => {
  for (const b of allBlocks.filter((b) => b.lang === "pcmh")) {
    test(`${b.file.slice(docsDir.length + 1)}:${b.line}`, () => {
      expect(describeDiagnostics(b.text)).toEqual([]);
    });
  }
});

describe("docs/diagnostics.md", () => {
  const source = readFileSync(diagnosticsFile, "utf8");
  const headings = [...source.matchAll(/^## (PCMH\d{4}): (.*)$/gm)].map((m) => ({ code: m[1]!, title: m[2]!.trim() }));

  test("has one section per registry code, in registry order, titled as in the registry", () => {
    expect(headings.map((h) => `${h.code}: ${h.title}`)).toEqual(Object.entries(registry).map(([code, info]) => `${code}: ${info.title}`));
  });

  for (const [code] of Object.entries(registry)) {
    const section = diagnosticsBlocks.filter((b) => codeOf(b.heading) === code);
    test(`${code}: the bad example produces it, its output is as shown, and the fix checks clean`, () => {
      const bad = section.filter((b) => b.lang === "pcmh-bad");
      const fixed = section.filter((b) => b.lang === "pcmh");
      const gen = generated[code as DiagnosticCode];
      if (gen) expect(check(gen.text()).diagnostics.map((d) => d.code)).toContain(code);
      else expect(bad.length, `${code} has no pcmh-bad example`).toBeGreaterThan(0);
      for (const b of bad) {
        expect(describeDiagnostics(b.text).join("\n"), `the pcmh-bad block at line ${b.line}`).toContain(` ${code}: `);
        expect(outputAfter(section, section.indexOf(b)), `the pcmh-bad block at line ${b.line} is followed by its output`).toBeDefined();
      }
      for (const shown of section.filter((b) => outputs.has(b))) expect(shown.text, `the output at line ${shown.line} (UPDATE_DOCS=1 rewrites it)`).toBe(outputs.get(shown));
      expect(fixed.length, `${code} has no fixed example`).toBeGreaterThan(0);
    });
  }
});

describe("docs/language.md", () => {
  const source = readFileSync(join(docsDir, "language.md"), "utf8");
  const paragraphAfter = (lead: string) => {
    const start = source.indexOf(lead);
    if (start < 0) throw new Error(`docs/language.md has no paragraph starting ${lead}`);
    const list = source.indexOf("`", source.indexOf(":", start + lead.length));
    const end = source.indexOf("\n\n", list);
    return [...source.slice(list, end).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  };

  test("lists exactly the hard keywords", () => {
    expect(paragraphAfter("**Hard keywords**").sort()).toEqual(keywordWords.filter((k) => !k.soft).map((k) => k.word).sort());
  });

  test("lists exactly the soft keywords", () => {
    expect(paragraphAfter("**Soft keywords**").sort()).toEqual(keywordWords.filter((k) => k.soft).map((k) => k.word).sort());
  });

  test("lists every built-in quantity with its unit and level", () => {
    const rows = [...source.matchAll(/^\| `([^`]+)` \| (\w+) \| (\w+) \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(rows.sort()).toEqual([...builtins.values()].map((b) => `${b.phrase} ${b.unit} ${b.level}`).sort());
  });
});
