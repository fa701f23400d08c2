// ARCHITECTURE: each phase imports only what its layer allows, so the runtime stays embeddable
// (decimal.js alone) and the grammar stays free of compiler concerns.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { filesUnder } from "./support/files";

const allowed: Record<string, RegExp> = {
  grammar: /^(chevrotain|\.\/.*)$/,
  compiler: /^(decimal\.js|csv-parse\/sync|\.\.?\/.*)$/,
  runtime: /^(decimal\.js|\.\/.*)$/,
};

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"/gms)].map((m) => m[1]!);
}

describe("layering", () => {
  for (const [layer, pattern] of Object.entries(allowed)) {
    test(`${layer}/ imports only what it may`, () => {
      const files = existsSync(`${layer}/src`) ? filesUnder(`${layer}/src`, ".ts") : [];
      const offending = files.flatMap((f) => imports(f).filter((i) => !pattern.test(i) || layerOf(f, i) === "forbidden").map((i) => `${f}: ${i}`));
      expect(offending).toEqual([]);
    });
  }
});

/** Relative imports may reach a lower layer only: compiler -> grammar, runtime; nothing -> cli. */
function layerOf(file: string, specifier: string): "ok" | "forbidden" {
  if (!specifier.startsWith(".")) return "ok";
  const layer = file.split("/")[0]!;
  const target = new URL(specifier, `file:///${file}`).pathname.split("/")[1]!;
  const below: Record<string, string[]> = { grammar: ["grammar"], compiler: ["compiler", "grammar", "runtime"], runtime: ["runtime"] };
  return (below[layer] ?? []).includes(target) ? "ok" : "forbidden";
}
