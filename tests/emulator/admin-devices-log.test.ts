// Admin device seeding (POST/GET /__admin/devices) seen through the SDK's physical-devices and
// registrations endpoints and the revocation helpers, and the request log's completeness.
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { revokeDevice, revokeUser } from "../../src/cloudflare/revoke";
import { TOKEN, acct, admin, call } from "./helpers";

interface Device {
  id: string;
  serial_number: string;
  device_type: string | null;
  active_registrations: number;
  last_seen_user: { email: string } | null;
}

describe("admin device seeding", () => {
  let emu: RunningEmulator;
  let cf: Cloudflare;
  const target = () => ({ apiToken: TOKEN, baseUrl: emu.apiBase, accountId: emu.accountId });

  beforeAll(async () => {
    emu = await startEmulator();
    cf = new Cloudflare({
      apiToken: TOKEN,
      apiKey: null,
      apiEmail: null,
      baseURL: emu.apiBase,
      maxRetries: 0,
    });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await admin(emu, "DELETE", "/registrations");
  });

  it("creates a physical device with the serial and OS, and a registration for the user", async () => {
    const seeded = await admin(emu, "POST", "/devices", [
      { serial: "C02XL0GHJGH5", os: "macos", email: "alice@example.org" },
      { serial: "R90X2Y3Z", email: "dan@example.org", name: "spare" },
    ]);
    expect(seeded.status).toBe(201);
    expect(seeded.json).toHaveLength(2);
    expect(seeded.json[0]).toMatchObject({
      user: { email: "alice@example.org" },
      device: { serial_number: "C02XL0GHJGH5", device_type: "mac" },
      revoked_at: null,
    });

    const listed: Device[] = [];
    for await (const d of cf.zeroTrust.devices.devices.list({ account_id: emu.accountId, per_page: 1 }))
      listed.push(d as Device);
    expect(listed.map((d) => d.serial_number).sort()).toEqual(["C02XL0GHJGH5", "R90X2Y3Z"]);
    const alice = listed.find((d) => d.serial_number === "C02XL0GHJGH5")!;
    expect(alice).toMatchObject({
      device_type: "mac",
      active_registrations: 1,
      last_seen_user: { email: "alice@example.org" },
    });
    expect(listed.find((d) => d.serial_number === "R90X2Y3Z")).toMatchObject({
      name: "spare",
      device_type: null,
    });
    expect(
      (await cf.zeroTrust.devices.devices.get(alice.id, { account_id: emu.accountId })).serial_number,
    ).toBe("C02XL0GHJGH5");

    const regs = [];
    for await (const r of cf.zeroTrust.devices.registrations.list({ account_id: emu.accountId }))
      regs.push(r);
    expect(regs.find((r) => r.device.id === alice.id)?.user?.email).toBe("alice@example.org");
  });

  it("enrolling the same serial again adds a registration to the same device and keeps the user's id", async () => {
    const [first] = (
      await admin(emu, "POST", "/devices", { serial: "5CG1234XYZ", os: "windows", email: "bob@example.org" })
    ).json;
    const [second] = (
      await admin(emu, "POST", "/devices", { serial: "5cg1234xyz", email: "bob@example.org" })
    ).json;
    expect(second.device.id).toBe(first.device.id);
    expect(second.device.device_type).toBe("windows");
    expect(second.user.id).toBe(first.user.id);
    const devices = (await admin(emu, "GET", "/devices")).json as Device[];
    expect(devices).toHaveLength(1);
    expect(devices[0].active_registrations).toBe(2);
  });

  it("refuses bad entries without seeding any of the batch", async () => {
    for (const bad of [
      { email: "a@example.org" },
      { serial: "X1" },
      { serial: "X1", email: "a@example.org", os: "beos" },
    ]) {
      const r = await admin(emu, "POST", "/devices", [{ serial: "OK1", email: "ok@example.org" }, bad]);
      expect(r.status).toBe(400);
    }
    expect((await admin(emu, "GET", "/devices")).json).toEqual([]);
  });

  it("shows revocations: revokeDevice by serial, revokeUser by email; revoked devices stay listed with 0 active", async () => {
    await admin(emu, "POST", "/devices", [
      { serial: "PF2ABCDE", os: "linux", email: "bob@example.org" },
      { serial: "5CG1234XYZ", os: "windows", email: "bob@example.org" },
      { serial: "FVFZK1ABQ6L4", os: "macos", email: "carol@example.org" },
    ]);
    expect((await revokeDevice(target(), "pf2abcde")).registrationIds).toHaveLength(1);
    const user = await revokeUser(target(), "Carol@Example.org");
    expect(user).toMatchObject({ sessionsRevoked: true });
    expect(user.registrationIds).toHaveLength(1);
    const active = Object.fromEntries(
      ((await admin(emu, "GET", "/devices")).json as Device[]).map((d) => [
        d.serial_number,
        d.active_registrations,
      ]),
    );
    expect(active).toEqual({ PF2ABCDE: 0, "5CG1234XYZ": 1, FVFZK1ABQ6L4: 0 });
    // The SDK's default (active_registrations=only) no longer lists them; a second revoke finds nothing.
    const listed = [];
    for await (const d of cf.zeroTrust.devices.devices.list({ account_id: emu.accountId }))
      listed.push(d.serial_number);
    expect(listed).toEqual(["5CG1234XYZ"]);
    expect((await revokeDevice(target(), "PF2ABCDE")).registrationIds).toEqual([]);
    expect(
      ((await admin(emu, "GET", "/revocations")).json as Array<{ email: string }>).map((r) => r.email),
    ).toContain("carol@example.org");
  });
});

describe("request log", () => {
  it("records every request in order: repeats, errors, faults; admin calls are left out of requests()", async () => {
    const emu = await startEmulator();
    try {
      await call(emu, "GET", `${acct(emu)}/devices/policy`);
      await call(emu, "GET", `${acct(emu)}/devices/policy`);
      await call(emu, "GET", `${acct(emu)}/gateway/lists/nope`);
      await call(emu, "GET", `${acct(emu)}/devices/policy`, undefined, {});
      emu.faults.add({ path: "/accounts/*/devices/settings", status: 503 });
      await call(emu, "GET", `${acct(emu)}/devices/settings`);
      await call(emu, "PUT", `${acct(emu)}/devices/settings`, { gateway_proxy_enabled: true });
      await admin(emu, "GET", "/health");
      expect(
        emu
          .requests()
          .map(
            (e) =>
              `${e.method} ${e.path.split("/").slice(-2).join("/")} ${e.status}${e.fault ? " fault" : ""}`,
          ),
      ).toEqual([
        "GET devices/policy 200",
        "GET devices/policy 200",
        "GET lists/nope 404",
        "GET devices/policy 401",
        "GET devices/settings 503 fault",
        "PUT devices/settings 200",
      ]);
      expect(emu.requestsDropped()).toBe(0);
      expect(((await admin(emu, "GET", "/requests")).json as unknown[]).length).toBe(7);
    } finally {
      await emu.close();
    }
  });

  it("keeps the newest entries past requestLogLimit and says how many it dropped", async () => {
    const emu = await startEmulator({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await call(emu, "GET", `${acct(emu)}/gateway/lists?i=${i}`);
      expect(emu.requests().map((e) => e.query)).toEqual(["?i=2", "?i=3", "?i=4"]);
      expect(emu.requestsDropped()).toBe(2);
      emu.clearRequests();
      expect(emu.requestsDropped()).toBe(0);
    } finally {
      await emu.close();
    }
  });
});
