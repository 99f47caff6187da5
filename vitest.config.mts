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
    maxWorkers: 3,
    projects: [
      // 30 s, not vitest's 5 s: these run beside the engine suites, which take most of the 2 cores; the
      // timeout catches a hang, it is not a speed target (those live in `npm run bench`).
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { name: "mocks", include: ["tests/mocks/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { name: "emulator", include: ["tests/emulator/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { name: "commands", include: ["tests/commands/**/*.test.ts"], testTimeout: 60_000 } },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
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
