// Identity providers: the recorded shapes, secrets never answered nor stored in plaintext,
// one-time PIN absent from a fresh account, provider-style PUT-full updates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { acct, admin, call, result } from "./helpers";

const SECRET = "gh-oauth-secret-DO-NOT-ECHO-1234";

describe("identity providers", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("a fresh account has no identity provider (one-time PIN is not on by default)", async () => {
    const r = await call(emu, "GET", `${acct(emu)}/access/identity_providers`);
    expect(r.status).toBe(200);
    expect(r.json.result).toEqual([]);
    expect(r.json.result_info).toMatchObject({ page: 1, per_page: 200, count: 0, total_count: 0 });
  });

  it("creates one-time PIN with the recorded shape: id = uid, config {redirect_url}, version", async () => {
    const otp = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "One-time PIN login",
      type: "onetimepin",
      config: {},
    });
    expect(otp.uid).toBe(otp.id);
    expect(otp.version).toMatch(/^[0-9a-f]{32}$/);
    expect(otp.config.redirect_url).toMatch(/\.cloudflareaccess\.com\/cdn-cgi\/access\/callback$/);
    expect(Object.keys(otp).sort()).toEqual(["config", "id", "name", "type", "uid", "version"]);
    const again = await call(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "second",
      type: "onetimepin",
      config: {},
    });
    expect(again.status).toBe(400);
  });

  for (const [type, config] of [
    ["github", { client_id: "gh-id" }],
    ["google-apps", { client_id: "g-id", apps_domain: "example.org" }],
    ["okta", { client_id: "o-id", okta_account: "https://example.okta.com" }],
    ["azureAD", { client_id: "a-id", directory_id: "dir", support_groups: true }],
  ] as const) {
    it(`${type}: client_secret is accepted, never answered (create, get, list, update)`, async () => {
      const made = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
        name: `${type} login`,
        type,
        config: { ...config, client_secret: SECRET },
      });
      expect(made.config).toMatchObject(config);
      expect(made.config).not.toHaveProperty("client_secret");
      const got = await result(emu, "GET", `${acct(emu)}/access/identity_providers/${made.id}`);
      expect(got).toEqual(made);
      const put = await result(emu, "PUT", `${acct(emu)}/access/identity_providers/${made.id}`, {
        name: `${type} renamed`,
        type,
        config: { ...config, client_secret: SECRET },
      });
      expect(put.name).toBe(`${type} renamed`);
      expect(put.config.redirect_url).toBe(made.config.redirect_url);
      expect(put.version).not.toBe(made.version);
      const list = await result(emu, "GET", `${acct(emu)}/access/identity_providers`);
      expect(JSON.stringify(list)).not.toContain(SECRET);
    });
  }

  it("refuses an OAuth provider without client_secret or its account field, and a type change", async () => {
    const noSecret = await call(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "x",
      type: "okta",
      config: { client_id: "id", okta_account: "https://x.okta.com" },
    });
    expect(noSecret.status).toBe(400);
    expect(JSON.stringify(noSecret.json.errors)).toContain("config.client_secret is required");
    const noAccount = await call(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "x",
      type: "azureAD",
      config: { client_id: "id", client_secret: "s" },
    });
    expect(JSON.stringify(noAccount.json.errors)).toContain("config.directory_id is required");
    const gh = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "gh2",
      type: "github",
      config: { client_id: "id", client_secret: "s" },
    });
    const change = await call(emu, "PUT", `${acct(emu)}/access/identity_providers/${gh.id}`, {
      name: "gh2",
      type: "okta",
      config: { client_id: "id", client_secret: "s", okta_account: "https://x.okta.com" },
    });
    expect(change.status).toBe(400);
  });

  it("SCIM: the secret is answered once, when SCIM is first enabled", async () => {
    const made = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "entra",
      type: "azureAD",
      config: { client_id: "a", client_secret: "b", directory_id: "d" },
      scim_config: { enabled: true, user_deprovision: true, seat_deprovision: true },
    });
    expect(made.scim_config).toMatchObject({ enabled: true, identity_update_behavior: "no_action" });
    expect(made.scim_config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(made.scim_config.scim_base_url).toContain(`/scim/${made.id}`);
    const got = await result(emu, "GET", `${acct(emu)}/access/identity_providers/${made.id}`);
    expect(got.scim_config).not.toHaveProperty("secret");
  });

  it("secrets are kept as digests: neither the state nor the request log holds them", async () => {
    const state = await admin(emu, "GET", "/state");
    expect(JSON.stringify(state.json)).not.toContain(SECRET);
    expect(JSON.stringify(state.json.portal.identityProviders)).toContain("_client_secret_sha256");
    expect(JSON.stringify(emu.requests())).not.toContain(SECRET);
  });

  it("delete answers {id}; the provider then gets a 404 (removed from state)", async () => {
    const gh = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "gone",
      type: "github",
      config: { client_id: "id", client_secret: "s" },
    });
    expect(await result(emu, "DELETE", `${acct(emu)}/access/identity_providers/${gh.id}`)).toEqual({
      id: gh.id,
    });
    expect((await call(emu, "GET", `${acct(emu)}/access/identity_providers/${gh.id}`)).status).toBe(404);
  });

  it("zone-scoped providers are separate from account ones", async () => {
    const z = await result(emu, "POST", `/zones/${emu.zoneId}/access/identity_providers`, {
      name: "zone pin",
      type: "onetimepin",
      config: {},
    });
    const acctList = await result(emu, "GET", `${acct(emu)}/access/identity_providers`);
    expect(acctList.map((p: { id: string }) => p.id)).not.toContain(z.id);
    expect((await call(emu, "GET", `${acct(emu)}/access/identity_providers/${z.id}`)).status).toBe(404);
  });

  it("admin resources: an identity provider or a token can be edited behind the stack's back", async () => {
    const gh = await result(emu, "POST", `${acct(emu)}/access/identity_providers`, {
      name: "drifting",
      type: "github",
      config: { client_id: "id", client_secret: "s" },
    });
    const patched = await admin(emu, "PATCH", `/resources/identity_providers/${gh.id}`, {
      name: "edited by hand",
    });
    expect(patched.status).toBe(200);
    expect((await result(emu, "GET", `${acct(emu)}/access/identity_providers/${gh.id}`)).name).toBe(
      "edited by hand",
    );
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "tok" });
    expect((await admin(emu, "DELETE", `/resources/service_tokens/${t.id}`)).status).toBe(200);
    expect((await call(emu, "GET", `${acct(emu)}/access/service_tokens/${t.id}`)).status).toBe(404);
  });
});
