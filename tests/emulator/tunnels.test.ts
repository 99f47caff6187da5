import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_VNET_ID, type RunningEmulator, startEmulator } from "../../emulator";
import { acct, admin, call, result } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("tunnels, token, configuration, routes", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // realism off: this file pins the pre-issue-14 behaviour (tests/emulator/realism-*.test.ts pin the default).
    emu = await startEmulator({ realism: "off" });
  });
  afterAll(() => emu.close());

  it("creates a tunnel with every computed field the provider reads, and no secret", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "home",
      config_src: "cloudflare",
    });
    expect(t.id).toMatch(UUID);
    expect(t).toMatchObject({
      name: "home",
      account_tag: emu.accountId,
      deleted_at: null,
      conns_active_at: null,
      conns_inactive_at: null,
      remote_config: true,
      status: "inactive",
      tun_type: "cfd_tunnel",
      connections: [],
      metadata: {},
      config_src: "cloudflare",
    });
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(t).not.toHaveProperty("tunnel_secret");
    expect(await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}`)).toEqual(t);
  });

  it("returns the token as a bare string: base64 of {a,s,t} with the sent secret", async () => {
    const secret = Buffer.alloc(32, 7).toString("base64");
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "with-secret",
      config_src: "cloudflare",
      tunnel_secret: secret,
    });
    const r = await call(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/token`);
    expect(r.status).toBe(200);
    expect(typeof r.json.result).toBe("string");
    const decoded = JSON.parse(Buffer.from(r.json.result, "base64").toString("utf8"));
    expect(Object.keys(decoded)).toEqual(["a", "s", "t"]);
    expect(decoded).toEqual({ a: emu.accountId, s: secret, t: t.id });
  });

  it("generates a 32-byte secret when none is sent, and keeps the token stable", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "generated",
      config_src: "local",
    });
    const a = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/token`);
    const b = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/token`);
    expect(a).toBe(b);
    expect(Buffer.from(JSON.parse(Buffer.from(a, "base64").toString()).s, "base64")).toHaveLength(32);
  });

  it("validates tunnel bodies", async () => {
    const noName = await call(emu, "POST", `${acct(emu)}/cfd_tunnel`, { config_src: "local" });
    expect(noName.status).toBe(400);
    expect(noName.json.errors.map((e: { message: string }) => e.message)).toContain("name is required");
    const badSrc = await call(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "x", config_src: "remote" });
    expect(badSrc.status).toBe(400);
    const shortSecret = await call(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "y",
      tunnel_secret: Buffer.alloc(8).toString("base64"),
    });
    expect(shortSecret.status).toBe(400);
    const dup = await call(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "home",
      config_src: "cloudflare",
    });
    expect(dup.status).toBe(409);
    expect(dup.headers.get("x-should-retry")).toBe("false");
  });

  it("PATCHes the name only, and deletes with a JSON envelope", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "rename-me",
      config_src: "cloudflare",
    });
    const p = await result(emu, "PATCH", `${acct(emu)}/cfd_tunnel/${t.id}`, { name: "renamed" });
    expect(p).toMatchObject({
      id: t.id,
      name: "renamed",
      config_src: "cloudflare",
      created_at: t.created_at,
    });
    const d = await call(emu, "DELETE", `${acct(emu)}/cfd_tunnel/${t.id}`);
    expect(d.status).toBe(200);
    expect(d.headers.get("content-type")).toBe("application/json");
    expect(d.json.success).toBe(true);
    expect(d.json.result.deleted_at).not.toBeNull();
    const gone = await call(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}`);
    expect(gone.status).toBe(404);
  });

  it("stores remote configuration exactly as sent and bumps the version", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "cfg", config_src: "cloudflare" });
    const before = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/configurations`);
    expect(before).toMatchObject({ tunnel_id: t.id, version: 0, config: null, source: "cloudflare" });
    const config = {
      ingress: [
        {
          hostname: "app.example.org",
          service: "http://app:8080",
          originRequest: { httpHostHeader: "app", noTLSVerify: true },
        },
        { service: "http_status:404" },
      ],
    };
    const put = await result(emu, "PUT", `${acct(emu)}/cfd_tunnel/${t.id}/configurations`, { config });
    expect(put).toMatchObject({ tunnel_id: t.id, version: 1, source: "cloudflare", config });
    const got = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/configurations`);
    expect(got.config).toEqual(config); // no added keys, order kept
    const again = await result(emu, "PUT", `${acct(emu)}/cfd_tunnel/${t.id}/configurations`, { config });
    expect(again.version).toBe(2);
  });

  it("rejects an ingress list without a catch-all, and config on a local tunnel", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "cfg2",
      config_src: "cloudflare",
    });
    const r = await call(emu, "PUT", `${acct(emu)}/cfd_tunnel/${t.id}/configurations`, {
      config: { ingress: [{ hostname: "a.example.org", service: "http://a:80" }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/last ingress rule must match all URLs/);
    const local = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "loc", config_src: "local" });
    const l = await call(emu, "PUT", `${acct(emu)}/cfd_tunnel/${local.id}/configurations`, {
      config: { ingress: [{ service: "http_status:404" }] },
    });
    expect(l.status).toBe(400);
  });

  it('creates routes in the default virtual network with comment "" and hyphenated ids', async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "net", config_src: "cloudflare" });
    const route = await result(emu, "POST", `${acct(emu)}/teamnet/routes`, {
      network: "10.20.0.0/16",
      tunnel_id: t.id,
      comment: "",
    });
    expect(route.id).toMatch(UUID);
    expect(route).toMatchObject({
      network: "10.20.0.0/16",
      tunnel_id: t.id,
      comment: "",
      virtual_network_id: EMULATOR_DEFAULT_VNET_ID,
      deleted_at: null,
    });
    expect(await result(emu, "GET", `${acct(emu)}/teamnet/routes/${route.id}`)).toEqual(route);
    const patched = await result(emu, "PATCH", `${acct(emu)}/teamnet/routes/${route.id}`, { comment: "lan" });
    expect(patched).toMatchObject({ comment: "lan", network: "10.20.0.0/16" });
    const listed = await result(
      emu,
      "GET",
      `${acct(emu)}/teamnet/routes?network_subset=10.20.0.0/16&network_superset=10.20.0.0/16&is_deleted=false`,
    );
    expect(listed.map((x: { id: string }) => x.id)).toEqual([route.id]);
    const dup = await call(emu, "POST", `${acct(emu)}/teamnet/routes`, {
      network: "10.20.0.0/16",
      tunnel_id: t.id,
      comment: "",
    });
    expect(dup.status).toBe(409);
    const bad = await call(emu, "POST", `${acct(emu)}/teamnet/routes`, {
      network: "10.20.0.0",
      tunnel_id: t.id,
    });
    expect(bad.status).toBe(400);
    const del = await call(emu, "DELETE", `${acct(emu)}/teamnet/routes/${route.id}`);
    expect(del.json.result.deleted_at).not.toBeNull();
    expect((await call(emu, "GET", `${acct(emu)}/teamnet/routes/${route.id}`)).status).toBe(404);
  });

  it("reports health and connections set through the admin API, and refuses to delete a connected tunnel", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, {
      name: "health",
      config_src: "cloudflare",
    });
    const set = await admin(emu, "PUT", `/tunnels/${t.id}/status`, { status: "healthy" });
    expect(set.status).toBe(200);
    const got = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}`);
    expect(got.status).toBe("healthy");
    expect(got.conns_active_at).not.toBeNull();
    expect(got.connections).toHaveLength(4);
    const conns = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}/connections`);
    expect(conns).toHaveLength(1);
    expect(conns[0]).toMatchObject({ arch: "linux_amd64", conns: expect.any(Array) });
    expect(conns[0].conns[0]).toHaveProperty("colo_name");
    const del = await call(emu, "DELETE", `${acct(emu)}/cfd_tunnel/${t.id}`);
    expect(del.status).toBe(400);
    expect(del.json.errors[0].code).toBe(1022);
    await result(emu, "DELETE", `${acct(emu)}/cfd_tunnel/${t.id}/connections?client_id=${conns[0].id}`);
    const after = await result(emu, "GET", `${acct(emu)}/cfd_tunnel/${t.id}`);
    expect(after.status).toBe("down");
    expect(after.connections).toEqual([]);
    expect((await call(emu, "DELETE", `${acct(emu)}/cfd_tunnel/${t.id}`)).status).toBe(200);
  });
});
