// Finding the repository's contract files (Node 20 has no fs.globSync).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function filesUnder(dir: string, extension: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, extension));
    else if (path.endsWith(extension)) out.push(path);
  }
  return out.sort();
}

export const contractFiles = (): string[] => filesUnder("contracts", ".pcmh");
