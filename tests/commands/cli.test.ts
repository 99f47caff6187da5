// The command line itself: help for every command (with an example), usage errors, and the real
// entry point (src/cli/zt.ts through tsx) against an emulator.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { makeProject, Project, TOKEN, zt } from "./helpers/project";

const ROOT = resolve(__dirname, "../..");
const COMMANDS = ["doctor", "audit", "review", "revoke", "device", "expire"];

describe("zt command line", () => {
  let p: Project;
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    p = makeProject({ baseUrl: emu.apiBase });
  });
  afterAll(async () => {
    p.remove();
    await emu.close();
  });

  it("prints help with an example for every command, without touching the API", async () => {
    for (const name of COMMANDS) {
      const run = await zt(p, [name, "--help"], { env: { CLOUDFLARE_API_TOKEN: undefined } });
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(/^Usage: npm run zt -- /);
      expect(run.stdout, name).toMatch(/\nExample: npm run zt -- \S+/);
    }
    const top = await zt(p, ["--help"]);
    expect(top.code).toBe(0);
    for (const name of COMMANDS) expect(top.stdout).toContain(`  ${name} `);
    expect(emu.requests()).toEqual([]);
  });

  it("answers usage mistakes with one line and exit 64 (an unusable stack file: 1)", async () => {
    expect(await zt(p, [])).toMatchObject({ code: 64 });
    expect(await zt(p, ["docter"])).toMatchObject({
      code: 64,
      stderr:
        'zt: unknown command "docter"; commands: doctor, audit, review, revoke, device, expire, token, test, tunnel (npm run zt -- --help)',
    });
    expect(await zt(p, ["doctor", "--emial", "a@b.org"])).toMatchObject({
      code: 64,
      stderr: "zt doctor: Unknown option '--emial'; see npm run zt -- doctor --help",
    });
    expect(await zt(p, ["audit", "extra"])).toMatchObject({
      code: 64,
      stderr: "zt audit: unexpected argument extra; see npm run zt -- audit --help",
    });
    expect(await zt(p, ["doctor", "--stack", "nope"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("zt doctor: cannot use stack nope: Pulumi.nope.yaml has 1 problem"),
    });
  });

  it("runs through the real entry point with exit codes and the repo's stack file", async () => {
    // Asynchronous on purpose: the emulator answers from this process's event loop.
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
        execFile(
          process.execPath,
          [resolve(ROOT, "node_modules/tsx/dist/cli.mjs"), resolve(ROOT, "src/cli/zt.ts"), ...args],
          {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, CLOUDFLARE_API_TOKEN: TOKEN, ...env },
          },
          (error, stdout, stderr) =>
            done({ status: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
        );
      });
    const audit = await run(["audit"], { CLOUDFLARE_BASE_URL: emu.apiBase });
    expect(audit.stderr).toBe("");
    expect(audit.stdout).toMatch(/^No Access sign-in events from /);
    expect(audit.status).toBe(0);
    const bad = await run(["audit", "--since", "soon"]);
    expect(bad.status).toBe(64);
    expect(bad.stderr.trim()).toBe(
      'zt audit: --since must be a duration such as 24h, 7d, 90m, 2w, or a date such as 2026-11-01 (got "soon")',
    );
  });
});
