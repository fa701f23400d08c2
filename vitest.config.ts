import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/e2e/**"],
          setupFiles: ["tests/support/setup.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      // The playground in a real browser (Debian's chromium through playwright-core); see tests/e2e/.
      "tests/e2e/vitest.config.ts",
    ],
  },
});
