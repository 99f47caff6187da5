// Several audiences through the real engine against the emulator (issue 17, items 2 and 7): the portal
// example from empty (three apps, staff + two clients, one service token), the emulator's own Access
// decision (POST /__admin/access/decide) agreeing with every access test on the objects the engine
// created, a client joining a group touching only that group's list, and a token's app removed revoking
// the token. The model is built in the test (helpers/portal-model.ts) and declared by the product's
// program (readInputs + declare). A missing toolchain fails in beforeAll; nothing skips.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portal as portalStore } from "../../emulator/portal/state";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  admin,
  capture,
  describeSteps,
  writeRequests,
  type RunCapture,
} from "../../bench/harness/product-run";
import { declare, readInputs } from "../../src/program";
import { groupListName, groupPolicyName, serviceAuthPolicyName } from "../../src/model/names";
import { AccessTest } from "../../src/model/portal";
import {
  emulatorVerdict,
  legacyUsersYaml,
  PortalSketch,
  portalStackConfig,
  withPortal,
} from "./helpers/portal-model";

const OKTA_SECRET = "okta-client-secret-portal-e2e-0123456789";

const sketch: PortalSketch = {
  groups: { staff: "idp", acme: "otp", globex: "otp" },
  users: [
    { email: "alice@example.org", groups: ["staff"], devices: [{ serial: "C02XL0GHJGH5", os: "macos" }] },
    { email: "sam@example.org", groups: ["staff"] },
    { email: "jo@acme.example", groups: ["acme"] },
    { email: "gil@globex.example", groups: ["globex"] },
  ],
  access: {
    portal: { allow: ["staff", "acme", "globex"], devices: ["staff"] },
    "client-acme": { allow: ["acme"], devices: [] },
    "internal-api": { allow: ["staff"], serviceTokens: ["ci-deploy"] },
  },
  serviceTokens: ["ci-deploy"],
  tests: [
    { user: "alice@example.org", device: "C02XL0GHJGH5", app: "portal", expect: "allow", line: 1 },
    { user: "alice@example.org", app: "portal", expect: "deny", line: 2 }, // staff need their device
    { user: "sam@example.org", app: "portal", expect: "deny", line: 3 }, // no device registered
    { user: "jo@acme.example", app: "portal", expect: "allow", line: 4 },
    { user: "jo@acme.example", app: "client-acme", expect: "allow", line: 5 },
    { user: "gil@globex.example", app: "client-acme", expect: "deny", line: 6 },
    { user: "gil@globex.example", app: "portal", expect: "allow", line: 7 },
    { user: "jo@acme.example", app: "internal-api", expect: "deny", line: 8 },
    { user: "alice@example.org", device: "C02XL0GHJGH5", app: "internal-api", expect: "allow", line: 9 },
    { serviceToken: "ci-deploy", app: "internal-api", expect: "allow", line: 10 },
    { serviceToken: "ci-deploy", app: "portal", expect: "deny", line: 11 },
  ],
};

describe("portal mode through the real engine", () => {
  let product: ProductStack;
  let current: PortalSketch = sketch;
  /** Everything the engine printed, for the secrets check at the end. */
  const runs: RunCapture[] = [];
  const record = (): RunCapture => {
    const c = capture();
    runs.push(c);
    return c;
  };
  const quiet = () => record().opts;

  beforeAll(async () => {
    product = await openProductStack({
      name: "zt-e2e-portal",
      usersYaml: legacyUsersYaml(sketch),
      config: portalStackConfig(),
      secrets: { "zt:identityProviderSecrets": JSON.stringify({ Okta: OKTA_SECRET }) },
      program: async (projectDir) => {
        const inputs = readInputs({ projectDir });
        return declare(
          { projectDir },
          { config: inputs.config, desired: withPortal(inputs.desired, current) },
        );
      },
    });
    // The devices WARP enrolled (the emulator checks posture against live registrations).
    await admin(product.emulator, "POST", "registrations", {
      user: { email: "alice@example.org" },
      device: { serial_number: "C02XL0GHJGH5" },
    });
  });
  afterAll(async () => {
    await product?.close();
  });

  const idps = () => portalStore(product.emulator.state).identityProviders;
  const idpId = (type: string) => idps().find((p) => p.type === type)!.id as string;

  const verdict = (t: AccessTest) => emulatorVerdict(product.emulator, product.stack, t);

  it("up from empty creates the identity providers, the token, each group's list and policy, and three apps", async () => {
    const c = record();
    const up = await product.stack.up(c.opts);
    expect(up.summary.result).toBe("succeeded");
    const s = product.emulator.state.data;
    expect(
      idps()
        .map((p) => `${p.type} ${p.name}`)
        .sort(),
    ).toEqual(["okta Okta", "onetimepin One-time PIN"]);
    expect(portalStore(product.emulator.state).serviceTokens.map((t) => t.name)).toEqual([
      "zt-gitops ci-deploy",
    ]);
    const lists = (s.lists as Array<{ name: string; type: string }>).filter((l) => l.type === "EMAIL");
    expect(lists.map((l) => l.name).sort()).toEqual(
      [groupListName("acme", 0), groupListName("globex", 0), groupListName("staff", 0)].sort(),
    );
    const policies = s.access.policies as Array<{ id: string; name: string; decision: string }>;
    expect(policies.map((p) => p.name).sort()).toEqual(
      [
        groupPolicyName("staff", true),
        groupPolicyName("acme", false),
        groupPolicyName("globex", false),
        serviceAuthPolicyName("internal-api"),
      ].sort(),
    );
    const apps = s.access.apps as Array<{
      domain: string;
      allowed_idps: string[];
      policies: Array<{ id: string; precedence: number }>;
    }>;
    expect(apps).toHaveLength(3);
    const api = apps.find((a) => a.domain === "internal-api.example.org")!;
    // Service auth first; staff sign in through Okta only.
    const first = policies.find((p) => p.id === api.policies.find((r) => r.precedence === 1)!.id)!;
    expect(first.decision).toBe("non_identity");
    expect(api.allowed_idps).toEqual([idpId("okta")]);
    const portalApp = apps.find((a) => a.domain === "portal.example.org")!;
    expect([...portalApp.allowed_idps].sort()).toEqual([idpId("okta"), idpId("onetimepin")].sort());
    // Each group list holds its members.
    const items = (name: string) =>
      (
        (s.lists as Array<{ name: string; items?: Array<{ value: string }> }>).find((l) => l.name === name)
          ?.items ?? []
      )
        .map((i) => i.value)
        .sort();
    expect(items(groupListName("staff", 0))).toEqual(["alice@example.org", "sam@example.org"]);
    expect(items(groupListName("acme", 0))).toEqual(["jo@acme.example"]);
    const pre = await product.stack.preview({ ...record().opts, diff: true });
    expect(pre.changeSummary, describeSteps(c.steps()).join("\n")).toEqual({ same: pre.changeSummary.same });
  });

  it("the emulator's Access decision agrees with every access test on the objects the engine created", async () => {
    for (const t of current.tests) {
      const { got, why } = await verdict(t);
      expect(got, `test at line ${t.line} (${t.user ?? t.serviceToken} -> ${t.app}): ${why.join("; ")}`).toBe(
        t.expect,
      );
    }
  });

  it("a client added to a group changes only that group's list", async () => {
    current = {
      ...current,
      users: [...current.users, { email: "kim@acme.example", groups: ["acme"] }],
      tests: [...current.tests, { user: "kim@acme.example", app: "client-acme", expect: "allow", line: 12 }],
    };
    product.writeUsers(legacyUsersYaml(current));
    product.emulator.clearRequests();
    const c = record();
    await product.stack.up(c.opts);
    const changed = c.steps().filter((s) => s.op !== "same");
    // The acme list's entries and the revocation ledger (who holds which devices) move; nothing else.
    expect(changed.map((s) => `${s.op} ${s.name}`).sort(), describeSteps(changed).join("\n")).toEqual([
      "update members-group-acme-0",
      "update revoke-on-removal-ledger",
    ]);
    const acme = (product.emulator.state.data.lists as Array<{ id: string; name: string }>).find(
      (l) => l.name === groupListName("acme", 0),
    )!;
    const writes = writeRequests(product.emulator.requests()).filter((r) => !r.path.includes("/__admin/"));
    expect(writes.map((r) => `${r.method} ${r.path.replace(/^.*\/gateway\/lists\//, "lists/")}`)).toEqual([
      `PATCH lists/${acme.id}`,
    ]);
    expect((await verdict(current.tests.at(-1)!)).got).toBe("allow");
  });

  it("a client removed from a group leaves only that group's list, and is denied at once", async () => {
    const kim: AccessTest = { user: "kim@acme.example", app: "client-acme", expect: "deny", line: 12 };
    current = {
      ...current,
      users: current.users.filter((u) => u.email !== kim.user),
      tests: current.tests.filter((t) => t.user !== kim.user),
    };
    product.writeUsers(legacyUsersYaml(current));
    const c = record();
    await product.stack.up(c.opts);
    const changed = c.steps().filter((s) => s.op !== "same");
    expect(changed.map((s) => `${s.op} ${s.name}`).sort(), describeSteps(changed).join("\n")).toEqual([
      "update members-group-acme-0",
      "update revoke-on-removal-ledger",
    ]);
    expect((await verdict(kim)).got).toBe("deny");
    expect((await verdict(current.tests[4])).got).toBe("allow"); // jo still reaches client-acme
  });

  it("a token's app removed revokes its access", async () => {
    const token: AccessTest = { serviceToken: "ci-deploy", app: "internal-api", expect: "allow", line: 10 };
    expect((await verdict(token)).got).toBe("allow");
    current = {
      ...current,
      access: { ...current.access, "internal-api": { allow: ["staff"] } },
      tests: current.tests.filter((t) => t.serviceToken === undefined),
    };
    const up = await product.stack.up(quiet());
    expect(up.summary.result).toBe("succeeded");
    const { got, why } = await verdict(token);
    expect(got, why.join("; ")).toBe("deny");
    // Staff still get in.
    expect((await verdict(current.tests[8])).got).toBe("allow");
  });

  it("the IdP client secret and the token secret are never in plaintext on disk or in the request log", async () => {
    const text = product.project.allText();
    expect(text).not.toContain(OKTA_SECRET);
    const tokens = (await product.stack.outputs()).serviceTokens;
    expect(tokens.secret).toBe(true);
    const issued = (tokens.value as Record<string, { clientSecret: string }>)["ci-deploy"].clientSecret;
    expect(issued).toMatch(/^cfast_/);
    expect(text).not.toContain(issued);
    expect(JSON.stringify(product.emulator.requests())).not.toContain(issued);
    // Nor in anything the engine printed: progress, the diff of a preview, the apply's summary.
    await product.stack.preview({ ...record().opts, diff: true });
    const printed = runs.map((r) => r.text()).join("\n");
    expect(printed).toContain("[secret]");
    for (const value of [OKTA_SECRET, issued]) expect(printed.includes(value)).toBe(false);
    expect(JSON.stringify(product.emulator.requests())).not.toContain(OKTA_SECRET);
  });
});
