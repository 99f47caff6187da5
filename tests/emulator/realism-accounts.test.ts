// Realism switches for the account as a whole: organization from the start,
// device settings as the whole documented object, SDK-shaped inputs, several
// accounts through the admin API, and the `--realism` parser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REALISM_OFF, type RunningEmulator, parseRealism, startEmulator } from "../../emulator";
import { acct, admin, call, result } from "./helpers";

const OTHER = "0123456789abcdef0123456789abcdef";
const OTHER_ZONE = "fedcba9876543210fedcba9876543210";

describe("realism on (default)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("a fresh account already has its organization, with a team domain", async () => {
    const org = await result(emu, "GET", `${acct(emu)}/access/organizations`);
    expect(org.auth_domain).toMatch(/^[a-z0-9-]+\.cloudflareaccess\.com$/);
    expect(org.name).toBe(org.auth_domain);
  });

  it("device settings: GET answers every documented field; PUT replaces; PATCH merges; unknown fields are ignored", async () => {
    const fresh = await result(emu, "GET", `${acct(emu)}/devices/settings`);
    expect(Object.keys(fresh).sort()).toEqual([
      "disable_for_time",
      "external_emergency_signal_enabled",
      "external_emergency_signal_fingerprint",
      "external_emergency_signal_interval",
      "external_emergency_signal_url",
      "gateway_proxy_enabled",
      "gateway_udp_proxy_enabled",
      "root_certificate_installation_enabled",
      "use_zt_virtual_ip",
    ]);
    await result(emu, "PUT", `${acct(emu)}/devices/settings`, {
      gateway_proxy_enabled: true,
      not_a_field: 1,
    });
    await result(emu, "PATCH", `${acct(emu)}/devices/settings`, { use_zt_virtual_ip: true });
    const s = await result(emu, "GET", `${acct(emu)}/devices/settings`);
    expect(s).toMatchObject({
      gateway_proxy_enabled: true,
      use_zt_virtual_ip: true,
      gateway_udp_proxy_enabled: false,
    });
    expect(s).not.toHaveProperty("not_a_field");
    await result(emu, "PUT", `${acct(emu)}/devices/settings`, { use_zt_virtual_ip: true });
    expect((await result(emu, "GET", `${acct(emu)}/devices/settings`)).gateway_proxy_enabled).toBe(false);
  });

  it("accepts an application's policies as id strings, as the SDK types allow", async () => {
    const pol = await result(emu, "POST", `${acct(emu)}/access/policies`, {
      name: "p",
      decision: "allow",
      include: [{ email: { email: "ada@example.org" } }],
    });
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, {
      type: "self_hosted",
      name: "a",
      domain: "a.example.org",
      policies: [pol.id],
    });
    expect(app.policies).toMatchObject([{ id: pol.id, precedence: 1, decision: "allow" }]);
  });

  it("lets a posture rule's type change, as the update documents type as an ordinary field", async () => {
    const r = await result(emu, "POST", `${acct(emu)}/devices/posture`, {
      name: "fw",
      type: "firewall",
      match: [{ platform: "mac" }],
    });
    const put = await result(emu, "PUT", `${acct(emu)}/devices/posture/${r.id}`, {
      name: "fw",
      type: "os_version",
      input: { version: "1.0.0", operator: ">=" },
    });
    expect(put.type).toBe("os_version");
  });

  it("creates further accounts through the admin API, each with its own fresh state", async () => {
    expect((await call(emu, "GET", `/accounts/${OTHER}/gateway/lists`)).status).toBe(403);
    const made = await admin(emu, "POST", "/accounts", {
      id: OTHER,
      name: "second",
      zone: { id: OTHER_ZONE, name: "second.example" },
    });
    expect(made.status).toBe(201);
    expect((await admin(emu, "POST", "/accounts", { id: OTHER })).status).toBe(409);
    expect((await admin(emu, "POST", "/accounts", { id: "not-hex" })).status).toBe(409);
    await result(emu, "POST", `/accounts/${OTHER}/gateway/lists`, { name: "only-here", type: "SERIAL" });
    const mine = await result(emu, "GET", `${acct(emu)}/gateway/lists`);
    const theirs = await result(emu, "GET", `/accounts/${OTHER}/gateway/lists`);
    expect(theirs.map((l: { name: string }) => l.name)).toEqual(["only-here"]);
    expect(mine.map((l: { name: string }) => l.name)).not.toContain("only-here");
    expect((await result(emu, "GET", `/accounts/${OTHER}/access/organizations`)).auth_domain).toMatch(
      /cloudflareaccess\.com$/,
    );
    await result(emu, "POST", `/zones/${OTHER_ZONE}/dns_records`, {
      type: "A",
      name: "x.second.example",
      content: "192.0.2.1",
      ttl: 1,
    });
    expect(await result(emu, "GET", `/zones/${emu.zoneId}/dns_records`)).toEqual([]);
    const accounts = await result(emu, "GET", "/accounts");
    expect(accounts.map((a: { id: string }) => a.id)).toEqual([emu.accountId, OTHER]);
    // Admin seeds and edits reach the other account with ?account=.
    const lists = await admin(emu, "GET", `/resources/lists?account=${OTHER}`);
    expect(lists.json.map((l: { name: string }) => l.name)).toEqual(["only-here"]);
  });
});

describe("realism off", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ realism: "off" });
  });
  afterAll(() => emu.close());

  it("has no organization, echoes device settings as sent, refuses id-string policies and type changes", async () => {
    expect((await call(emu, "GET", `${acct(emu)}/access/organizations`)).status).toBe(404);
    await result(emu, "PUT", `${acct(emu)}/devices/settings`, { gateway_proxy_enabled: true });
    expect(await result(emu, "GET", `${acct(emu)}/devices/settings`)).toEqual({
      gateway_proxy_enabled: true,
    });
    const app = await call(emu, "POST", `${acct(emu)}/access/apps`, {
      type: "self_hosted",
      name: "a",
      domain: "a.example.org",
      policies: ["x"],
    });
    expect(app.status).toBe(400);
    const r = await result(emu, "POST", `${acct(emu)}/devices/posture`, { name: "fw", type: "firewall" });
    expect(
      (await call(emu, "PUT", `${acct(emu)}/devices/posture/${r.id}`, { name: "fw", type: "os_version" }))
        .status,
    ).toBe(400);
  });
});

describe("--realism parser", () => {
  it("reads on, off and per-switch overrides, and refuses unknown names", () => {
    expect(parseRealism("off")).toEqual(REALISM_OFF);
    const p = parseRealism("lists=off,ratelimit=off");
    expect(p).toMatchObject({ lists: false, rateLimit: false, organization: true, deviceSettings: true });
    expect(parseRealism("ratelimit=5000")).toMatchObject({ rateLimit: true, rateLimitMax: 5000 });
    expect(parseRealism("off,lists=on")).toMatchObject({ lists: true, organization: false });
    expect(() => parseRealism("bogus=on")).toThrow(/lists, device_settings, organization, ratelimit/);
    expect(() => parseRealism("lists=maybe")).toThrow(/takes on or off/);
  });
});
