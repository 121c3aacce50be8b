import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: !process.env.CI,
    pool: "forks",
    // Builds the CLI, starts embedded PostgreSQL when no server answers, reports browser tests.
    globalSetup: ["tests/setup/global-setup.ts"],
  },
});
