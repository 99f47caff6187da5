import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/plan";
import { FIXTURES_DIR, stackYaml, TEAM, withoutUser } from "./plan-helpers";

// `npm run plan` without the engine, in a throwaway Git repository: reading the base with `git show`,
// the default base and stack, the output file and the exit codes the workflow relies on.

describe("npm run plan (no engine)", () => {
  let repo: string;
  const out = () => join(repo, "plan.md");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], {
      cwd: repo,
      stdio: "pipe",
    });
  const write = (file: string, text: string) => writeFileSync(join(repo, file), text);
  const plan = (...args: string[]) =>
    main(["--project-dir", repo, "--today", "2026-11-23", "--out", out(), ...args], {});

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), "zt-plan-cli-"));
    git("init", "-q", "-b", "main");
    write("Pulumi.prod.yaml", stackYaml());
    write("users.yaml", TEAM);
    git("add", ".");
    git("commit", "-q", "-m", "base");
    // The Markdown also goes to stdout; keep the test output readable.
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(repo, { recursive: true, force: true });
  });

  it("defaults: base main (no origin here), stack prod (the file exists); exit 0 and the file written", async () => {
    write("users.yaml", withoutUser(TEAM, "bob@example.org"));
    expect(await plan()).toBe(0);
    const md = readFileSync(out(), "utf8");
    expect(md).toMatch(/^<!-- zt-gitops-plan -->\n## Access plan for stack `prod`\n/);
    expect(md).toMatch(/with `main` \([0-9a-f]{7,}\)\./);
    expect(md).toContain("**1 user removed · 2 device registrations revoked**");
    expect(md).toContain("`npm run plan -- --base main --stack prod`");
  });

  it("a refusal exits 1; the override environment variable lifts it", async () => {
    let three = TEAM;
    for (const e of ["alice", "bob", "carol"]) three = withoutUser(three, `${e}@example.org`);
    write("users.yaml", three);
    expect(await plan()).toBe(1);
    expect(readFileSync(out(), "utf8")).toContain("⛔ Refused");
    expect(await main(["--project-dir", repo, "--today", "2026-11-23"], { ZT_ALLOW_MASS_REMOVAL: "1" })).toBe(
      0,
    );
  });

  it("invalid users.yaml exits 1 with PATH:LINE:COL lines", async () => {
    write("users.yaml", TEAM.replace("app: 8h", "app: 1h"));
    expect(await plan()).toBe(1);
    expect(readFileSync(out(), "utf8")).toContain(
      "  users.yaml:2:8: sessions.app is 1h: the app session must be between 4h and 24h",
    );
  });

  it("users.yaml missing at the base: everyone is added", async () => {
    git("rm", "-q", "--cached", "users.yaml");
    git("commit", "-q", "-m", "no users yet");
    expect(await plan("--base", "HEAD")).toBe(0);
    expect(readFileSync(out(), "utf8")).toContain("### Users added (4)");
  });

  it("an unknown base ref or flag exits 64 (usage) and writes nothing", async () => {
    expect(await plan("--base", "no-such-branch")).toBe(64);
    expect(await plan("--no-such-flag")).toBe(64);
    expect(() => readFileSync(out())).toThrow();
  });

  it("reads the users file the stack config names (zt:usersFile), on both sides", async () => {
    write("Pulumi.prod.yaml", stackYaml({ "zt:usersFile": "people.yaml" }));
    write("people.yaml", readFileSync(join(FIXTURES_DIR, "team.yaml"), "utf8"));
    git("add", ".");
    git("commit", "-q", "-m", "people.yaml");
    write("people.yaml", withoutUser(TEAM, "dan@example.org"));
    expect(await plan()).toBe(0);
    const md = readFileSync(out(), "utf8");
    expect(md).toContain("Compares `people.yaml` and `Pulumi.prod.yaml`");
    expect(md).toContain("| `dan@example.org` (Dan Ops) | 1: `R90X2Y3Z` (any OS) |");
  });
});
