// The official `cloudflare` SDK (7.3.0) against the emulator: the day-2 calls
// `zt` makes (revoke, audit logs, registrations, tunnel health, doctor checks).
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { TOKEN, acct, admin, call, result } from "./helpers";

describe("official cloudflare SDK against the emulator", () => {
  let emu: RunningEmulator;
  let cf: Cloudflare;
  beforeAll(async () => {
    emu = await startEmulator();
    cf = new Cloudflare({
      apiToken: TOKEN,
      apiKey: null,
      apiEmail: null,
      baseURL: emu.apiBase,
      maxRetries: 1,
    });
  });
  afterAll(() => emu.close());

  it("verifies the token and reads the account", async () => {
    const v = await cf.user.tokens.verify();
    expect(v.status).toBe("active");
    const a = await cf.accounts.get({ account_id: emu.accountId });
    expect(a.id).toBe(emu.accountId);
  });

  it("revokes a user's Access sessions (result is a bare boolean) and, with devices, their registrations", async () => {
    const [reg] = (
      await admin(emu, "POST", "/registrations", { user: { email: "ann@example.org", name: "Ann" } })
    ).json;
    const res = await cf.zeroTrust.organizations.revokeUsers({
      account_id: emu.accountId,
      email: "ann@example.org",
      query_devices: true,
    });
    expect(res).toBe(true);
    const revs = (await admin(emu, "GET", "/revocations")).json;
    expect(revs.at(-1)).toMatchObject({
      email: "ann@example.org",
      devices: true,
      revoked_registrations: [reg.id],
    });
    const after = (await admin(emu, "GET", "/registrations")).json.find(
      (r: { id: string }) => r.id === reg.id,
    );
    expect(after.revoked_at).not.toBeNull();
    await expect(
      cf.zeroTrust.organizations.revokeUsers({ account_id: emu.accountId, email: "" }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("lists registrations with cursor paging and revokes them with repeated ?id=", async () => {
    await admin(emu, "DELETE", "/registrations");
    const seeded = (
      await admin(
        emu,
        "POST",
        "/registrations",
        Array.from({ length: 5 }, (_, i) => ({
          user: { email: `u${i}@example.org` },
          device: { name: `dev-${i}` },
        })),
      )
    ).json as Array<{ id: string; user: { id: string } }>;
    const seen: string[] = [];
    for await (const r of cf.zeroTrust.devices.registrations.list({ account_id: emu.accountId, per_page: 2 }))
      seen.push(r.id);
    expect(seen.sort()).toEqual(seeded.map((s) => s.id).sort());
    const page = await call(emu, "GET", `${acct(emu)}/devices/registrations?per_page=2`);
    expect(page.json.result_info.cursor).toBeTruthy();
    expect(page.json.result).toHaveLength(2);

    const res = await cf.zeroTrust.devices.registrations.revoke({
      account_id: emu.accountId,
      id: [seeded[0].id, seeded[1].id],
    });
    expect(res).toBeNull();
    const log = emu.requests().filter((e) => e.path.endsWith("/registrations/revoke"));
    expect(log.at(-1)?.query).toBe(`?id=${seeded[0].id}&id=${seeded[1].id}`);
    const active: string[] = [];
    for await (const r of cf.zeroTrust.devices.registrations.list({ account_id: emu.accountId }))
      active.push(r.id);
    expect(active.sort()).toEqual(
      seeded
        .slice(2)
        .map((s) => s.id)
        .sort(),
    );
    const revoked: string[] = [];
    for await (const r of cf.zeroTrust.devices.registrations.list({
      account_id: emu.accountId,
      status: "revoked",
    }))
      revoked.push(r.id);
    expect(revoked.sort()).toEqual([seeded[0].id, seeded[1].id].sort());
    const byUser: string[] = [];
    for await (const r of cf.zeroTrust.devices.registrations.list({
      account_id: emu.accountId,
      user: { id: [seeded[3].user.id] },
    }))
      byUser.push(r.id);
    expect(byUser).toEqual([seeded[3].id]);
    await expect(
      cf.zeroTrust.devices.registrations.revoke({ account_id: emu.accountId, id: ["nope"] }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("revokes devices through the legacy endpoint (bare array body, null result)", async () => {
    const [reg] = (await admin(emu, "POST", "/registrations", { user: { email: "leg@example.org" } })).json;
    const res = await cf.zeroTrust.devices.revoke.create({
      account_id: emu.accountId,
      body: [reg.device.id],
    });
    expect(res).toBeNull();
    const after = (await admin(emu, "GET", "/registrations")).json.find(
      (r: { id: string }) => r.id === reg.id,
    );
    expect(after.revoked_at).not.toBeNull();
    const bad = await call(emu, "POST", `${acct(emu)}/devices/revoke`, { id: "x" });
    expect(bad.status).toBe(400);
  });

  it("reads Access sign-in logs with filters and paging", async () => {
    await admin(emu, "POST", "/access_requests", [
      { user_email: "ann@example.org", allowed: true, created_at: "2025-01-01T10:00:00Z", ray_id: "r1" },
      { user_email: "bob@example.org", allowed: false, created_at: "2025-01-02T10:00:00Z", ray_id: "r2" },
      { user_email: "ann@example.org", allowed: true, created_at: "2025-01-03T10:00:00Z", ray_id: "r3" },
    ]);
    const all = await cf.zeroTrust.access.logs.accessRequests.list({ account_id: emu.accountId });
    expect(all.map((l) => l.ray_id)).toEqual(["r3", "r2", "r1"]);
    expect(all[0]).toMatchObject({
      action: "login",
      allowed: true,
      app_domain: expect.any(String),
      connection: expect.any(String),
      ip_address: expect.any(String),
    });
    const ann = await cf.zeroTrust.access.logs.accessRequests.list({
      account_id: emu.accountId,
      email: "ann@example.org",
      direction: "asc",
    });
    expect(ann.map((l) => l.ray_id)).toEqual(["r1", "r3"]);
    const since = await cf.zeroTrust.access.logs.accessRequests.list({
      account_id: emu.accountId,
      since: "2025-01-02T00:00:00Z",
    });
    expect(since.map((l) => l.ray_id)).toEqual(["r3", "r2"]);
    const page2 = await call(emu, "GET", `${acct(emu)}/access/logs/access_requests?per_page=2&page=2`);
    expect(page2.json.result.map((l: { ray_id: string }) => l.ray_id)).toEqual(["r1"]);
    expect(page2.json.result_info).toMatchObject({ page: 2, per_page: 2, total_count: 3 });
    expect((await call(emu, "GET", `${acct(emu)}/access/logs/access_requests?since=yesterday`)).status).toBe(
      400,
    );
  });

  it("gets a tunnel, lists tunnels page by page, and reads its connections", async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++)
      made.push(
        (await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: `sdk-${i}`, config_src: "cloudflare" }))
          .id,
      );
    await admin(emu, "PUT", `/tunnels/${made[0]}/status`, { status: "degraded" });
    const t = await cf.zeroTrust.tunnels.cloudflared.get(made[0], { account_id: emu.accountId });
    expect(t).toMatchObject({ id: made[0], name: "sdk-0", status: "degraded", tun_type: "cfd_tunnel" });
    const ids: string[] = [];
    for await (const x of cf.zeroTrust.tunnels.cloudflared.list({
      account_id: emu.accountId,
      per_page: 2,
      is_deleted: false,
    }))
      ids.push(x.id!);
    expect(ids).toEqual(made);
    const conns: Array<{ conns?: unknown[] }> = [];
    for await (const c of cf.zeroTrust.tunnels.cloudflared.connections.get(made[0], {
      account_id: emu.accountId,
    }))
      conns.push(c);
    expect(conns).toHaveLength(1);
    expect(conns[0].conns).toHaveLength(1);
  });

  it("retries through a 429 with Retry-After", async () => {
    emu.faults.add({ method: "GET", path: "/accounts/*", status: 429, retryAfter: 0 });
    const a = await cf.accounts.get({ account_id: emu.accountId });
    expect(a.id).toBe(emu.accountId);
    const statuses = emu
      .requests()
      .filter((e) => e.path === `/client/v4/accounts/${emu.accountId}`)
      .map((e) => e.status);
    expect(statuses.slice(-2)).toEqual([429, 200]);
  });

  it("surfaces a final 500 (x-should-retry: false) without retrying", async () => {
    emu.clearRequests();
    emu.faults.add({ method: "GET", path: "/accounts/*", status: 500, shouldRetry: false });
    await expect(cf.accounts.get({ account_id: emu.accountId })).rejects.toMatchObject({ status: 500 });
    expect(emu.requests().filter((e) => e.status === 500)).toHaveLength(1);
  });
});
