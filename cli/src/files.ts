// Reading contract files for the CLI: every failure becomes a message naming the file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { MAX_SOURCE_LENGTH } from "../../grammar/src";

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
