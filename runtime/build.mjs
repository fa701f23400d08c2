// Builds the publishable runtime: runtime/dist with plain JavaScript, declarations and a
// package.json whose only dependency is decimal.js.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
rmSync(join(here, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(here, "tsconfig.build.json")], { stdio: "inherit" });
const source = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const published = { ...source, exports: { ".": { types: "./index.d.ts", default: "./index.js" } } };
writeFileSync(join(here, "dist/package.json"), JSON.stringify(published, null, 2) + "\n");
console.log("built runtime/dist");
