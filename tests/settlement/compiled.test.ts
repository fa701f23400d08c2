// COMPILED MODULES: every repository contract compiles to a module whose TypeScript type-checks
// against the runtime; golden copies show what the emitter writes; no contract text can inject code.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { emitModule } from "../../compiler/src";
import { contractFiles } from "../support/files";
import { compiled, loadModule } from "../support/settle";

const update = process.env.UPDATE_EXPECTED === "1";

describe("emitted modules", () => {
  const files = contractFiles();
  test("the TypeScript form of every contract type-checks against the runtime", () => {
    const dir = mkdtempSync(join(tmpdir(), "pcmh-tsc-"));
    const runtime = resolve("runtime/src/index.ts").replace(/\.ts$/, "");
    const paths = files.map((f, i) => {
      const path = join(dir, `${i}-${basename(f, ".pcmh")}.ts`);
      writeFileSync(path, emitModule(compiled(readFileSync(f, "utf8")), { typescript: true, runtime }));
      return path;
    });
    const program = ts.createProgram(paths, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(diagnostics).toEqual([]);
  });

  test.each(files)("golden module for %s", (file) => {
    const golden = join("tests/golden", `${basename(file, ".pcmh")}.ts.snap`);
    const text = emitModule(compiled(readFileSync(file, "utf8")), { typescript: true });
    if (update || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });

  test("the module exports its metadata and checks the runtime ABI when it loads", async () => {
    const mod = await loadModule('contract "ABI check" version "7"\n  term 2026-01-01 to 2026-12-31\n');
    expect(mod.meta).toMatchObject({ title: "ABI check", contractId: "abi-check", runtimeAbi: 1 });
    const wrong = emitModule(compiled('contract "Old"\n  term 2026-01-01 to 2026-12-31\n'), { typescript: false, runtime: "RT" }).replace('"runtimeAbi": 1', '"runtimeAbi": 99').replace("runtimeAbi: 1", "runtimeAbi: 99");
    const dir = mkdtempSync(join(tmpdir(), "pcmh-abi-"));
    const path = join(dir, "old.mjs");
    writeFileSync(path, wrong.replace('"RT"', JSON.stringify(new URL(`file://${resolve("runtime/src/index.ts")}`).href)));
    await expect(import(path)).rejects.toThrow(/compiled for runtime ABI 99, but this runtime is ABI 1/);
  });

  test("hostile contract text cannot inject code into the module", async () => {
    const hostile = fc.oneof(
      fc.constantFrom('"; throw 1; "', "`${process.exit(1)}`", "*/ throw 1; /*", "\u2028throw 1;//", "\u2029", "</script>", "\\", "${x}", "'", "\\u0000"),
      fc.string({ unit: "binary", maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 3, maxLength: 3 }), async ([title, cite, clause]) => {
        const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n\u2028\u2029]/g, " ")}"`;
        const source = `contract ${q(title!)}\n  term 2026-01-01 to 2026-12-31\n\nparameter p = 5% cite ${q(cite!)}\n\nmonthly fee ${q(clause!)}\n  pay $1.00 pmpm\n  cite ${q(cite!)}\n`;
        const mod = await loadModule(source);
        expect(mod.meta.title).toBe(title!.replace(/[\r\n\u2028\u2029]/g, " "));
      }),
      { numRuns: 30 },
    );
  });
});
