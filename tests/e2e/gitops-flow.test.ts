// The GitOps flow end to end, as the workflows run it: `npm run plan` on a pull request, `npm run apply`
// on merge, `npm run drift` on a schedule. Each command is a real child process (its exit code is what
// the workflow sees), driving the real engine (built toolchain) against the emulator, in a throwaway Git
// repository that holds users.yaml and the stack file.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { EMULATOR_DEFAULT_TOKEN, startEmulator, type RunningEmulator } from "../../emulator";
import { REPO_ROOT } from "../../toolchain/layout";
import { requireToolchain } from "../../toolchain/paths";

const run = promisify(execFile);
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const TODAY = "2026-11-23";
const STACK = "ci";
const PASSPHRASE = "gitops-flow-passphrase-3c9e";
const TEAM = readFileSync(join(REPO_ROOT, "tests", "unit", "plan-fixtures", "team.yaml"), "utf8");
const ERIN =
  "  - email: erin@example.org\n    name: Erin Example\n    devices:\n      - serial: C02ERIN0001\n        os: macos\n";
const withoutUser = (text: string, email: string) =>
  text.replace(new RegExp(`  - email: ${email.replace(".", "\\.")}\\n(?: {4}.*\\n)*`), "");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe("gitops flow: plan -> apply -> drift (real engine, emulator)", () => {
  let emulator: RunningEmulator;
  let repo: string;
  let out: string;
  const transcripts: string[] = [];

  /** `npm run <command> -- args`, as the workflow runs it, in the throwaway repository. */
  async function npmRun(
    command: "plan" | "apply" | "drift",
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<Result> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN,
      ...extraEnv,
    };
    // The stack's state lives in the repository's own file backend, never the developer's.
    delete env.PULUMI_BACKEND_URL;
    for (const k of ["ZT_ALLOW_MASS_REMOVAL", "ZT_ALLOW_TUNNEL_REPLACE"]) if (!(k in extraEnv)) delete env[k];
    try {
      const r = await run(
        TSX,
        [join(REPO_ROOT, "src", "cli", `${command}.ts`), "--project-dir", repo, ...args],
        { env, cwd: repo, maxBuffer: 64 * 1024 * 1024 },
      );
      transcripts.push(r.stdout, r.stderr);
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      transcripts.push(e.stdout ?? "", e.stderr ?? "");
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  const git = (...args: string[]) =>
    run("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.org", ...args], { cwd: repo });
  const writeUsers = (text: string) => writeFileSync(join(repo, "users.yaml"), text);
  const writes = () => emulator.requests().filter((r) => r.method !== "GET" && !r.admin).length;
  const emailList = () => {
    const list = emulator.state.data.lists.find((l) => l.type === "EMAIL");
    return ((list?.items ?? []) as { value: string }[]).map((i) => i.value).sort();
  };
  const revokedEmails = () => emulator.state.data.access.revocations.map((r) => r.email as string);

  beforeAll(async () => {
    requireToolchain(); // fails with the build command when the engine is not built: no silent skip
    emulator = await startEmulator({ port: 0 });
    repo = mkdtempSync(join(tmpdir(), "zt-gitops-flow-"));
    out = mkdtempSync(join(tmpdir(), "zt-gitops-flow-out-"));
    copyFileSync(join(REPO_ROOT, "Pulumi.yaml"), join(repo, "Pulumi.yaml"));
    // The committed local stack, pointed at this emulator; the token comes from CLOUDFLARE_API_TOKEN as in CI.
    // Secrets of the local stack (if `npm start` added any) belong to another passphrase: left out.
    const local = parse(readFileSync(join(REPO_ROOT, "Pulumi.local.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const config = Object.fromEntries(
      Object.entries(local.config).filter(([, v]) => !(typeof v === "object" && v !== null && "secure" in v)),
    );
    writeFileSync(
      join(repo, `Pulumi.${STACK}.yaml`),
      stringify({ config: { ...config, "cloudflare:baseUrl": emulator.apiBase } }),
    );
    writeFileSync(join(repo, ".gitignore"), ".pulumi-local/\n");
    writeUsers(TEAM);
    await git("init", "-q", "-b", "main");
    await git("add", ".");
    await git("commit", "-q", "-m", "base");
  });

  afterAll(async () => {
    await emulator?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("first apply on main deploys the team; the lists hold exactly users.yaml", async () => {
    const r = await npmRun("apply", [
      "--stack",
      STACK,
      "--today",
      TODAY,
      "--summary",
      join(out, "apply-1.md"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(out, "apply-1.md"), "utf8");
    expect(summary).toContain(`## Applied to stack \`${STACK}\``);
    expect(summary).toContain(
      "- The deployed lists hold exactly the active users, their devices and the session lengths of users.yaml.",
    );
    expect(emailList()).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);
  });

  it("plan on a pull request adding erin and removing bob: the comment body, with the engine's counts", async () => {
    writeUsers(withoutUser(TEAM, "bob@example.org") + ERIN);
    const r = await npmRun("plan", [
      "--base",
      "main",
      "--stack",
      STACK,
      "--engine",
      "--today",
      TODAY,
      "--out",
      join(out, "plan.md"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const body = readFileSync(join(out, "plan.md"), "utf8");
    expect(r.stdout).toBe(body);
    const lines = body.split("\n");
    expect(lines[0]).toBe("<!-- zt-gitops-plan -->");
    expect(lines[1]).toBe(`## Access plan for stack \`${STACK}\``);
    expect(body).toContain(
      "**1 user added · 1 user removed · 2 device registrations revoked** → 4 active users, 4 devices. **Nothing refused**: merging applies it.",
    );
    expect(body).toContain("| `erin@example.org` (Erin Example) | 1: `C02ERIN0001` (macos) | no end date |");
    expect(body).toContain(
      "| `bob@example.org` (Bob Builder) | 2: `5CG1234XYZ` (windows), `PF2ABCDE` (linux) |",
    );
    expect(body).toContain("| Create | Update | Replace | Delete | Unchanged |");
    // erin and bob: the entries of the email list and of three serial lists, and the revocation ledger.
    expect(body).toContain("| 0 | 5 | 0 | 0 | 26 |");
    expect(body).toContain(
      "Revocations the apply runs: sessions and registrations of `bob@example.org`; registrations of devices `5CG1234XYZ`, `PF2ABCDE`.",
    );
    expect(body).not.toContain("> **"); // nothing critical
    expect(body).toContain(`\`npm run plan -- --base main --stack ${STACK} --engine\``);
  });

  it("removing three of four users: plan and apply refuse, apply touches nothing; the override lifts it", async () => {
    writeUsers(
      withoutUser(
        withoutUser(withoutUser(TEAM, "alice@example.org"), "bob@example.org"),
        "carol@example.org",
      ),
    );
    const plan = await npmRun("plan", ["--base", "main", "--stack", STACK, "--today", TODAY]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("### ⛔ Refused: this change cannot be applied as it is");
    expect(plan.stdout).toContain(
      "This change removes 3 of 4 users at once (75%); the limit is 50% (`guards.maxRemovalShare`).",
    );

    const before = writes();
    const apply = await npmRun("apply", ["--stack", STACK, "--today", TODAY]);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain(`## Apply refused on stack \`${STACK}\`: nothing was changed`);
    expect(writes()).toBe(before);
    expect(emailList()).toHaveLength(4);

    const allowed = await npmRun("plan", ["--base", "main", "--stack", STACK, "--today", TODAY], {
      ZT_ALLOW_MASS_REMOVAL: "1",
    });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("Allowed by the `allow-mass-removal` override.");
  });

  it("merge: apply with --base revokes bob, adds erin, and says who must do what", async () => {
    writeUsers(withoutUser(TEAM, "bob@example.org") + ERIN);
    const { stdout: baseSha } = await git("rev-parse", "HEAD");
    await git("commit", "-q", "-am", "add erin, remove bob");
    const r = await npmRun("apply", [
      "--stack",
      STACK,
      "--base",
      baseSha.trim(),
      "--today",
      TODAY,
      "--summary",
      join(out, "apply-2.md"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(out, "apply-2.md"), "utf8");
    expect(summary).toContain("0 created, 5 updated, 0 replaced, 0 deleted, 26 unchanged.");
    expect(summary).toContain("Revoked: device `5CG1234XYZ`, device `PF2ABCDE`, user `bob@example.org`.");
    expect(summary).toContain("- Send the WARP setup instructions to `erin@example.org`");
    expect(emailList()).toEqual([
      "alice@example.org",
      "carol@example.org",
      "dan@example.org",
      "erin@example.org",
    ]);
    expect(revokedEmails()).toContain("bob@example.org");
  });

  it("drift: clean right after the apply (exit 0), then a dashboard edit is reported (exit 2) and the issue body written", async () => {
    const clean = await npmRun("drift", [
      "--stack",
      STACK,
      "--today",
      TODAY,
      "--issue-file",
      join(out, "drift-clean.md"),
    ]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(readFileSync(join(out, "drift-clean.md"), "utf8")).toContain("No drift");

    const app = emulator.state.data.access.apps.find((a) => a.domain === "ocs.example.org")!;
    app.session_duration = "24h";
    const list = emulator.state.data.lists.find((l) => l.type === "EMAIL")!;
    (list.items as { value: string }[]).push({ value: "mallory@example.net" });
    emulator.state.save();

    const before = writes();
    const drift = await npmRun("drift", [
      "--stack",
      STACK,
      "--today",
      TODAY,
      "--issue-file",
      join(out, "drift.md"),
    ]);
    expect(drift.code, drift.stderr).toBe(2);
    expect(writes()).toBe(before); // the check itself changes nothing
    const issue = readFileSync(join(out, "drift.md"), "utf8");
    expect(drift.stdout).toBe(issue);
    expect(issue.split("\n")[0]).toBe("<!-- zt-gitops-drift -->");
    expect(issue).toContain(
      "| `access-app-ocs.example.org` | Access application | `sessionDuration` | sessionDuration: 8h → 24h |",
    );
    expect(issue).toMatch(
      /\| `members-emails-0` \| list entries \(emails or serial numbers\) \| `values` \| .*added by hand: mallory@example\.net/,
    );
    expect(issue).toContain(
      "| `access-app-ocs.example.org` | Access application | update | `sessionDuration` | puts back what users.yaml and the stack config say |",
    );
  });

  it("apply --refresh puts Cloudflare back; drift is clean again", async () => {
    const r = await npmRun("apply", ["--stack", STACK, "--refresh", "--today", TODAY]);
    expect(r.code, r.stderr).toBe(0);
    expect(emailList()).not.toContain("mallory@example.net");
    expect(
      emulator.state.data.access.apps.find((a) => a.domain === "ocs.example.org")?.session_duration,
    ).toBe("8h");
    const clean = await npmRun("drift", ["--stack", STACK, "--today", TODAY]);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it("no command printed the API token or the passphrase", () => {
    const all = transcripts.join("\n");
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain(EMULATOR_DEFAULT_TOKEN);
    expect(all).not.toContain(PASSPHRASE);
  });
});
