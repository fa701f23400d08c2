// The playground's build: a static site (relative URLs, so any static host and any sub-path work),
// Monaco's slim entry with its editor worker bundled locally, and the compiler, runtime and
// simulator sources imported directly (no build step of their own).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/** In the built site, the browser itself refuses any request that leaves the site. */
const contentSecurityPolicy: Plugin = {
  name: "pcmh-content-security-policy",
  apply: "build",
  transformIndexHtml: () => [
    {
      tag: "meta",
      attrs: {
        "http-equiv": "Content-Security-Policy",
        content: "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob: data:",
      },
      injectTo: "head-prepend",
    },
  ],
};

export default defineConfig({
  root: here,
  base: "./",
  plugins: [react(), contentSecurityPolicy],
  resolve: {
    // The compiler reads CSV through csv-parse's Node entry; the browser build of the same API.
    alias: { "csv-parse/sync": "csv-parse/browser/esm/sync" },
  },
  worker: { format: "es" },
  optimizeDeps: {
    // Found up front, so the dev server does not reload the page the first time Monaco loads.
    include: ["monaco-editor/editor", "react", "react-dom/client", "chart.js", "chevrotain", "decimal.js", "csv-parse/browser/esm/sync", "pure-rand/generator/xoroshiro128plus"],
  },
  server: { host: "localhost", strictPort: false },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 6000,
  },
});
