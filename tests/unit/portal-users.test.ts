import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { problemOf, problemsOf, stateOf, yaml } from "./helpers/users";

// users.yaml with several audiences (docs/design-portal.md): the example is valid and means
// what it says; every reference is checked with LINE:COL and a did-you-mean; nothing admitting nobody.

const PORTAL = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");

/** A valid portal file (line 1 = groups:), to break one thing at a time; `extra` is appended as written. */
const base = (extra = "") =>
  [
    "groups:",
    "  staff: { login: idp }",
    "  acme: { login: otp }",
    "users:",
    "  - email: alice@example.org",
    "    groups: [staff]",
    "    devices: [{ serial: C02XL0GHJGH5, os: macos }]",
    "  - email: jo@acme.example",
    "    groups: [acme]",
    "access:",
    "  portal: { allow: [staff, acme], devices: staff }",
    "  client-acme: { allow: [acme] }",
    "  internal-api: { allow: [staff], serviceTokens: [ci-deploy] }",
    "serviceTokens:",
    "  - name: ci-deploy",
    "",
  ].join("\n") + extra;

describe("the issue's example (tests/fixtures/users/portal.yaml)", () => {
  it("is valid and becomes DesiredState.portal", () => {
    const state = stateOf(PORTAL);
    expect(state.users.map((u) => [u.email, u.groups, u.devices.length])).toEqual([
      ["alice@example.org", ["staff"], 1],
      ["jo@acme.example", ["acme"], 0],
    ]);
    expect(state.portal).toEqual({
      groups: [
        {
          name: "staff",
          login: "idp",
          members: ["alice@example.org"],
          emailChunks: [["alice@example.org"]],
          line: 2,
          col: 3,
        },
        {
          name: "acme",
          login: "otp",
          members: ["jo@acme.example"],
          emailChunks: [["jo@acme.example"]],
          line: 3,
          col: 3,
        },
      ],
      access: [
        // devices: staff (one group, the shorthand)
        { app: "portal", allow: ["staff", "acme"], devices: ["staff"], serviceTokens: [], line: 11, col: 3 },
        // devices omitted: the idp groups; acme signs in with one-time PIN (clientless): no device check
        { app: "client-acme", allow: ["acme"], devices: [], serviceTokens: [], line: 12, col: 3 },
        {
          app: "internal-api",
          allow: ["staff"],
          devices: ["staff"],
          serviceTokens: ["ci-deploy"],
          line: 13,
          col: 3,
        },
      ],
      serviceTokens: [{ name: "ci-deploy", duration: "8760h", line: 15, col: 5 }],
      tests: [
        {
          user: "alice@example.org",
          device: "C02XL0GHJGH5",
          login: undefined,
          app: "portal",
          expect: "allow",
          line: 18,
          col: 5,
        },
        {
          user: "jo@acme.example",
          device: undefined,
          login: undefined,
          app: "internal-api",
          expect: "deny",
          line: 19,
          col: 5,
        },
        { serviceToken: "ci-deploy", app: "internal-api", expect: "allow", line: 20, col: 5 },
      ],
    });
  });

  it("a legacy file has no portal and its users no groups", () => {
    const state = stateOf(yaml`
      users:
        - email: a@example.org
          devices: [{ serial: S1 }]
    `);
    expect(state.portal).toBeUndefined();
    expect("portal" in state).toBe(false);
    expect(state.users[0].groups).toBeUndefined();
  });

  it("devices: none and an explicit list; duplicates collapse; duration as written", () => {
    const state = stateOf(yaml`
      groups:
        staff: { login: idp }
        acme: { login: otp }
      users:
        - email: a@example.org
          groups: [staff, staff, acme]
          devices: [{ serial: S1 }]
      access:
        portal: { allow: [staff, acme], devices: none }
        admin: { allow: [staff, acme], devices: [acme, staff, acme] }
      serviceTokens:
        - { name: ci, duration: 720h }
    `);
    expect(state.users[0].groups).toEqual(["staff", "acme"]);
    expect(state.portal?.access.map((a) => [a.app, a.devices])).toEqual([
      ["portal", []],
      ["admin", ["acme", "staff"]],
    ]);
    expect(state.portal?.serviceTokens[0].duration).toBe("720h");
  });

  it("expired users are no group's members", () => {
    const state = stateOf(yaml`
      groups:
        acme: { login: otp }
      users:
        - email: a@acme.example
          groups: [acme]
        - email: old@acme.example
          expires: 2020-01-01
          groups: [acme]
      access:
        portal: { allow: [acme] }
    `);
    expect(state.portal?.groups[0].members).toEqual(["a@acme.example"]);
  });
});

describe("references are checked with positions and did-you-mean", () => {
  it("unknown group on a user, in allow and in devices", () => {
    expect(
      problemsOf(yaml`
        groups:
          staff: { login: idp }
        users:
          - email: alice@example.org
            groups: [staf]
            devices: [{ serial: S1 }]
          - email: bob@example.org
            groups: [staff]
            devices: [{ serial: S2 }]
        access:
          portal: { allow: [staff, stuff], devices: [staff, stuff] }
      `),
    ).toEqual([
      "users.yaml:5:14: unknown group staf: did you mean staff?",
      "users.yaml:11:28: unknown group stuff: did you mean staff?",
      "users.yaml:11:53: unknown group stuff: did you mean staff?",
    ]);
  });

  it("an unknown name far from every group lists the declared ones", () => {
    expect(
      problemOf(yaml`
        groups:
          staff: { login: idp }
          acme: { login: otp }
        users:
          - email: alice@example.org
            groups: [staff, contractors]
            devices: [{ serial: S1 }]
        access:
          portal: { allow: [staff, acme] }
      `),
    ).toBe("users.yaml:6:21: unknown group contractors: declared are staff, acme");
  });

  it("a device group must be allowed on the app", () => {
    expect(
      problemOf(
        base().replace(
          "portal: { allow: [staff, acme], devices: staff }",
          "portal: { allow: [acme], devices: staff }",
        ),
      ),
    ).toBe(
      "users.yaml:11:37: staff must pass the device check on portal but is not in its allow: add it to allow or remove it here",
    );
  });

  it("unknown service token on an app; a token listed twice", () => {
    expect(
      problemsOf(
        base("  - name: ci-deploy\n").replace("serviceTokens: [ci-deploy]", "serviceTokens: [ci-deplo]"),
      ),
    ).toEqual([
      "users.yaml:13:51: unknown service token ci-deplo: did you mean ci-deploy?",
      "users.yaml:16:11: service token ci-deploy is listed twice (first at line 15); keep one",
    ]);
  });

  it("tests: unknown user, app, token and device; user and token together; neither", () => {
    expect(
      problemsOf(
        base(
          [
            "tests:",
            "  - { user: jo@acme.exampl, app: portal, expect: allow }",
            "  - { user: alice@example.org, device: C02XL0GHJGH6, app: portal, expect: allow }",
            "  - { user: alice@example.org, app: internal-ap, expect: deny }",
            "  - { serviceToken: ci-deplo, app: internal-api, expect: allow }",
            "  - { serviceToken: ci-deploy, user: alice@example.org, app: portal, expect: deny }",
            "  - { serviceToken: ci-deploy, device: S1, app: portal, expect: deny }",
            "  - { app: portal, expect: deny }",
            "",
          ].join("\n"),
        ),
      ),
    ).toEqual([
      "users.yaml:17:13: unknown user jo@acme.exampl: did you mean jo@acme.example?",
      "users.yaml:18:40: unknown device C02XL0GHJGH6: did you mean C02XL0GHJGH5?",
      "users.yaml:19:37: unknown application internal-ap: did you mean internal-api?",
      "users.yaml:20:21: unknown service token ci-deplo: did you mean ci-deploy?",
      "users.yaml:21:21: a test is about a user or a service token, not both: split it in two",
      "users.yaml:22:40: device: is about a user; a service token has none: delete it",
      "users.yaml:23:5: a test names who asks: user: (an email from users) or serviceToken: (a token name)",
    ]);
  });

  it("a group name must be a safe name, and cannot be none", () => {
    expect(
      problemsOf(yaml`
        groups:
          Staff Team: { login: idp }
          none: { login: otp }
        users:
          - email: a@example.org
            groups: [none]
        access:
          portal: { allow: [none] }
      `),
    ).toEqual([
      "users.yaml:2:3: groups: \"Staff Team\": a group name must be lower-case letters, digits and '-' (at most 63, starting with a letter or digit), e.g. staff",
      "users.yaml:3:3: a group cannot be called none: `devices: none` means no group; rename it",
    ]);
  });

  it("a bad login is reported once, and references to that group still resolve", () => {
    expect(problemOf(base().replace("acme: { login: otp }", "acme: { login: pin }"))).toBe(
      "users.yaml:3:18: groups.acme.login: login must be idp (the identity providers in zt:identityProviders) or otp (one-time PIN by email)",
    );
  });

  it("devices: a group name that is not in allow, written as the issue's shorthand, with a typo", () => {
    expect(problemOf(base().replace("devices: staff }", "devices: stff }"))).toBe(
      "users.yaml:11:44: unknown group stff: did you mean staff?",
    );
  });
});

describe("portal keys need groups:", () => {
  it("access, serviceTokens, tests and a user's groups without groups: are each refused", () => {
    expect(
      problemsOf(yaml`
        users:
          - email: a@example.org
            groups: [staff]
            devices: [{ serial: S1 }]
        access:
          portal: { allow: [staff] }
        serviceTokens: [{ name: ci }]
        tests: [{ serviceToken: ci, app: portal, expect: allow }]
      `),
    ).toEqual([
      "users.yaml:3:13: users[0].groups names groups, but the file declares no groups:; add them at the top, e.g. `groups: { staff: { login: idp } }`",
      "users.yaml:5:1: access: needs groups: (who belongs where) to refer to; declare them, e.g. `groups: { staff: { login: idp } }`, or delete access:",
      "users.yaml:7:1: serviceTokens: needs groups: (who belongs where) to refer to; declare them, e.g. `groups: { staff: { login: idp } }`, or delete serviceTokens:",
      "users.yaml:8:1: tests: needs groups: (who belongs where) to refer to; declare them, e.g. `groups: { staff: { login: idp } }`, or delete tests:",
    ]);
  });

  it("a legacy user without devices is still told so, as before", () => {
    expect(
      problemOf(yaml`
        users:
          - email: a@example.org
      `),
    ).toBe('users.yaml:2:5: users[0] is missing the required key "devices"');
  });

  it("a portal user names at least one group", () => {
    // ...and client-acme, which only acme may reach, has nobody left: both are said.
    expect(problemsOf(base().replace("    groups: [acme]\n", ""))).toEqual([
      "users.yaml:8:12: jo@acme.example belongs to no group: once groups: is declared every user names at least one, e.g. `groups: [staff]`",
      "users.yaml:11:3: nobody may reach client-acme: acme has no active member; add a member or a device, or allow another group",
    ]);
  });
});

describe("refusals like the lockout", () => {
  it("a group no application allows", () => {
    expect(
      problemOf(
        base().replace("  acme: { login: otp }\n", "  acme: { login: otp }\n  beta: { login: otp }\n"),
      ),
    ).toBe(
      "users.yaml:4:3: group beta is allowed on no application: add it to an allow: under access: or delete the group",
    );
  });

  it("an app nobody may reach: members without a device where one is required", () => {
    expect(
      problemOf(
        base().replace("client-acme: { allow: [acme] }", "client-acme: { allow: [acme], devices: [acme] }"),
      ),
    ).toBe(
      "users.yaml:12:3: nobody may reach client-acme: no active member of acme could pass (acme needs a registered device); add a member or a device, or allow another group",
    );
  });

  it("an app nobody may reach: no group and no token, or only expired members", () => {
    expect(
      problemsOf(yaml`
        groups:
          acme: { login: otp }
        users:
          - email: old@acme.example
            expires: 2020-01-01
            groups: [acme]
          - email: jo@acme.example
            groups: [acme]
        access:
          portal: { allow: [acme] }
          empty: { allow: [] }
      `).filter((l) => l.includes("nobody may reach")),
    ).toEqual([
      "users.yaml:11:3: nobody may reach empty: it allows no group and no service token; add a member or a device, or allow another group",
    ]);
  });

  it("an app reached by a token only is reachable", () => {
    expect(
      stateOf(base().replace("internal-api: { allow: [staff]", "internal-api: { allow: []")).portal
        ?.access[2],
    ).toMatchObject({ app: "internal-api", allow: [], serviceTokens: ["ci-deploy"] });
  });

  it("more than 50 service tokens", () => {
    const tokens = Array.from({ length: 51 }, (_, i) => `  - name: t${i}\n`).join("");
    expect(problemOf(base(tokens))).toBe(
      "users.yaml:65:5: 52 service tokens: Cloudflare allows at most 50 per account; remove 2",
    );
  });

  it("a portal file without any device is not the legacy no-device lockout", () => {
    const state = stateOf(yaml`
      groups:
        acme: { login: otp }
      users:
        - email: jo@acme.example
          groups: [acme]
      access:
        portal: { allow: [acme] }
    `);
    expect(state.portal?.access[0].devices).toEqual([]);
  });
});

describe("failing access tests refuse the file", () => {
  it("says which test, what was expected and why", () => {
    expect(
      problemsOf(
        base(
          [
            "tests:",
            "  - { user: jo@acme.example, app: internal-api, expect: allow }",
            "  - { user: alice@example.org, app: portal, expect: allow }",
            "  - { serviceToken: ci-deploy, app: portal, expect: allow }",
            "  - { user: alice@example.org, device: C02XL0GHJGH5, app: portal, expect: allow }",
            "",
          ].join("\n"),
        ),
      ),
    ).toEqual([
      "users.yaml:17:5: access test failed: jo@acme.example on internal-api expected allow, got deny: jo@acme.example is in acme; internal-api allows staff",
      "users.yaml:18:5: access test failed: alice@example.org on portal expected allow, got deny: staff must pass the device check on portal, and no device was given",
      "users.yaml:19:5: access test failed: service token ci-deploy on portal expected allow, got deny: portal accepts no service token ci-deploy (it accepts: nobody)",
    ]);
  });
});
