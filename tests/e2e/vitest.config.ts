// End-to-end tests of the built playground: built once and served by `vite preview` in the global
// setup, driven through Debian's chromium by playwright-core. Without a chromium binary the tests
// skip and say so.
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "e2e",
    root: ".",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // After the unit tests, so that a busy machine does not starve the browser.
    sequence: { groupOrder: 1 },
  },
});
