import { defineConfig } from "vitest/config";

// Suites: pure logic, components under Pulumi mocks, the emulator on its own, the zt commands against
// the emulator, end-to-end runs of the real engine against the emulator (serial within the suite), the
// connector on a real Docker engine, and the resilience suite (faults, lost responses, killed and
// concurrent runs, drift, every resource type's lifecycle: timing-sensitive, run on its own by
// `npm run test:resilience`).
// Projects run at the same time (vitest's default groupOrder 0): the e2e files one after another, the
// connector files one after another beside them (mostly waiting on Docker), the fast suites in between.
export default defineConfig({
  test: {
    maxWorkers: 4,
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      { test: { name: "mocks", include: ["tests/mocks/**/*.test.ts"] } },
      { test: { name: "emulator", include: ["tests/emulator/**/*.test.ts"] } },
      { test: { name: "commands", include: ["tests/commands/**/*.test.ts"], testTimeout: 60_000 } },
      // The engine end to end, in two serial halves that run beside each other (each file has its own
      // emulator, project directory and backend): the product's paths, and the engine, GitOps and
      // npm-start runs.
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/product-*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "e2e-engine",
          include: ["tests/e2e/**/*.test.ts"],
          exclude: ["tests/e2e/product-*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "resilience",
          include: ["tests/resilience/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        // The connector (cloudflared + dnsmasq) through the engine on the project's own dockerd
        // (toolchain/dockerd.sh): slow, serial, one Docker engine shared by the files.
        test: {
          name: "connector",
          include: ["tests/connector/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
