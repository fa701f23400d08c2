// THE COMMAND LINE: `pcmh check` and `pcmh fmt`, as a user runs them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { main } from "../../cli/src/main";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "pcmh-cli-"));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const clean = write("clean.pcmh", 'contract "Clean"\n  term 2026-01-01 to 2026-12-31\n\nparameter uplift = 12% range 0% to 20%\n');
const unitError = write("unit-error.pcmh", 'contract "Units"\n  term 2026-01-01 to 2026-12-31\n\nvalue wrong = 12% + $5.00\n');

describe("pcmh check", () => {
  test("a clean contract exits 0", async () => {
    const r = await run("check", clean);
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 file checked: no problems.");
  });

  test("a unit error exits 1 and names file, line and column", async () => {
    const r = await run("check", unitError);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${unitError}:4:15: error PCMH0301: I can't add Money to a Percent.`);
    expect(r.out).toContain("4 | value wrong = 12% + $5.00");
    expect(r.out).toContain("  |               ^^^^^^^^^^^");
    expect(r.out).toContain("hint: A percentage of an amount is written `12% of allowed`.");
  });

  test("--short prints one line per diagnostic", async () => {
    const r = await run("check", "--short", unitError, clean);
    expect(r.out.split("\n").filter((l) => l.includes("PCMH"))).toEqual([`${unitError}:4:15: error PCMH0301: I can't add Money to a Percent.`]);
  });

  test("a missing file is an error naming it", async () => {
    const r = await run("check", join(dir, "nope.pcmh"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("nope.pcmh: no such file");
  });

  test("a folder is checked file by file", async () => {
    const r = await run("check", "--short", dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\d+ files checked: 1 error/);
  });

  test("the repository's contracts are clean", async () => {
    const r = await run("check", "contracts");
    expect(r.out).toMatch(/checked: no problems/);
    expect(r.code).toBe(0);
  });
});

describe("pcmh fmt", () => {
  test("--check exits 1 for an unformatted file and 0 once written", async () => {
    const path = write("messy.pcmh", 'contract "Messy"\nterm 2026-01-01 to 2026-12-31\nparameter   uplift=12%  # keep me\n');
    const before = await run("fmt", "--check", path);
    expect(before.code).toBe(1);
    expect(before.out).toContain("not formatted");
    const written = await run("fmt", "--write", path);
    expect(written.code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe('contract "Messy"\n  term 2026-01-01 to 2026-12-31\n\nparameter uplift = 12%  # keep me\n');
    expect((await run("fmt", "--check", path)).code).toBe(0);
  });

  test("a file with syntax errors is left alone", async () => {
    const path = write("broken.pcmh", 'contract "Broken"\nparameter = 12%\n');
    const r = await run("fmt", "--write", path);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not formatted, because it has syntax errors");
    expect(readFileSync(path, "utf8")).toBe('contract "Broken"\nparameter = 12%\n');
  });

  test("the repository's contracts are formatted", async () => {
    expect((await run("fmt", "--check", "contracts")).code).toBe(0);
  });
});

describe("the installed command", () => {
  test("runs through its bin script and sets the exit code", () => {
    let status = 0;
    let stdout = "";
    try {
      stdout = execFileSync(process.execPath, ["cli/bin/pcmh.mjs", "check", "--short", unitError], { encoding: "utf8" });
    } catch (e) {
      status = (e as { status: number }).status;
      stdout = (e as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toContain("error PCMH0301");
  });

  test("an unknown command exits 2 with usage", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command");
  });
});
