// zt doctor per group and app (portal mode), on a hand-built PortalState (the users.yaml parser for
// groups lands separately) and a hand-built inventory: pure checks, no mocks.
import { describe, expect, it } from "vitest";
import { runChecks } from "../../src/zt/doctor/checks";
import type { Inventory } from "../../src/zt/doctor/types";
import type { StackInfo, Users } from "../../src/zt/context";
import type { PortalState } from "../../src/model/portal";
import type { DesiredState } from "../../src/model/desired";
import {
  groupListName,
  groupPolicyName,
  serviceAuthPolicyName,
  serviceTokenName,
} from "../../src/model/names";

const NOW = new Date("2026-11-23T12:00:00Z");
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();

const portal: PortalState = {
  groups: [
    {
      name: "staff",
      login: "idp",
      members: ["alice@example.org"],
      emailChunks: [["alice@example.org"]],
      line: 2,
    },
    { name: "acme", login: "otp", members: ["jo@acme.example"], emailChunks: [["jo@acme.example"]], line: 3 },
  ],
  access: [
    { app: "portal", allow: ["staff", "acme"], devices: ["staff"], serviceTokens: [], line: 10 },
    { app: "internal-api", allow: ["staff"], devices: ["staff"], serviceTokens: ["ci-deploy"], line: 11 },
  ],
  serviceTokens: [{ name: "ci-deploy", duration: "8760h", line: 13 }],
  tests: [],
};

const stack = {
  name: "local",
  file: "Pulumi.local.yaml",
  baseUrlSource: "test",
  config: {
    apps: [
      { name: "Portal", key: "portal", hostname: "portal.example.com", service: "http://localhost:3000" },
      {
        name: "Internal API",
        key: "internal-api",
        hostname: "internal-api.example.com",
        service: "http://localhost:8080",
      },
    ],
    tunnelName: "t",
    privateNetwork: {
      cidr: "10.0.0.0/16",
      internalDomain: "x.internal",
      dnsmasqAddress: "10.0.0.53",
      hosts: {},
    },
    connector: { enabled: false, dockerHost: "unix:///var/run/docker.sock", replicas: 2 },
  },
} as unknown as StackInfo;

const users = {
  name: "users.yaml",
  path: "/x/users.yaml",
  state: {
    users: [],
    activeUsers: [],
    sessions: { app: "8h", warp: "24h" },
    portal,
  } as unknown as DesiredState,
} as Users;

const policy = (name: string) => ({ id: `id-${name}`, name });
const policies = [
  policy(groupPolicyName("staff", true)),
  policy(groupPolicyName("acme", false)),
  policy(serviceAuthPolicyName("internal-api")),
];
const app = (domain: string, names: string[]) => ({
  domain,
  type: "self_hosted",
  policies: names.map((n) => ({ id: `id-${n}` })),
});

function inventory(over: Partial<Inventory> = {}): Inventory {
  return {
    routes: [],
    apps: [
      app("portal.example.com", [groupPolicyName("staff", true), groupPolicyName("acme", false)]),
      app("internal-api.example.com", [
        serviceAuthPolicyName("internal-api"),
        groupPolicyName("staff", true),
      ]),
    ],
    policies,
    groupLists: [
      { id: "l1", name: groupListName("staff", 0), values: ["alice@example.org"] },
      { id: "l2", name: groupListName("acme", 0), values: ["jo@acme.example"] },
    ],
    serviceTokens: [{ name: serviceTokenName("ci-deploy"), expires_at: day(200) }],
    emailLists: [],
    posture: [],
    docker: { reachable: false, containers: [] } as never,
    ...over,
  };
}

const byTitle = (inv: Inventory) => {
  const results = runChecks(stack, users, inv, {}, NOW);
  return (prefix: string) => results.find((r) => r.title.startsWith(prefix))!;
};

describe("zt doctor per group and app", () => {
  it("passes each app, group and token when the account matches users.yaml", () => {
    const r = byTitle(inventory());
    expect(r("Access application portal.example.com")).toMatchObject({
      status: "PASS",
      detail: "staff (device), acme",
    });
    expect(r("Access application internal-api.example.com").detail).toBe(
      "staff (device) + service tokens ci-deploy",
    );
    expect(r("Group staff")).toMatchObject({ status: "PASS" });
    expect(r("Group acme").detail).toContain("login one-time PIN, reaches portal");
    expect(r("Service tokens")).toMatchObject({
      status: "PASS",
      detail: "ci-deploy expires in 200 days (2027-06-11)",
    });
    // The legacy single-policy check is not run in portal mode.
    expect(runChecks(stack, users, inventory(), {}, NOW).some((c) => c.title === "Access policy")).toBe(
      false,
    );
  });

  it("warns (not fails) under 30 days with the renew command; fails once expired", () => {
    const soon = byTitle(
      inventory({ serviceTokens: [{ name: "zt-gitops ci-deploy", expires_at: day(21.5) }] }),
    );
    expect(soon("Service tokens")).toMatchObject({
      status: "WARN",
      detail: "ci-deploy expires in 21 days (2026-12-15): renew with `npm run zt -- token rotate ci-deploy`",
    });
    const gone = byTitle(
      inventory({ serviceTokens: [{ name: "zt-gitops ci-deploy", expires_at: day(-1) }] }),
    );
    expect(gone("Service tokens").status).toBe("FAIL");
  });

  it("names a missing member, an extra one, a missing policy and a foreign attached policy", () => {
    const r = byTitle(
      inventory({
        groupLists: [{ id: "l1", name: groupListName("staff", 0), values: ["mallory@example.org"] }],
        policies: policies.slice(1).concat(policy("hand-made")),
        apps: [
          app("portal.example.com", [groupPolicyName("acme", false), "hand-made"]),
          app("internal-api.example.com", [serviceAuthPolicyName("internal-api")]),
        ],
      }),
    );
    const staff = r("Group staff");
    expect(staff.status).toBe("FAIL");
    expect(staff.detail).toContain("alice@example.org not in the group's lists");
    expect(staff.detail).toContain("mallory@example.org in the lists but not active members");
    expect(staff.detail).toContain('policy "zt-gitops staff on registered devices" does not exist');
    expect(r("Group acme").detail).toContain('missing list "zt-gitops group acme 1"');
    const portalApp = r("Access application portal.example.com");
    expect(portalApp.detail).toContain('not attached: "zt-gitops staff on registered devices"');
    expect(portalApp.detail).toContain('also attached: "hand-made": they may let others in');
  });

  it("--email: the person's groups, their lists and what they reach", () => {
    const withAlice = {
      ...users,
      state: {
        ...users.state,
        users: [{ email: "alice@example.org", devices: [], expired: false, line: 5 }],
      },
    } as unknown as Users;
    const ok = runChecks(stack, withAlice, inventory(), { email: "Alice@example.org" }, NOW);
    expect(ok.find((r) => r.title === "User alice@example.org")).toMatchObject({
      status: "PASS",
      detail: "in staff (identity provider); reaches portal (device), internal-api (device)",
    });
    const missing = runChecks(
      stack,
      withAlice,
      inventory({ groupLists: [] }),
      { email: "alice@example.org" },
      NOW,
    );
    expect(missing.find((r) => r.title === "User alice@example.org")).toMatchObject({
      status: "FAIL",
      detail: "in users.yaml (line 5) but not in the list of staff",
    });
    const stranger = runChecks(stack, withAlice, inventory(), { email: "zoe@example.org" }, NOW);
    expect(stranger.find((r) => r.title === "User zoe@example.org")?.status).toBe("FAIL");
  });
});
