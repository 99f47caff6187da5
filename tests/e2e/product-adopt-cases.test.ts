// Issue 16 item 4, the other cases of `npm run adopt` (through the command, against the emulator; no
// engine needed, nothing is applied): an empty account has nothing to adopt; two candidate applications
// make it ask for --app instead of guessing; a Bypass policy is refused, never dropped; nothing is
// written in any of these cases.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN, startEmulator, type RunningEmulator } from "../../emulator";
import { bufferSink, runCommand } from "../../src/command";
import { ADOPT } from "../../src/cli/adopt";
import { PLAN } from "../../src/cli/plan";
import { DEFAULT_FALLBACK_SUFFIXES } from "../../src/config/defaults";
import { RUNBOOK, sdkFor, seedRunbookAccount } from "./helpers/runbook-account";

describe("npm run adopt: nothing to adopt, two applications, a rule it does not model", () => {
  let emulator: RunningEmulator;
  let dir: string;
  const stackText = () =>
    `# hand-written\nconfig:\n  zt:accountId: ${emulator.accountId}\n  zt:zoneId: ${emulator.zoneId}\n`;
  const adopt = async (...args: string[]) => {
    const sink = bufferSink();
    const code = await runCommand(ADOPT, ["--stack", "prod", ...args], {
      projectDir: dir,
      env: { CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN, CLOUDFLARE_BASE_URL: emulator.apiBase },
      output: sink,
    });
    return { code, out: sink.stdout(), err: sink.stderr() };
  };
  const untouched = () => {
    expect(readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackText());
    expect(existsSync(join(dir, "users.yaml"))).toBe(false);
    expect(existsSync(join(dir, "adoption.prod.json"))).toBe(false);
  };

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), "zt-adopt-cases-"));
    writeFileSync(join(dir, "Pulumi.prod.yaml"), stackText());
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an empty account: there is nothing to adopt (exit 1), nothing written", async () => {
    const r = await adopt();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Nothing to adopt: the account has no self-hosted Access application/);
    untouched();
  });

  it("two candidate applications: asks for --app (exit 64) and names both; --app then picks one", async () => {
    await seedRunbookAccount(emulator, [...DEFAULT_FALLBACK_SUFFIXES]);
    const cf = sdkFor(emulator);
    const policy = (await cf.zeroTrust.access.policies.list({ account_id: emulator.accountId })).result[0];
    await cf.zeroTrust.access.applications.create({
      account_id: emulator.accountId,
      name: "Wiki",
      type: "self_hosted",
      domain: "wiki.example.org",
      policies: [{ id: policy.id!, precedence: 1 }],
    } as never);
    const r = await adopt();
    expect(r.code).toBe(64);
    expect(r.err).toContain("2 Access applications");
    expect(r.err).toContain(`npm run adopt -- --stack prod --app ${RUNBOOK.host}`);
    expect(r.err).toContain("npm run adopt -- --stack prod --app wiki.example.org");
    untouched();
    const picked = await adopt("--app", RUNBOOK.host, "--dry-run");
    expect(picked.err).toBe("");
    expect(picked.code).toBe(0);
    expect(picked.out).toContain(`Access application "Open Chat Studio" for ${RUNBOOK.host}`);
    untouched();
  });

  it("a Bypass policy on the application is refused with its name, never dropped; nothing written", async () => {
    const ids = await seedRunbookAccount(emulator, [...DEFAULT_FALLBACK_SUFFIXES]);
    const cf = sdkFor(emulator);
    const bypass = await cf.zeroTrust.access.policies.create({
      account_id: emulator.accountId,
      name: "Health check bypass",
      decision: "bypass",
      include: [{ everyone: {} }],
    } as never);
    await cf.zeroTrust.access.applications.update(ids.app, {
      account_id: emulator.accountId,
      name: "Open Chat Studio",
      type: "self_hosted",
      domain: RUNBOOK.host,
      session_duration: "12h",
      policies: [
        { id: ids.policy, precedence: 1 },
        { id: bypass.id!, precedence: 2 },
      ],
    } as never);
    const r = await adopt();
    expect(r.code).toBe(1);
    expect(r.err).toContain('Bypass policy "Health check bypass": the stack would detach it');
    expect(r.err).toContain("Nothing was written.");
    untouched();
  });

  it("the pull-request plan of the adoption change says what the first apply changes, in the admin's words", async () => {
    await seedRunbookAccount(emulator, [...DEFAULT_FALLBACK_SUFFIXES]);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], {
        cwd: dir,
        stdio: "pipe",
      });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "the stack file before adoption");
    expect((await adopt()).code).toBe(0);
    const again = await adopt();
    expect(again.code).toBe(1);
    expect(again.err).toContain("stack prod was already adopted (adoption.prod.json)");
    const sink = bufferSink();
    const code = await runCommand(PLAN, ["--base", "main", "--stack", "prod", "--today", "2026-12-02"], {
      projectDir: dir,
      env: {},
      output: sink,
    });
    const md = sink.stdout();
    console.log(`--- pull-request plan of the adoption change ---\n${md}`);
    expect(code, sink.stderr()).toBe(0);
    expect(md).toContain("### Adopting the account's existing setup (first apply after `npm run adopt`)");
    expect(md).toContain(
      '- moves 3 email(s) from the policy\'s inline rules into the list "zt-gitops users 1"',
    );
    expect(md).toContain('imports tunnel "ocs-by-hand"');
    // The three people are already in: the adoption adds nobody (no welcome or WARP-enrolment steps).
    expect(md).toContain("- keeps the 3 people already allowed (now in users.yaml)");
    expect(md).not.toContain("### Users added");
    expect(md).not.toContain("### Users removed");
    expect(md).toContain(
      'then deletes device posture rule "Registered serial numbers", serial list "Team laptops"',
    );
  });
});
