import { defineConfig } from "vitest/config";

// Four suites: pure logic, components under Pulumi mocks, the emulator on its own,
// and end-to-end runs of the real engine against the emulator (slow, serial).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      { test: { name: "mocks", include: ["tests/mocks/**/*.test.ts"] } },
      { test: { name: "emulator", include: ["tests/emulator/**/*.test.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
