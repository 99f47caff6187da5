import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { acct, admin, call, result } from "./helpers";

describe("fault injection", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      realism: "off", // pins the pre-issue-14 x-should-retry defaults
      faults: [{ method: "GET", path: "/accounts/*/cfd_tunnel", status: 429, retryAfter: 3, count: 1 }],
    });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.faults.clear());

  it("answers a configured 429 once, with Retry-After and a Cloudflare envelope", async () => {
    const first = await call(emu, "GET", `${acct(emu)}/cfd_tunnel`);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(first.json).toMatchObject({ success: false, errors: [{ code: 971 }] });
    const second = await call(emu, "GET", `${acct(emu)}/cfd_tunnel`);
    expect(second.status).toBe(200);
    const logged = emu.requests().filter((e) => e.path.endsWith("/cfd_tunnel"));
    expect(logged.map((e) => [e.status, e.fault])).toEqual([
      [429, "429"],
      [200, undefined],
    ]);
  });

  it("injects 500/502 through the admin API with x-should-retry, and clears them", async () => {
    const add = await admin(emu, "POST", "/faults", [
      { method: "POST", path: "/accounts/*/gateway/lists", status: 502, count: 2 },
      { path: "/accounts/**", status: 500, shouldRetry: false, count: 1, skip: 1 },
    ]);
    expect(add.status).toBe(201);
    const a = await call(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "l", type: "EMAIL" });
    expect(a.status).toBe(502);
    expect(a.headers.get("x-should-retry")).toBe("true");
    expect((await call(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "l", type: "EMAIL" })).status).toBe(
      502,
    );
    // second rule: first match skipped, the next gets a final 500
    expect((await call(emu, "GET", `${acct(emu)}/devices/policy`)).status).toBe(200);
    const final = await call(emu, "GET", `${acct(emu)}/devices/policy`);
    expect(final.status).toBe(500);
    expect(final.headers.get("x-should-retry")).toBe("false");
    expect((await call(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "l", type: "EMAIL" })).status).toBe(
      200,
    );
    await admin(emu, "POST", "/faults", { path: "/accounts/**", status: 503, count: null });
    expect((await admin(emu, "GET", "/faults")).json[0]).toMatchObject({ status: 503, remaining: null });
    expect((await admin(emu, "DELETE", "/faults")).status).toBe(200);
    expect((await call(emu, "GET", `${acct(emu)}/devices/policy`)).status).toBe(200);
  });

  it("delays a response without failing it", async () => {
    emu.faults.add({ path: "/accounts/*/devices/settings", delayMs: 250 });
    const t0 = Date.now();
    const r = await call(emu, "GET", `${acct(emu)}/devices/settings`);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    const t1 = Date.now();
    await call(emu, "GET", `${acct(emu)}/devices/settings`);
    expect(Date.now() - t1).toBeLessThan(200);
  });

  it("rejects a malformed fault rule", async () => {
    expect((await admin(emu, "POST", "/faults", { path: "/x" })).status).toBe(400);
    expect((await admin(emu, "POST", "/faults", { path: "/x", status: 200 })).status).toBe(400);
  });
});

describe("persistence", () => {
  const dir = mkdtempSync(join(tmpdir(), "zt-emu-"));
  const file = join(dir, "state.json");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every change across a restart, written atomically", async () => {
    const a = await startEmulator({ stateFile: file, realism: "off" });
    const t = await result(a, "POST", `${acct(a)}/cfd_tunnel`, { name: "persist", config_src: "cloudflare" });
    const token = await result(a, "GET", `${acct(a)}/cfd_tunnel/${t.id}/token`);
    const l = await result(a, "POST", `${acct(a)}/gateway/lists`, {
      name: "p",
      type: "EMAIL",
      items: [{ value: "a@example.org" }],
    });
    const job = await result(a, "POST", `${acct(a)}/logpush/jobs`, {
      dataset: "gateway_dns",
      destination_conf: "r2://b/p",
    });
    await a.close();
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(JSON.parse(readFileSync(file, "utf8")).schema).toBe(1);

    const b = await startEmulator({ stateFile: file, realism: "off" });
    try {
      expect(b.accountId).toBe(a.accountId);
      expect(await result(b, "GET", `${acct(b)}/cfd_tunnel/${t.id}`)).toEqual(t);
      expect(await result(b, "GET", `${acct(b)}/cfd_tunnel/${t.id}/token`)).toBe(token);
      expect((await result(b, "GET", `${acct(b)}/gateway/lists/${l.id}`)).items).toEqual(l.items);
      // the integer id sequence continues instead of restarting
      const next = await result(b, "POST", `${acct(b)}/logpush/jobs`, {
        dataset: "gateway_http",
        destination_conf: "r2://b/q",
      });
      expect(next.id).toBe(job.id + 1);
    } finally {
      await b.close();
    }
  });

  it("refuses a file that is not emulator state", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ hello: "world" }));
    await expect(startEmulator({ stateFile: bad })).rejects.toThrow(/not an emulator state file/);
  });
});
