// accounts/{a}/devices/physical-devices (emulator/api/physical-devices.ts): the devices behind WARP
// registrations, as the official SDK reads them, and revokeDevice (src/cloudflare/revoke.ts) on top.
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { revokeDevice } from "../../src/cloudflare/revoke";
import { TOKEN, acct, admin, call } from "./helpers";

describe("physical devices", () => {
  let emu: RunningEmulator;
  let cf: Cloudflare;
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
    await admin(emu, "POST", "/registrations", [
      // one laptop, two registrations (re-enrolled), the newer one last seen later
      {
        user: { email: "ann@example.org" },
        device: { id: "dev-ann", name: "ann-mbp", serial_number: "C02XL0GHJGH5", device_type: "mac" },
        created_at: "2026-01-01T00:00:00Z",
        last_seen_at: "2026-02-01T00:00:00Z",
      },
      {
        user: { email: "ann@example.org" },
        device: { id: "dev-ann", name: "ann-mbp", serial_number: "C02XL0GHJGH5", device_type: "mac" },
        created_at: "2026-03-01T00:00:00Z",
        last_seen_at: "2026-03-05T00:00:00Z",
      },
      {
        user: { email: "bob@example.org" },
        device: { id: "dev-bob", name: "bob-tp", serial_number: "5CG1234XYZ" },
        revoked_at: "2026-03-02T00:00:00Z",
      },
    ]);
  });

  const all = async (params: Partial<Parameters<typeof cf.zeroTrust.devices.devices.list>[0]> = {}) => {
    const out = [];
    for await (const d of cf.zeroTrust.devices.devices.list({
      account_id: emu.accountId,
      per_page: 1,
      ...params,
    }))
      out.push(d);
    return out;
  };

  it("lists one device per device id with its serial, newest contact and active registrations (cursor paging)", async () => {
    const only = await all();
    expect(only.map((d) => d.id)).toEqual(["dev-ann"]); // default: only devices with active registrations
    expect(only[0]).toMatchObject({
      serial_number: "C02XL0GHJGH5",
      name: "ann-mbp",
      active_registrations: 2,
      last_seen_at: "2026-03-05T00:00:00Z",
      created_at: "2026-01-01T00:00:00Z",
      device_type: "mac",
    });
    expect(only[0].last_seen_user?.email).toBe("ann@example.org");
    const every = await all({ active_registrations: "include" });
    expect(every.map((d) => d.id)).toEqual(["dev-ann", "dev-bob"]);
    expect(every[1]).toMatchObject({ serial_number: "5CG1234XYZ", active_registrations: 0 });
    expect((await all({ active_registrations: "exclude" })).map((d) => d.id)).toEqual(["dev-bob"]);
    expect((await all({ active_registrations: "include", search: "5cg" })).map((d) => d.id)).toEqual([
      "dev-bob",
    ]);
    const page = await call(
      emu,
      "GET",
      `${acct(emu)}/devices/physical-devices?per_page=1&active_registrations=include`,
    );
    expect(page.json.result_info.cursor).toBeTruthy();
    expect(
      (await call(emu, "GET", `${acct(emu)}/devices/physical-devices?active_registrations=some`)).status,
    ).toBe(400);
  });

  it("gets and revokes one device; unknown ids are 404", async () => {
    expect(await cf.zeroTrust.devices.devices.get("dev-ann", { account_id: emu.accountId })).toMatchObject({
      id: "dev-ann",
    });
    await cf.zeroTrust.devices.devices.revoke("dev-ann", { account_id: emu.accountId });
    const regs = (await admin(emu, "GET", "/registrations")).json as Array<{
      device: { id: string };
      revoked_at: string | null;
    }>;
    expect(regs.filter((r) => r.device.id === "dev-ann").every((r) => r.revoked_at)).toBe(true);
    await expect(
      cf.zeroTrust.devices.devices.get("nope", { account_id: emu.accountId }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("lets revokeDevice find a device by serial and revoke its active registrations only", async () => {
    const res = await revokeDevice(
      { apiToken: TOKEN, baseUrl: emu.apiBase, accountId: emu.accountId },
      "c02xl0ghjgh5",
    );
    expect(res.registrationIds).toHaveLength(2);
    const regs = (await admin(emu, "GET", "/registrations")).json as Array<{
      id: string;
      device: { id: string };
      revoked_at: string | null;
    }>;
    expect(
      regs
        .filter((r) => r.device.id === "dev-ann")
        .map((r) => r.id)
        .sort(),
    ).toEqual([...res.registrationIds].sort());
    expect(
      (
        await revokeDevice(
          { apiToken: TOKEN, baseUrl: emu.apiBase, accountId: emu.accountId },
          "C02XL0GHJGH5",
        )
      ).registrationIds,
    ).toEqual([]);
  });
});
