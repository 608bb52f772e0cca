import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
    ],
    testTimeout: 20_000,
    // Every CLI --json result a test produces is checked against its registry output schema (apps/cli/src/check-output.ts).
    env: { FLOPCAST_CHECK_OUTPUT: "1" },
    setupFiles: ["vitest.setup.ts"],
    // Builds the CLI bundle once, so tests that spawn `flopcast` run what users run (apps/cli/dist).
    globalSetup: ["apps/cli/test/global-setup.ts"],
  },
});
