import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { acct, call, result } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Access: lists, policies, groups, applications, organization", () => {
  let emu: RunningEmulator;
  let emails: { id: string };
  let policy: { id: string; created_at: string };
  beforeAll(async () => {
    // realism off: this file pins the pre-issue-14 behaviour (tests/emulator/realism-*.test.ts pin the default).
    emu = await startEmulator({ realism: "off" });
    emails = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "team",
      type: "EMAIL",
      items: [{ value: "ann@example.org" }, { value: "bob@example.org", description: "on call" }],
    });
  });
  afterAll(() => emu.close());

  it("creates a reusable policy; session_duration is echoed only when sent", async () => {
    const body = { name: "team", decision: "allow", include: [{ email_list: { id: emails.id } }] };
    policy = await result(emu, "POST", `${acct(emu)}/access/policies`, body);
    expect(policy.id).toMatch(UUID);
    expect(policy).toMatchObject({ ...body, exclude: [], require: [], reusable: true, app_count: 0 });
    expect(policy).not.toHaveProperty("session_duration");
    const withSd = await result(emu, "POST", `${acct(emu)}/access/policies`, {
      ...body,
      name: "sd",
      session_duration: "8h",
    });
    expect(withSd.session_duration).toBe("8h");
  });

  it("PUT replaces the whole policy (a dropped field disappears)", async () => {
    const p = await result(emu, "POST", `${acct(emu)}/access/policies`, {
      name: "x",
      decision: "allow",
      include: [{ everyone: {} }],
      session_duration: "4h",
      require: [{ email_domain: { domain: "example.org" } }],
    });
    const u = await result(emu, "PUT", `${acct(emu)}/access/policies/${p.id}`, {
      name: "x2",
      decision: "deny",
      include: [{ everyone: {} }],
      session_duration: null,
      require: null,
    });
    expect(u).toMatchObject({
      id: p.id,
      name: "x2",
      decision: "deny",
      require: [],
      created_at: p.created_at,
    });
    expect(u).not.toHaveProperty("session_duration");
    expect(await result(emu, "GET", `${acct(emu)}/access/policies/${p.id}`)).toEqual(u);
    await result(emu, "DELETE", `${acct(emu)}/access/policies/${p.id}`);
  });

  it("validates rules, decisions and references with Access-style 400s", async () => {
    const r = await call(emu, "POST", `${acct(emu)}/access/policies`, {
      name: "bad",
      decision: "maybe",
      include: [
        { email: { email: "not-an-email" } },
        { email_list: { id: "00000000-0000-0000-0000-000000000000" } },
        { email: {}, everyone: {} },
      ],
      session_duration: "eight hours",
    });
    expect(r.status).toBe(400);
    expect(r.json.success).toBe(false);
    const messages: string[] = r.json.errors.map((e: { message: string }) => e.message);
    expect(r.json.errors.every((e: { code: number }) => e.code === 12130)).toBe(true);
    expect(messages.some((m) => m.startsWith("decision must be one of"))).toBe(true);
    expect(messages.some((m) => m.includes("include[0].email.email"))).toBe(true);
    expect(messages.some((m) => m.includes("not found"))).toBe(true);
    expect(messages.some((m) => m.includes("exactly one selector"))).toBe(true);
    expect(messages.some((m) => m.includes("session_duration"))).toBe(true);
    const empty = await call(emu, "POST", `${acct(emu)}/access/policies`, {
      name: "e",
      decision: "allow",
      include: [],
    });
    expect(empty.status).toBe(400);
  });

  it("creates a group with include echoed in order", async () => {
    const include = [{ email: { email: "b@example.org" } }, { email: { email: "a@example.org" } }];
    const g = await result(emu, "POST", `${acct(emu)}/access/groups`, { name: "admins", include });
    expect(g.id).toMatch(UUID);
    expect(g).toMatchObject({ name: "admins", include, exclude: [], require: [] });
    const u = await result(emu, "PUT", `${acct(emu)}/access/groups/${g.id}`, {
      name: "admins",
      include: include.slice(0, 1),
    });
    expect(u.include).toEqual(include.slice(0, 1));
    expect((await call(emu, "POST", `${acct(emu)}/access/groups`, { name: "nogroup" })).status).toBe(400);
  });

  it("creates a self_hosted app with exactly the provider's plan defaults and derived domains", async () => {
    const body = {
      name: "app",
      type: "self_hosted",
      domain: "app.example.org",
      policies: [{ id: policy.id, precedence: 1 }],
    };
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, body);
    expect(app.id).toMatch(UUID);
    expect(app.aud).toMatch(/^[0-9a-f]{64}$/);
    expect(app).toMatchObject({
      name: "app",
      type: "self_hosted",
      domain: "app.example.org",
      session_duration: "24h",
      http_only_cookie_attribute: true,
      app_launcher_visible: true,
      self_hosted_domains: ["app.example.org"],
      destinations: [{ type: "public", uri: "app.example.org" }],
    });
    // no invented Optional-only fields
    for (const k of [
      "skip_app_launcher_login_page",
      "allowed_idps",
      "auto_redirect_to_identity",
      "tags",
      "cors_headers",
      "enable_binding_cookie",
    ])
      expect(app).not.toHaveProperty(k);
    // reusable policies come back expanded, with the precedence of the attachment
    expect(app.policies).toHaveLength(1);
    expect(app.policies[0]).toMatchObject({ id: policy.id, precedence: 1, decision: "allow", name: "team" });
    const got = await result(emu, "GET", `${acct(emu)}/access/apps/${app.id}`);
    expect(got).toEqual(app);
    // app_count is live
    expect((await result(emu, "GET", `${acct(emu)}/access/policies/${policy.id}`)).app_count).toBe(1);
  });

  it("echoes a user-set session_duration and orders policies by precedence; PUT is full", async () => {
    const p2 = await result(emu, "POST", `${acct(emu)}/access/policies`, {
      name: "p2",
      decision: "allow",
      include: [{ everyone: {} }],
    });
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "two",
      type: "self_hosted",
      domain: "two.example.org",
      session_duration: "8h",
      policies: [
        { id: p2.id, precedence: 2 },
        { id: policy.id, precedence: 1 },
      ],
      allowed_idps: [],
    });
    expect(app.session_duration).toBe("8h");
    expect(app.policies.map((p: { id: string }) => p.id)).toEqual([policy.id, p2.id]);
    expect(app.allowed_idps).toEqual([]);
    const put = await result(emu, "PUT", `${acct(emu)}/access/apps/${app.id}`, {
      name: "two",
      type: "self_hosted",
      domain: "two.example.org",
      session_duration: "8h",
      policies: [],
      allowed_idps: null,
    });
    expect(put.policies).toEqual([]);
    expect(put).not.toHaveProperty("allowed_idps");
    expect(put.aud).toBe(app.aud);
    // a policy still attached cannot be deleted
    const busy = await call(emu, "DELETE", `${acct(emu)}/access/policies/${policy.id}`);
    expect(busy.status).toBe(400);
    expect((await call(emu, "DELETE", `${acct(emu)}/access/policies/${p2.id}`)).status).toBe(200);
  });

  it("rejects an app without a domain, with a bad type, or a duplicate domain", async () => {
    expect(
      (await call(emu, "POST", `${acct(emu)}/access/apps`, { name: "n", type: "self_hosted" })).status,
    ).toBe(400);
    expect(
      (
        await call(emu, "POST", `${acct(emu)}/access/apps`, {
          name: "n",
          type: "webapp",
          domain: "x.example.org",
        })
      ).status,
    ).toBe(400);
    const dup = await call(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "n",
      type: "self_hosted",
      domain: "app.example.org",
    });
    expect(dup.status).toBe(400);
    expect(dup.json.errors[0].message).toMatch(/already exists/);
    const badRef = await call(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "n",
      type: "self_hosted",
      domain: "n.example.org",
      policies: [{ id: "11111111-1111-1111-1111-111111111111", precedence: 1 }],
    });
    expect(badRef.status).toBe(400);
  });

  it("derives domain and self_hosted_domains from destinations", async () => {
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "dest",
      type: "self_hosted",
      destinations: [{ type: "public", uri: "d.example.org" }],
    });
    expect(app).toMatchObject({
      domain: "d.example.org",
      self_hosted_domains: ["d.example.org"],
      destinations: [{ type: "public", uri: "d.example.org" }],
    });
  });

  it("deletes an app with a JSON envelope carrying the id", async () => {
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "gone",
      type: "self_hosted",
      domain: "gone.example.org",
    });
    const d = await call(emu, "DELETE", `${acct(emu)}/access/apps/${app.id}`);
    expect(d.status).toBe(200);
    expect(d.headers.get("content-type")).toBe("application/json");
    expect(d.json).toEqual({ success: true, errors: [], messages: [], result: { id: app.id } });
    expect((await call(emu, "GET", `${acct(emu)}/access/apps/${app.id}`)).status).toBe(404);
  });

  it("upserts the organization with PUT and echoes exactly what was sent", async () => {
    expect((await call(emu, "GET", `${acct(emu)}/access/organizations`)).status).toBe(404);
    const body = {
      name: "Home",
      auth_domain: "home.cloudflareaccess.com",
      session_duration: "8h",
      warp_auth_session_duration: "24h",
      allow_authenticate_via_warp: true,
      auto_redirect_to_identity: false,
      is_ui_read_only: false,
      mfa_required_for_all_apps: false,
      warp_auth_non_browser_401: false,
    };
    const org = await result(emu, "PUT", `${acct(emu)}/access/organizations`, body);
    expect(org).toMatchObject(body);
    const got = await result(emu, "GET", `${acct(emu)}/access/organizations`);
    expect(got).toEqual(org);
    const next = await result(emu, "PUT", `${acct(emu)}/access/organizations`, {
      ...body,
      session_duration: null,
    });
    expect(next).not.toHaveProperty("session_duration");
    expect(next.created_at).toBe(org.created_at);
    const bad = await call(emu, "PUT", `${acct(emu)}/access/organizations`, {
      ...body,
      auth_domain: "home.example.org",
      warp_auth_session_duration: "a day",
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toHaveLength(2);
  });
});
