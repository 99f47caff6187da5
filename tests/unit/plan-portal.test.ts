import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { portalChangeWords } from "../../src/plan/diff-portal";
import { renderPlan } from "../../src/plan/markdown";
import { edit, expectGolden, planOf, stackYaml, TEAM } from "./plan-helpers";

// The plan in the admin's words for groups, applications and service tokens (issue 17, item 3).

const PORTAL = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");
const STACK = stackYaml({
  "zt:apps":
    "\n    - { name: Portal, hostname: portal.example.com, service: http://localhost:3000 }" +
    "\n    - { name: Acme, hostname: client-acme.example.com, service: http://localhost:3001 }" +
    "\n    - { name: API, key: internal-api, hostname: api.example.com, service: http://localhost:8080 }",
  "zt:identityProviders":
    "\n    - { name: Google, type: google-apps, clientId: abc, appsDomain: example.com }",
});
const both = (users: string) => ({ users, stack: STACK });
const words = (base: string, head: string) =>
  (planOf(both(base), both(head)).portal ?? []).map((c) => portalChangeWords(c));

const JO = "  - email: jo@acme.example\n    groups: [acme]\n";

describe("plan: groups, applications and service tokens", () => {
  it("a client joins a group: the apps it can now reach and how it signs in", () => {
    const without = edit(PORTAL, [JO, ""], ["tests:", "x-tests:"]).replace(/x-tests:[\s\S]*$/, "");
    // Without jo, acme has no member and client-acme nobody: the base needs another client.
    const base = edit(without, ["users:\n", "users:\n  - email: ann@acme.example\n    groups: [acme]\n"]);
    const head = edit(base, ["users:\n", `users:\n${JO}`]);
    expect(words(base, head)).toEqual([
      "jo@acme.example joins acme: can now reach client-acme and portal (one-time PIN)",
    ]);
  });

  it("leaving a group, an app's allow and device changes, a token gaining and losing apps", () => {
    const head = edit(
      PORTAL,
      ["    groups: [staff]\n", "    groups: [staff, acme]\n"],
      [
        "portal:        { allow: [staff, acme], devices: staff }",
        "portal:        { allow: [staff], devices: none }",
      ],
      ["client-acme:   { allow: [acme] }", "client-acme:   { allow: [acme], serviceTokens: [ci-deploy] }"],
      ["internal-api:  { allow: [staff], serviceTokens: [ci-deploy] }", "internal-api:  { allow: [staff] }"],
      ["  - { serviceToken: ci-deploy, app: internal-api, expect: allow }\n", ""],
    );
    expect(words(PORTAL, head)).toEqual([
      "alice@example.org joins acme: can now reach client-acme (one-time PIN)",
      "acme can no longer reach portal",
      "staff no longer needs a registered device on portal",
      "ci-deploy can now reach client-acme",
      "ci-deploy can no longer reach internal-api",
    ]);
  });

  it("a token removed, a token added, a group and an app added", () => {
    const head = edit(
      PORTAL,
      ["  acme:  { login: otp }", "  acme:  { login: otp }\n  globex: { login: otp }"],
      ["users:\n", "users:\n  - email: kim@globex.example\n    groups: [globex]\n"],
      ["access:", "access:\n  client-globex: { allow: [globex] }"],
      [
        "internal-api:  { allow: [staff], serviceTokens: [ci-deploy] }",
        "internal-api:  { allow: [staff], serviceTokens: [backup] }",
      ],
      [
        "  - name: ci-deploy\n    duration: 8760h           # Cloudflare's default is one year\n",
        "  - name: backup\n    duration: 720h\n",
      ],
      ["  - { serviceToken: ci-deploy, app: internal-api, expect: allow }\n", ""],
    );
    const stack = STACK.replace(
      "http://localhost:8080 }",
      "http://localhost:8080 }\n    - { name: Globex, hostname: client-globex.example.com, service: http://localhost:3002 }",
    );
    const plan = planOf(both(PORTAL), { users: head, stack });
    expect(plan.refusals).toEqual([]);
    expect((plan.portal ?? []).map((c) => portalChangeWords(c))).toEqual([
      "new group globex, signing in with one-time PIN",
      "kim@globex.example joins globex: can now reach client-globex (one-time PIN)",
      "client-globex is open to globex; no device check",
      "backup can now reach internal-api",
      "ci-deploy can no longer reach internal-api",
      "new service token backup (valid 720h): can reach internal-api; its client id and secret are secret stack outputs, never shown here",
      "service token ci-deploy is deleted: internal-api no longer accepts it",
    ]);
    // A new application is open to the groups its access entry names, not to everyone as in a legacy file.
    expect(plan.config.find((c) => c.setting === "apps[client-globex.example.com]")?.effect).toMatch(
      /open to the groups its `access:` entry \(key client-globex\) names/,
    );
    expectGolden("portal-changes", renderPlan(plan));
  });

  it("a legacy file has no portal section, and moving to groups says who joins what", () => {
    expect(planOf({ users: TEAM }, { users: TEAM }).portal).toBeUndefined();
    const plan = planOf({ users: TEAM, stack: STACK }, both(PORTAL));
    expect((plan.portal ?? []).filter((c) => c.kind === "joins").map((c) => portalChangeWords(c))).toEqual([
      "alice@example.org joins staff: can now reach internal-api and portal (identity provider)",
      "jo@acme.example joins acme: can now reach client-acme and portal (one-time PIN)",
    ]);
  });

  it("the plan refuses what the two files disagree on, with the users.yaml position", () => {
    const stack = STACK.replace("key: internal-api, ", "");
    const plan = planOf(both(PORTAL), { users: PORTAL, stack });
    const refusal = plan.refusals.find((r) => r.message.includes("do not agree"));
    expect(refusal?.problems?.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      "users.yaml:13:3: access: internal-api is not an application in zt:apps (keys: portal, client-acme, api; set zt:apps[].key or add the app)",
      "Pulumi.prod.yaml:1:1: zt:apps[2] (api.example.com, key api) has no entry under access: in users.yaml, so nobody could reach it; add `api: { allow: [...] }` there or remove the app",
    ]);
  });
});
