// EMBEDDING: what docs/embedding.md tells a payment engine to do works, both with the sources in
// this repository and with plain Node against the built runtime package.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { emitModule } from "../compiler/src";
import { compiled } from "./support/settle";

const contract = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");

describe("embedding a compiled contract", () => {
  test("the example's compiled module is current", () => {
    expect(readFileSync("examples/embedding/regional-pcmh.ts", "utf8")).toBe(emitModule(compiled(contract), { typescript: true }));
    expect(readFileSync("examples/embedding/regional-pcmh.js", "utf8")).toBe(emitModule(compiled(contract), { typescript: false }));
  });

  test("the example engine settles and posts every line", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/embedding/engine.ts"], { encoding: "utf8" });
    expect(out).toContain('post      22.50 to practice:P1 for "E&M uplift" (2026-01)');
    expect(out).toMatch(/^total 198\.87, contract regional-pcmh-program 2026\.1, source [0-9a-f]{12}$/m);
  });

  test("the JavaScript module runs on plain Node against the built runtime package", () => {
    execFileSync(process.execPath, ["runtime/build.mjs"], { stdio: "pipe" });
    const dir = mkdtempSync(join(tmpdir(), "pcmh-engine-"));
    mkdirSync(join(dir, "node_modules/@pcmh"), { recursive: true });
    symlinkSync(resolve("runtime/dist"), join(dir, "node_modules/@pcmh/runtime"));
    symlinkSync(resolve("node_modules/decimal.js"), join(dir, "node_modules/decimal.js"));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "contract.js"), emitModule(compiled(contract), { typescript: false }));
    writeFileSync(
      join(dir, "engine.js"),
      `import contract from "./contract.js";
const physicians = Array.from({ length: 10 }, (_, i) => ({ id: "D" + i, practice: "P1", panel: "N1" }));
const s = contract.settle({ practices: [{ id: "P1" }], physicians, members: [{ member: "M1", month: "2026-01", payer: "Example Health Plan", riskScore: "1.5", physician: "D0" }], claims: [], quality: [], baseline: [{ level: "panel", id: "N1", memberMonths: "1", cost: "100", riskScore: "1" }] });
console.log(s.totals.total, s.lines.length);
`,
    );
    const out = execFileSync(process.execPath, ["engine.js"], { cwd: dir, encoding: "utf8" });
    // One member-month at risk 1.5 earns $9.00 of care coordination. Panel N1's benchmark is
    // 100 grown 3.5% x 1.5/1.0 risk = 155.25 and it spent nothing; with no BCS data only the ED
    // measure scores (0 visits: 100%), so it shares 50% = 77.625, capped at 10% of 155.25 = 15.525,
    // rounded half-even to 15.52. Two lines, 24.52 in all.
    expect(out.trim()).toBe("24.52 2");
  });
});
