// The Access decision evaluator on hand-built objects: every rule type, include any-of /
// require all-of / exclude none-of, groups, precedence and the order of enforcement.
import { beforeEach, describe, expect, it } from "vitest";
import { Store } from "../../emulator";
import type { Obj } from "../../emulator/http";
import { type DecideRequest, decide } from "../../emulator/portal/decide";
import { digest, portal } from "../../emulator/portal/state";

let store: Store;
const ACC = () => `accounts/${store.data.account.id}`;
const OTP = { id: "idp-otp", name: "PIN", type: "onetimepin" };
const OKTA = { id: "idp-okta", name: "Okta", type: "okta" };
const SERIALS = { id: "list-serials", name: "serials", type: "SERIAL", items: [{ value: "C02XL0GHJGH5" }] };
const STAFF = { id: "list-staff", name: "staff", type: "EMAIL", items: [{ value: "alice@example.org" }] };
const POSTURE = {
  id: "posture-serial",
  name: "corp serials",
  type: "serial_number",
  input: { id: SERIALS.id },
};
const TOKEN = {
  id: "tok-ci",
  name: "ci-deploy",
  client_id: "abc.access",
  enabled: true,
  expires_at: "2099-01-01T00:00:00Z",
  _secret_sha256: digest("s3cret"),
};

function app(policies: Obj[], extra: Obj = {}): void {
  store.data.access.apps.push({
    id: `app-${store.data.access.apps.length}`,
    name: "portal",
    type: "self_hosted",
    domain: "portal.example.com",
    self_hosted_domains: ["portal.example.com"],
    destinations: [{ type: "public", uri: "portal.example.com" }],
    policies,
    ...extra,
  });
}
const pol = (decision: string, sets: Obj, precedence?: number, name = decision) => ({
  name,
  decision,
  include: [],
  require: [],
  exclude: [],
  ...sets,
  ...(precedence ? { precedence } : {}),
});
const ask = (r: Partial<DecideRequest>) => decide(store, { app: "portal.example.com", ...r });
const alice = (extra: Obj = {}) => ({
  identity: { email: "alice@example.org", loginMethod: "okta", ...extra },
});

beforeEach(() => {
  store = new Store();
  const p = portal(store);
  p.identityProviders.push({ ...OTP, _scope: ACC() }, { ...OKTA, _scope: ACC() });
  p.serviceTokens.push({ ...TOKEN, _scope: ACC() });
  store.data.lists.push(structuredClone(SERIALS), structuredClone(STAFF));
  store.data.devices.posture.push(structuredClone(POSTURE));
  store.data.devices.registrations.push({
    id: "reg-1",
    device: { id: "dev-1", serial_number: "C02XL0GHJGH5" },
    user: { email: "alice@example.org" },
    revoked_at: null,
    deleted_at: null,
  });
});

describe("selectors", () => {
  it("email / email_domain / email_list / everyone", () => {
    for (const rule of [
      { email: { email: "Alice@Example.org" } },
      { email_domain: { domain: "example.org" } },
      { email_list: { id: STAFF.id } },
      { everyone: {} },
    ]) {
      store.data.access.apps = [];
      app([pol("allow", { include: [rule] })]);
      expect(ask(alice()).decision, JSON.stringify(rule)).toBe("allow");
      const bob = ask({ identity: { email: "bob@other.net", loginMethod: "okta" } });
      expect(bob.decision, JSON.stringify(rule)).toBe(rule.everyone ? "allow" : "deny");
    }
  });

  it("group: the group's include / require / exclude apply, nested groups too", () => {
    store.data.access.groups.push(
      { id: "g-staff", name: "staff", include: [{ email_list: { id: STAFF.id } }], require: [], exclude: [] },
      {
        id: "g-outer",
        name: "outer",
        include: [{ group: { id: "g-staff" } }],
        require: [{ login_method: { id: OKTA.id } }],
        exclude: [],
      },
    );
    app([pol("allow", { include: [{ group: { id: "g-outer" } }] })]);
    const ok = ask(alice());
    expect(ok.decision).toBe("allow");
    expect(ok.evaluated[0].why).toContain("group 'outer'");
    expect(ask(alice({ loginMethod: "onetimepin" })).decision).toBe("deny");
    expect(ask({ identity: { email: "eve@example.org", loginMethod: "okta" } }).decision).toBe("deny");
  });

  it("device_posture (serial_number): listed serial on an enrolled device of this user", () => {
    app([
      pol("allow", {
        include: [{ email_list: { id: STAFF.id } }],
        require: [{ device_posture: { integration_uid: POSTURE.id } }],
      }),
    ]);
    expect(ask({ ...alice(), device: { serial: "c02xl0ghjgh5" } }).decision).toBe("allow");
    const noDevice = ask(alice());
    expect(noDevice.decision).toBe("deny");
    expect(noDevice.evaluated[0].why).toMatch(/no device/);
    store.data.lists[0].items.push({ value: "UNENROLLED1" });
    const unenrolled = ask({ ...alice(), device: { serial: "UNENROLLED1" } });
    expect(unenrolled.evaluated[0].why).toMatch(/not enrolled/);
    store.data.devices.registrations[0].revoked_at = "2026-01-01T00:00:00Z";
    expect(ask({ ...alice(), device: { serial: "C02XL0GHJGH5" } }).decision).toBe("deny");
  });

  it("device_posture: an enrolled device of another user, or a serial not in the list, fails", () => {
    store.data.devices.registrations.push({
      id: "r2",
      device: { serial_number: "OTHER1" },
      user: { email: "alice@example.org" },
    });
    app([pol("allow", { include: [{ device_posture: { integration_uid: POSTURE.id } }] })]);
    expect(
      ask({
        identity: { email: "mallory@example.org", loginMethod: "okta" },
        device: { serial: "C02XL0GHJGH5" },
      }).decision,
    ).toBe("deny");
    const notListed = ask({ ...alice(), device: { serial: "OTHER1" } });
    expect(notListed.evaluated[0].why).toMatch(/is not in list 'serials'/);
  });

  it("device_posture (warp): any enrolled device", () => {
    store.data.devices.posture.push({ id: "p-warp", name: "warp", type: "warp" });
    app([pol("allow", { include: [{ device_posture: { integration_uid: "p-warp" } }] })]);
    expect(ask({ ...alice(), device: { serial: "C02XL0GHJGH5" } }).decision).toBe("allow");
    expect(ask({ ...alice(), device: { serial: "NOPE" } }).decision).toBe("deny");
  });

  it("login_method: by IdP id; loginMethod may name the IdP by id or type", () => {
    app([pol("allow", { include: [{ login_method: { id: OTP.id } }] })]);
    expect(ask(alice({ loginMethod: "onetimepin" })).decision).toBe("allow");
    expect(ask(alice({ loginMethod: OTP.id })).decision).toBe("allow");
    expect(ask(alice({ loginMethod: "okta" })).decision).toBe("deny");
  });

  it("IdP groups (okta / gsuite / azureAD) come from identity.groups and the same IdP", () => {
    app([pol("allow", { include: [{ okta: { name: "engineering", identity_provider_id: OKTA.id } }] })]);
    expect(ask(alice({ groups: ["engineering"] })).decision).toBe("allow");
    expect(ask(alice({ groups: ["sales"] })).decision).toBe("deny");
    expect(ask(alice({ groups: ["engineering"], loginMethod: "onetimepin" })).decision).toBe("deny");
  });

  it("a selector the emulator cannot evaluate is an error (422), never a silent no-match", () => {
    app([pol("allow", { include: [{ everyone: {} }], exclude: [{ geo: { country_code: "RU" } }] })]);
    expect(() => ask(alice())).toThrow(
      expect.objectContaining({ status: 422, message: expect.stringContaining("geo") }),
    );
  });
});

describe("include any-of, require all-of, exclude none-of", () => {
  it("any include rule is enough; every require rule must hold; one exclude rule is enough to fail", () => {
    const sets = {
      include: [{ email: { email: "nobody@x.org" } }, { email_domain: { domain: "example.org" } }],
      require: [{ email_list: { id: STAFF.id } }, { login_method: { id: OKTA.id } }],
      exclude: [{ email: { email: "eve@example.org" } }],
    };
    app([pol("allow", sets)]);
    expect(ask(alice()).decision).toBe("allow");
    const oneRequireFails = ask(alice({ loginMethod: "onetimepin" }));
    expect(oneRequireFails.decision).toBe("deny");
    expect(oneRequireFails.evaluated[0].why).toMatch(/^require failed: login method/);
    store.data.lists[1].items.push({ value: "eve@example.org" });
    const excluded = ask({ identity: { email: "eve@example.org", loginMethod: "okta" } });
    expect(excluded.evaluated[0].why).toMatch(/^excluded: email eve@example.org/);
    expect(excluded.decision).toBe("deny");
  });
});

describe("policies: order of enforcement, precedence, reusable and inline", () => {
  it("first matching Allow/Block by precedence decides; nothing matching denies", () => {
    store.data.access.policies.push({
      id: "pol-block",
      ...pol("deny", { include: [{ email: { email: "alice@example.org" } }] }, undefined, "block alice"),
    });
    app([{ id: "pol-block", precedence: 1 }, pol("allow", { include: [{ everyone: {} }] }, 2, "all")]);
    const d = ask(alice());
    expect(d).toMatchObject({
      decision: "deny",
      action: "deny",
      policy: { id: "pol-block", reusable: true, precedence: 1 },
    });
    store.data.access.apps[0].policies = [
      { id: "pol-block", precedence: 2 },
      pol("allow", { include: [{ everyone: {} }] }, 1, "all"),
    ];
    expect(ask(alice())).toMatchObject({ decision: "allow", policy: { name: "all", reusable: false } });
    store.data.access.apps[0].policies = [pol("allow", { include: [{ email: { email: "x@y.org" } }] }, 1)];
    expect(ask(alice())).toMatchObject({
      decision: "deny",
      action: null,
      reason: expect.stringMatching(/denies by default/),
    });
  });

  it("Bypass is evaluated before a Block with a lower precedence number, and sees no identity", () => {
    app([pol("deny", { include: [{ everyone: {} }] }, 1), pol("bypass", { include: [{ everyone: {} }] }, 2)]);
    expect(ask(alice())).toMatchObject({ decision: "allow", action: "bypass" });
    store.data.access.apps[0].policies = [
      pol("bypass", { include: [{ email_domain: { domain: "example.org" } }] }, 1),
      pol("deny", { include: [{ everyone: {} }] }, 2),
    ];
    expect(ask(alice())).toMatchObject({ decision: "deny", action: "deny" });
  });

  it("Service Auth: a valid token matches service_token / any_valid_service_token; identity selectors do not", () => {
    app([
      pol("non_identity", { include: [{ service_token: { token_id: TOKEN.id } }] }, 2),
      pol("deny", { include: [{ everyone: {} }] }, 1),
    ]);
    const st = { client_id: TOKEN.client_id, client_secret: "s3cret" };
    expect(ask({ serviceToken: st })).toMatchObject({ decision: "allow", action: "non_identity" });
    expect(ask({ serviceToken: { ...st, client_secret: "wrong" } })).toMatchObject({
      decision: "deny",
      reason: expect.stringMatching(/wrong client secret/),
    });
    expect(ask({ serviceToken: st, at: "2099-06-01T00:00:00Z" }).reason).toMatch(/expired/);
    store.data.access.apps[0].policies = [
      pol("non_identity", { include: [{ any_valid_service_token: {} }] }),
    ];
    expect(ask({ serviceToken: st }).decision).toBe("allow");
    store.data.access.apps[0].policies = [
      pol("non_identity", { include: [{ email: { email: "alice@example.org" } }] }),
    ];
    expect(ask(alice()).decision).toBe("deny");
  });

  it("strict service token auth: an Allow policy never authorizes a token; off, it may", () => {
    app([pol("allow", { include: [{ service_token: { token_id: TOKEN.id } }] })]);
    const st = { client_id: TOKEN.client_id, client_secret: "s3cret" };
    expect(ask({ serviceToken: st }).decision).toBe("deny");
    store.data.access.organization = {
      name: "t",
      auth_domain: "t.cloudflareaccess.com",
      strict_service_token_auth: false,
    };
    expect(ask({ ...alice(), serviceToken: st }).decision).toBe("allow");
  });

  it("login: no IdP in the account, an IdP the app does not offer, an unknown or ambiguous login method", () => {
    app([pol("allow", { include: [{ everyone: {} }] })], { allowed_idps: [OKTA.id] });
    expect(ask(alice()).decision).toBe("allow");
    expect(ask(alice({ loginMethod: "onetimepin" })).reason).toMatch(/does not offer login method PIN/);
    expect(ask(alice({ loginMethod: "github" })).reason).toMatch(/no identity provider github/);
    expect(() => ask({ identity: { email: "alice@example.org" } })).toThrow(/loginMethod is required/);
    portal(store).identityProviders = [];
    expect(ask(alice()).reason).toMatch(/no identity provider, so nobody can sign in/);
  });
});

describe("application lookup", () => {
  it("by hostname (exact, wildcard, longest path), by id; unknown is a 404", () => {
    app([pol("allow", { include: [{ everyone: {} }] })], {
      name: "wild",
      domain: "*.example.com",
      self_hosted_domains: [],
      destinations: [],
    });
    app([pol("deny", { include: [{ everyone: {} }] })], {
      name: "admin",
      domain: "portal.example.com/admin",
      self_hosted_domains: [],
      destinations: [],
    });
    expect(decide(store, { app: "acme.example.com", ...alice() }).app.name).toBe("wild");
    expect(() => decide(store, { app: "a.b.example.com", ...alice() })).toThrow(/no Access application/);
    expect(decide(store, { app: "https://portal.example.com/admin/x", ...alice() }).app.name).toBe("admin");
    expect(decide(store, { appId: "app-1", ...alice() }).app.name).toBe("admin");
    expect(() => decide(store, { app: "nope.org", ...alice() })).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => decide(store, { ...alice() })).toThrow(expect.objectContaining({ status: 400 }));
  });
});
