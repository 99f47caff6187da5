// The toolchain lookup every engine run starts with: with nothing built it must fail loudly and
// name the command that builds it (engine tests never skip for a missing binary).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStack } from "../../src/engine";
import { requireToolchain, toolchainPaths, ToolchainMissingError } from "../../toolchain/paths";

describe("toolchain paths", () => {
  it("throws, naming `npm run toolchain`, when the cache holds no build", async () => {
    const empty = mkdtempSync(join(tmpdir(), "zt-empty-cache-"));
    try {
      const env = { ...process.env, XDG_CACHE_HOME: empty };
      expect(() => requireToolchain(env)).toThrow(ToolchainMissingError);
      expect(() => requireToolchain(env)).toThrow(/npm run toolchain/);
      expect(toolchainPaths(env).pulumi.startsWith(join(empty, "zt-gitops", "toolchain"))).toBe(true);
      await expect(
        openStack({
          projectDir: empty,
          stackName: "x",
          program: async () => ({}),
          // build: an official CLI or plugin installed on this machine must not make the build optional.
          env: { XDG_CACHE_HOME: empty, ZT_TOOLCHAIN: "build" },
        }),
      ).rejects.toThrow(/npm run toolchain/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("finds every binary of the current build", () => {
    const paths = requireToolchain();
    expect(paths.pulumi).toBe(join(paths.root, "bin", "pulumi"));
    // Plugins are not in the bin dir: the engine loads them from a plugin cache (src/engine/home.ts).
    expect(paths.cloudflarePlugin.startsWith(paths.cacheRoot)).toBe(true);
    expect(paths.cloudflarePlugin.startsWith(paths.binDir)).toBe(false);
    expect(paths.dynamicProviderLauncher.startsWith(paths.binDir)).toBe(true);
  });
});
