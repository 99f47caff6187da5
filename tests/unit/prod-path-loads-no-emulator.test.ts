import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/cli";

// The emulator is the local stack's; a command on any other stack must not even load it (it is test
// infrastructure, and its defaults, such as its token, must never reach a real account's run).

function loaded(entry: string, ...argv: string[]): { code: number; emulator: string[]; stderr: string } {
  const env = { ...process.env };
  delete env.PULUMI_CONFIG_PASSPHRASE;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  delete env.CLOUDFLARE_API_TOKEN;
  const result = spawnSync(
    process.execPath,
    [join(REPO, "node_modules/tsx/dist/cli.mjs"), "tests/unit/helpers/loaded-modules.ts", entry, ...argv],
    { cwd: REPO, encoding: "utf8", timeout: 60_000, env },
  );
  if (result.error) throw result.error;
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

describe("the prod path", () => {
  it("npm run preview -- --stack prod loads the engine and the program, not the emulator", () => {
    const run = loaded("engine", "preview", "--stack", "prod");
    // Stopped before the engine runs (no passphrase, or no toolchain yet): a failure, with the program loaded.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/passphrase|toolchain|npm run toolchain/i);
    expect(run.emulator).toEqual([]);
  }, 60_000);

  it("npm run zt -- expire --stack prod does not load the emulator", () => {
    const run = loaded("zt", "expire", "--stack", "prod");
    expect(run.emulator).toEqual([]);
  }, 60_000);

  it("the local-stack module does load it (so the check above can see it)", () => {
    const run = loaded("import-local");
    expect(run.emulator.length).toBeGreaterThan(0);
  }, 60_000);
});
