// Reading contract files for the CLI: every failure becomes a message naming the file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { compile, type ProgramIr } from "../../compiler/src";
import { LineIndex, renderFull } from "../../compiler/src/render";
import { MAX_SOURCE_LENGTH } from "../../grammar/src";
import type { Io } from "./main";

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

export function readContract(file: string): ReadResult {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { ok: false, message: `${file}: is a folder, not a contract file` };
    if (stat.size > MAX_SOURCE_LENGTH * 4) return { ok: false, message: `${file}: is ${stat.size} bytes; contracts are limited to ${MAX_SOURCE_LENGTH} characters` };
    const bytes = readFileSync(file);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    return { ok: true, text: text.startsWith("\ufeff") ? " " + text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message;
    return { ok: false, message: `${file}: ${why}` };
  }
}

/**
 * The contract in `file` compiled, or undefined after writing to `io.err` why not: the file's
 * problem, or each diagnostic with its source line and "FILE: <consequence>, because the contract
 * has errors."
 */
export function compileContractFile(file: string, io: Pick<Io, "err">, consequence: string): ProgramIr | undefined {
  const read = readContract(file);
  if (!read.ok) {
    io.err(`${read.message}\n`);
    return undefined;
  }
  const compiled = compile(read.text);
  if (!compiled.ok) {
    const index = new LineIndex(read.text);
    for (const d of compiled.diagnostics) io.err(renderFull(file, index, d) + "\n\n");
    io.err(`${file}: ${consequence}, because the contract has errors.\n`);
    return undefined;
  }
  return compiled.ir;
}

/** The files named, with each folder replaced by the .pcmh files under it (sorted). */
export function expandContracts(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const child = join(path, entry);
      if (statSync(child).isDirectory()) walk(child);
      else if (child.endsWith(".pcmh")) out.push(child);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    } catch {
      out.push(p);
    }
  }
  return out;
}
