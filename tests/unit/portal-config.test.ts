import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main as validate } from "../../src/cli/validate";
import { parseStackConfig } from "../../src/config/load";
import { SECRET_KEYS, stackValuesFromText } from "../../src/config/stack-file";
import { StackConfig } from "../../src/config/schema";
import { formatProblem } from "../../src/diagnostics/problems";
import { checkPortalAgainstConfig } from "../../src/model/portal-config-check";
import { runMain } from "./helpers/cli";
import { exampleStackValues } from "./helpers/stack-config";
import { stateOf, usersWithEmails } from "./helpers/users";

// Stack settings of several audiences (zt:apps[].key, zt:identityProviders, zt:seats) and the checks
// between users.yaml and the stack config (checkPortalAgainstConfig).

const FILE = "Pulumi.nofile.yaml";
const problems = (values: Record<string, unknown>) =>
  parseStackConfig(values, FILE).problems.map(formatProblem);
const configOf = (values: Record<string, unknown>): StackConfig => {
  const { config, problems } = parseStackConfig(values, FILE);
  if (!config) expect.fail(problems.map(formatProblem).join("\n"));
  return config;
};

const PORTAL_APPS = [
  { name: "Portal", hostname: "portal.example.com", service: "http://localhost:3000" },
  { name: "Acme", hostname: "client-acme.example.com", service: "http://localhost:3001" },
  { name: "API", key: "internal-api", hostname: "api.example.com", service: "http://localhost:8080" },
];
const GOOGLE = {
  name: "Google",
  type: "google-apps",
  clientId: "id.apps.googleusercontent.com",
  appsDomain: "example.com",
};
const portalValues = { ...exampleStackValues, apps: PORTAL_APPS, identityProviders: [GOOGLE] };
const PORTAL_TEXT = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");

describe("zt:apps[].key", () => {
  it("defaults to the hostname's first label, and can be set", () => {
    expect(configOf(portalValues).apps.map((a) => a.key)).toEqual(["portal", "client-acme", "internal-api"]);
  });

  it("is unique, written or defaulted", () => {
    expect(
      problems({
        ...exampleStackValues,
        apps: [
          { name: "A", hostname: "portal.example.com", service: "http://a:1" },
          { name: "B", hostname: "portal.example.org", service: "http://b:1" },
          { name: "C", key: "portal", hostname: "c.example.org", service: "http://c:1" },
        ],
      }),
    ).toEqual([
      `${FILE}:1:1: zt:apps[1].hostname: key portal is already the key of apps[0] (portal.example.com); set a different key: for one of them`,
      `${FILE}:1:1: zt:apps[2].key: key portal is already the key of apps[0] (portal.example.com); set a different key: for one of them`,
    ]);
  });

  it("has the users.yaml name alphabet", () => {
    expect(
      problems({ ...exampleStackValues, apps: [{ ...exampleStackValues.apps[0], key: "OCS app" }] }),
    ).toEqual([
      `${FILE}:1:1: zt:apps[0].key: key must be lower-case letters, digits and '-' (at most 63), e.g. client-acme`,
    ]);
  });
});

describe("zt:identityProviders", () => {
  it("defaults to none; each type needs its settings", () => {
    expect(configOf(exampleStackValues).identityProviders).toEqual([]);
    expect(
      problems({
        ...exampleStackValues,
        identityProviders: [
          { name: "Okta", type: "okta", clientId: "x" },
          { name: "Entra", type: "azureAD", clientId: "x", directoryId: "tenant" },
          { name: "GH", type: "github" },
          { name: "PIN", type: "onetimepin" },
          { name: "SAML", type: "saml" },
        ],
      }),
    ).toEqual([
      `${FILE}:1:1: zt:identityProviders[0].oktaAccount is required: set it with \`pulumi config set zt:identityProviders ...\` (see README, "Stack configuration")`,
      `${FILE}:1:1: zt:identityProviders[2].clientId is required: set it with \`pulumi config set zt:identityProviders ...\` (see README, "Stack configuration")`,
      `${FILE}:1:1: zt:identityProviders[4].type: type must be one of google-apps, okta, azureAD, github, onetimepin`,
    ]);
  });

  it("names are unique, one-time PIN is listed once, at most 50", () => {
    expect(
      problems({
        ...exampleStackValues,
        identityProviders: [
          GOOGLE,
          GOOGLE,
          { name: "P1", type: "onetimepin" },
          { name: "P2", type: "onetimepin" },
        ],
      }),
    ).toEqual([
      `${FILE}:1:1: zt:identityProviders[1].name: identity provider Google is listed twice (first at identityProviders[0])`,
      `${FILE}:1:1: zt:identityProviders[3].type: an account has one one-time PIN provider: list it once`,
    ]);
    const many = Array.from({ length: 51 }, (_, i) => ({ ...GOOGLE, name: `G${i}` }));
    expect(problems({ ...exampleStackValues, identityProviders: many })).toEqual([
      `${FILE}:1:1: zt:identityProviders: Cloudflare allows at most 50 identity providers per account`,
    ]);
  });

  it("the client secrets are a secret key, never read as plain config", () => {
    expect(SECRET_KEYS).toContain("identityProviderSecrets");
    const values = stackValuesFromText(
      ["config:", "  zt:identityProviderSecrets:", "    secure: v1:abc", "  zt:seats: 100", ""].join("\n"),
    );
    expect(values).toEqual({ seats: 100 });
  });
});

describe("checkPortalAgainstConfig", () => {
  const files = {
    usersFile: "users.yaml",
    stackFile: FILE,
    stackAt: (p: readonly PropertyKey[]) => ({ line: 10, col: Number(p[1] ?? 0) + 5 }),
  };
  const check = (usersText: string, values: Record<string, unknown>) => {
    const r = checkPortalAgainstConfig(stateOf(usersText), configOf(values), files);
    return { problems: r.problems.map(formatProblem), warnings: r.warnings.map(formatProblem) };
  };

  it("the issue's example against its stack: nothing to say", () => {
    expect(check(PORTAL_TEXT, portalValues)).toEqual({ problems: [], warnings: [] });
  });

  it("an access key that is no app (did-you-mean) and an app without an access entry", () => {
    const apps = [
      ...PORTAL_APPS.slice(0, 2),
      { ...PORTAL_APPS[2], key: "internal-apis" },
      { name: "Admin", hostname: "admin.example.com", service: "http://localhost:8080" },
    ];
    expect(check(PORTAL_TEXT, { ...portalValues, apps }).problems).toEqual([
      "users.yaml:13:3: access: internal-api is not an application in zt:apps: did you mean internal-apis?",
      `${FILE}:10:7: zt:apps[2] (api.example.com, key internal-apis) has no entry under access: in users.yaml, so nobody could reach it; add \`internal-apis: { allow: [...] }\` there or remove the app`,
      `${FILE}:10:8: zt:apps[3] (admin.example.com, key admin) has no entry under access: in users.yaml, so nobody could reach it; add \`admin: { allow: [...] }\` there or remove the app`,
    ]);
  });

  it("login: idp needs an identity provider other than one-time PIN", () => {
    expect(
      check(PORTAL_TEXT, { ...portalValues, identityProviders: [{ name: "PIN", type: "onetimepin" }] })
        .problems,
    ).toEqual([
      "users.yaml:2:3: group staff signs in with login: idp, but zt:identityProviders lists no identity provider other than one-time PIN; add one (google-apps, okta, azureAD or github) or use login: otp",
    ]);
  });

  it("seats: refused above zt:seats, warned from 90 %; a legacy file only against a zt:seats that is set", () => {
    const emails = (n: number) =>
      Array.from({ length: n }, (_, i) => `u${String(i).padStart(2, "0")}@example.org`);
    const legacy = usersWithEmails(...emails(60));
    expect(check(legacy, exampleStackValues)).toEqual({ problems: [], warnings: [] });
    expect(check(legacy, { ...exampleStackValues, seats: 50 }).problems).toEqual([
      "users.yaml:102:1: 60 active users need 60 Zero Trust seats, more than zt:seats 50: users from here on could not sign in; remove or expire users, or buy seats and set zt:seats",
    ]);
    expect(check(usersWithEmails(...emails(45)), { ...exampleStackValues, seats: 50 })).toEqual({
      problems: [],
      warnings: [
        "users.yaml:90:1: 45 of 50 Zero Trust seats used (zt:seats 50); the account refuses sign-ins beyond it",
      ],
    });
    expect(check(usersWithEmails(...emails(44)), { ...exampleStackValues, seats: 50 }).warnings).toEqual([]);
  });

  it("seats in portal mode default to the free plan's 50", () => {
    const users = Array.from({ length: 51 }, (_, i) => [
      `  - email: c${i}@acme.example`,
      "    groups: [acme]",
    ]).flat();
    const text = [
      "groups:",
      "  acme: { login: otp }",
      "users:",
      ...users,
      "access:",
      "  portal: { allow: [acme] }",
      "",
    ].join("\n");
    const apps = [PORTAL_APPS[0]];
    expect(check(text, { ...exampleStackValues, apps }).problems).toEqual([
      "users.yaml:104:1: 51 active users need 51 Zero Trust seats, more than the free plan's 50: users from here on could not sign in; remove or expire users, or buy seats and set zt:seats",
    ]);
    expect(check(text, { ...exampleStackValues, apps, seats: 100 }).problems).toEqual([]);
  });
});

describe("npm run validate -- --stack", () => {
  it("checks users.yaml against the stack file and reports both files' positions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zt-validate-stack-"));
    const cwd = process.cwd();
    try {
      writeFileSync(join(dir, "users.yaml"), PORTAL_TEXT);
      const stack = [
        "config:",
        "  zt:accountId: 0123456789abcdef0123456789abcdef",
        "  zt:zoneId: fedcba9876543210fedcba9876543210",
        "  zt:teamName: example-org",
        "  zt:tunnelName: portal-tunnel",
        "  zt:apps:",
        "    - { name: Portal, hostname: portal.example.com, service: http://localhost:3000 }",
        "    - { name: Acme, hostname: client-acme.example.com, service: http://localhost:3001 }",
        "    - { name: Admin, hostname: admin.example.com, service: http://localhost:8080 }",
        "  zt:identityProviders:",
        "    - { name: Google, type: google-apps, clientId: abc, appsDomain: example.com }",
        "  zt:privateNetwork:",
        "    cidr: 172.18.0.0/16",
        "    internalDomain: ocs.internal",
        "    dnsmasqAddress: 172.18.0.53",
        "",
      ].join("\n");
      writeFileSync(join(dir, "Pulumi.portal.yaml"), stack);
      process.chdir(dir);
      const run = await runMain(validate, ["users.yaml", "--stack", "portal"]);
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: [
          `${join(dir, "Pulumi.portal.yaml")}:9:7: zt:apps[2] (admin.example.com, key admin) has no entry under access: in users.yaml, so nobody could reach it; add \`admin: { allow: [...] }\` there or remove the app`,
          "users.yaml:13:3: access: internal-api is not an application in zt:apps (keys: portal, client-acme, admin; set zt:apps[].key or add the app)",
          "2 problems found; nothing was changed.",
          "",
        ].join("\n"),
      });
      writeFileSync(
        join(dir, "Pulumi.portal.yaml"),
        stack
          .replace("admin.example.com", "api.example.com")
          .replace("Admin, hostname", "API, key: internal-api, hostname"),
      );
      const ok = await runMain(validate, ["users.yaml", "--stack", "portal"]);
      expect(ok).toEqual({
        code: 0,
        stderr: "",
        stdout:
          "users.yaml: valid: 2 active users, 1 devices (macos 1); sessions app 8h, warp 24h; 1 without a device (cannot pass the device check)\n" +
          "portal: 2 groups, 3 applications, 1 service token, 3 access tests passed; checked against Pulumi.portal.yaml\n",
      });
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
