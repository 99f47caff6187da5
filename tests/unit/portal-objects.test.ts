import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../src/config/load";
import { StackConfig } from "../../src/config/schema";
import { audienceSpecs, identityProviders } from "../../src/model/audiences";
import { plannedObjects } from "../../src/model/objects";
import { findCollisions } from "../../src/converge/match";
import { missingIdpSecrets } from "../../src/program";
import { exampleStackValues } from "./helpers/stack-config";
import { stateOf } from "./helpers/users";

// Portal mode's Cloudflare objects as plain data (src/model/audiences.ts, src/model/objects.ts): what the
// components declare and what the collision guard looks for, from the issue's example.

const PORTAL = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");
const APPS = [
  { name: "Portal", hostname: "portal.example.com", service: "http://localhost:3000" },
  { name: "Acme", hostname: "client-acme.example.com", service: "http://localhost:3000" },
  { name: "API", hostname: "internal-api.example.com", service: "http://localhost:8080" },
];
const OKTA = { name: "Okta", type: "okta", clientId: "c", oktaAccount: "https://x.okta.com" };
const configOf = (idps: unknown[]): StackConfig =>
  parseStackConfig({ ...exampleStackValues, apps: APPS, identityProviders: idps }, "Pulumi.t.yaml").config!;

describe("audienceSpecs on the issue's example", () => {
  const portal = stateOf(PORTAL).portal!;
  const idps = identityProviders(configOf([OKTA]).identityProviders, portal);

  it("adds the one-time PIN provider a login: otp group needs, explicitly", () => {
    expect(idps.map((p) => `${p.type} ${p.name}`)).toEqual(["okta Okta", "onetimepin One-time PIN"]);
    expect(identityProviders([OKTA as never], undefined)).toHaveLength(1);
  });

  it("one policy per (group, device check) used; Service Auth first on the token's app; allowed IdPs from the groups", () => {
    const s = audienceSpecs(portal, idps);
    expect(s.lists.map((l) => `${l.key} ${l.emails.join(",")}`)).toEqual([
      "staff-0 alice@example.org",
      "acme-0 jo@acme.example",
    ]);
    expect(s.groupPolicies.map((p) => `${p.key}: ${p.name} (${p.login})`)).toEqual([
      "staff-devices: zt-gitops staff on registered devices (idp)",
      "acme: zt-gitops acme (otp)",
    ]);
    expect(s.serviceAuth).toEqual([
      { app: "internal-api", name: "zt-gitops internal-api service tokens", tokens: ["ci-deploy"] },
    ]);
    expect(s.apps).toEqual([
      {
        app: "portal",
        policies: [
          { kind: "group", key: "staff-devices" },
          { kind: "group", key: "acme" },
        ],
        allowedIdps: ["Okta", "One-time PIN"],
      },
      { app: "client-acme", policies: [{ kind: "group", key: "acme" }], allowedIdps: ["One-time PIN"] },
      {
        app: "internal-api",
        policies: [
          { kind: "serviceAuth", app: "internal-api" },
          { kind: "group", key: "staff-devices" },
        ],
        allowedIdps: ["Okta"],
      },
    ]);
    expect(s.loginGroups).toEqual([]);
  });

  it("a login method backed by several providers becomes one rule group (require is all-of)", () => {
    const github = { name: "GitHub", type: "github", clientId: "g" };
    const two = identityProviders(configOf([OKTA, github]).identityProviders, portal);
    const s = audienceSpecs(portal, two);
    expect(s.loginGroups).toEqual(["idp"]);
    expect(s.apps[0].allowedIdps).toEqual(["Okta", "GitHub", "One-time PIN"]);
  });
});

describe("plannedObjects in portal mode", () => {
  it("lists every named object: IdPs, the token, group lists, policies, and no legacy list or policy", () => {
    const planned = plannedObjects(configOf([OKTA]), stateOf(PORTAL));
    const lines = planned.map((p) => `${p.kind} ${p.resource} "${p.name}"`);
    expect(lines).toContain('identityProvider identity-providers-Okta "Okta"');
    expect(lines).toContain('identityProvider identity-providers-One-time PIN "One-time PIN"');
    expect(lines).toContain('serviceToken service-tokens-ci-deploy "zt-gitops ci-deploy"');
    expect(lines).toContain('list access-audiences-group-staff-0 "zt-gitops group staff 1"');
    expect(lines).toContain('policy access-audiences-policy-acme "zt-gitops acme"');
    expect(lines).toContain(
      'policy access-audiences-service-auth-internal-api "zt-gitops internal-api service tokens"',
    );
    expect(lines.filter((l) => l.includes("zt-gitops users "))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("application"))).toHaveLength(3);
  });
});

describe("missingIdpSecrets", () => {
  const config = configOf([OKTA, { name: "One-time PIN", type: "onetimepin" }]);
  it("names each OAuth provider without a client secret, and never one-time PIN", () => {
    expect(missingIdpSecrets(config, undefined, "Pulumi.t.yaml").map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^identity provider Okta \(okta\) has no client secret: run `pulumi config set --secret/,
      ),
    ]);
    expect(missingIdpSecrets(config, '{"Okta": ""}', "Pulumi.t.yaml")).toHaveLength(1);
    expect(missingIdpSecrets(config, "not json", "Pulumi.t.yaml")).toHaveLength(1);
    expect(missingIdpSecrets(config, '{"Okta": "s3cret"}', "Pulumi.t.yaml")).toEqual([]);
  });
});

describe("the collision guard on identity providers", () => {
  const planned = plannedObjects(configOf([OKTA]), stateOf(PORTAL));
  const otp = planned.filter((p) => p.kind === "identityProvider" && p.idpType === "onetimepin");
  it("finds an unmanaged one-time PIN provider whatever its name (an account has one)", () => {
    const account = [
      { kind: "identityProvider" as const, id: "x", name: "PIN login", idpType: "onetimepin" },
    ];
    expect(findCollisions(otp, account, new Set()).map((c) => c.existing[0].id)).toEqual(["x"]);
    expect(findCollisions(otp, account, new Set(["x"]))).toEqual([]);
  });
  it("matches other providers by name only", () => {
    const okta = planned.filter((p) => p.name === "Okta");
    const account = [{ kind: "identityProvider" as const, id: "y", name: "Okta (old)", idpType: "okta" }];
    expect(findCollisions(okta, account, new Set())).toEqual([]);
  });
});
