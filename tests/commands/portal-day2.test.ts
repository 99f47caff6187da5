// Day-2 commands on a portal-mode users.yaml (groups, access, serviceTokens, tests), against the
// emulator: zt test says plainly what the account cannot answer, zt token rotate checks the name
// against users.yaml, zt doctor warns about a token expiring within 30 days.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { zt } from "./helpers/project";
import { sdk } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

const PORTAL_YAML = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");
const APPS = [
  { name: "Portal", hostname: "portal.example.org", service: "http://portal:3000" },
  { name: "Acme", hostname: "client-acme.example.org", service: "http://portal:3000" },
  { name: "Internal API", hostname: "internal-api.example.org", service: "http://admin:8080" },
];

describe("day-2 commands in portal mode", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    w.project.write({ ...w.options, usersYaml: PORTAL_YAML, extra: { "zt:apps": APPS } });
  });
  const run = (argv: string[]) => zt(w.project, argv, { now: new Date() });
  const cf = () => sdk(w.emu);

  it("zt test: every test is reported, none counted as a pass when the API has no policy tester", async () => {
    await cf().zeroTrust.access.applications.create({
      account_id: w.emu.accountId,
      name: "Portal",
      domain: "portal.example.org",
      type: "self_hosted",
    } as never);
    w.emu.clearRequests();
    const r = await run(["test"]);
    expect(r.code, r.all).toBe(1);
    expect(r.stdout).toContain(
      "CANNOT RUN  alice@example.org on C02XL0GHJGH5 -> portal: expect allow (users.yaml line 18): this API has no Access policy tester (404 on POST accounts/",
    );
    expect(r.stdout).toContain(
      "CANNOT RUN  jo@acme.example -> internal-api: expect deny (users.yaml line 19): no Access application for internal-api in the account (apply first)",
    );
    expect(r.stdout).toContain(
      "CANNOT RUN  token ci-deploy -> internal-api: expect allow (users.yaml line 20): the policy tester evaluates users, not service tokens",
    );
    expect(r.stdout).toContain(
      "3 tests on stack local: 0 passed, 0 failed, 3 could not run here (not a pass)",
    );
    const posts = w.emu.requests().filter((q) => q.method === "POST");
    expect(posts.map((q) => q.path)).toEqual([`/client/v4/accounts/${w.emu.accountId}/access/policy-tests`]);
  });

  it("zt token rotate refuses a name users.yaml does not declare, with did-you-mean, before any API call", async () => {
    w.emu.clearRequests();
    const r = await run(["token", "rotate", "ci-deplo"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'users.yaml declares no service token "ci-deplo"; did you mean ci-deploy? (serviceTokens: ci-deploy)',
    );
    expect(w.emu.requests()).toEqual([]);
  });

  it("zt doctor warns about ci-deploy expiring in 21 days, with the renew command", async () => {
    await cf().zeroTrust.access.serviceTokens.create({
      account_id: w.emu.accountId,
      name: "zt-gitops ci-deploy",
      duration: "516h", // 21.5 days
    });
    const r = await run(["doctor"]);
    expect(r.stdout).toMatch(
      /WARN {2}Service tokens: ci-deploy expires in 21 days \(\d{4}-\d\d-\d\d\): renew with `npm run zt -- token rotate ci-deploy`/,
    );
    // Per group and app: the account has none of the portal objects yet, and doctor says so by name.
    expect(r.stdout).toContain('FAIL  Group acme: missing list "zt-gitops group acme 1"');
    expect(r.stdout).toContain(
      "FAIL  Access application client-acme.example.org (client-acme): no Access application",
    );
    expect(r.code).toBe(1);
  });

  it("zt review per group and application, with the token's expiry", async () => {
    await cf().zeroTrust.access.serviceTokens.create({
      account_id: w.emu.accountId,
      name: "zt-gitops ci-deploy",
      duration: "8760h",
    });
    const r = await run(["review"]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain("## Groups");
    expect(r.stdout).toContain(
      "| staff | identity provider | alice@example.org | portal (device), internal-api (device) |",
    );
    expect(r.stdout).toContain("| acme | one-time PIN | jo@acme.example | portal, client-acme |");
    expect(r.stdout).toContain("| portal | portal.example.org | staff (device), acme | - | 2 |");
    expect(r.stdout).toContain(
      "| internal-api | internal-api.example.org | staff (device) | ci-deploy | 1 |",
    );
    expect(r.stdout).toMatch(/- ci-deploy expires in 36[45] days \(\d{4}-\d\d-\d\d\); reaches internal-api/);
    const csv = await run(["review", "--format", "csv"]);
    expect(csv.stdout.split("\n")[0]).toMatch(/,groups$/);
    expect(csv.stdout).toMatch(/^jo@acme\.example,.*,acme$/m);
  });
});
