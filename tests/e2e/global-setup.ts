// Builds the playground once into a temporary folder and serves it with `vite preview` on a free
// port of 127.0.0.1; the tests read the address with inject("baseUrl"). Nothing is built when
// there is no chromium to drive.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, preview } from "vite";
import type { TestProject } from "vitest/node";
import { filesUnder } from "../support/files";
import { chromiumPath, noChromiumMessage } from "./chromium";

export default async function setup(project: TestProject) {
  if (!chromiumPath) {
    console.warn(`\n${noChromiumMessage}\n`);
    project.provide("baseUrl", "");
    project.provide("contracts", []);
    return;
  }
  // The contracts the build bundles (others may add some while the tests run).
  project.provide("contracts", filesUnder("contracts", ".pcmh").map((f) => f.replace(/^contracts\//, "")));
  const outDir = mkdtempSync(join(tmpdir(), "pcmh-playground-"));
  const configFile = "playground/vite.config.ts";
  await build({ configFile, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: "warn", build: { outDir }, preview: { port: 0, host: "127.0.0.1", strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite preview did not report an address.");
  project.provide("baseUrl", url);
  return async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    contracts: string[];
  }
}
