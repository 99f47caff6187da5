// Service tokens: the secret answered once (create / rotate), default duration 8760h,
// refresh extends by a year, rotation with and without a grace period, provider-style
// rotation through PUT client_secret_version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { checkServiceToken } from "../../emulator/portal/service-tokens";
import { portal } from "../../emulator/portal/state";
import { acct, admin, call, result } from "./helpers";

const YEAR = 8760 * 3600_000;
const secretsSeen: string[] = [];

describe("service tokens", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  const tokens = () => portal(emu.state).serviceTokens;

  it("create answers client_id and client_secret once; duration defaults to 8760h", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "ci-deploy" });
    secretsSeen.push(t.client_secret);
    expect(t.client_id).toMatch(/^[0-9a-f]{32}\.access$/);
    expect(t.client_secret).toMatch(/^cfast_[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    expect(t).toMatchObject({
      name: "ci-deploy",
      duration: "8760h",
      enabled: true,
      client_secret_version: 1,
    });
    const exp = Date.parse(t.expires_at) - Date.parse(t.created_at);
    expect(exp).toBe(YEAR);
    const got = await result(emu, "GET", `${acct(emu)}/access/service_tokens/${t.id}`);
    expect(got).not.toHaveProperty("client_secret");
    expect(Object.keys(got).sort()).toEqual(
      [
        "client_id",
        "client_secret_version",
        "created_at",
        "duration",
        "enabled",
        "expires_at",
        "id",
        "name",
        "updated_at",
      ].sort(),
    );
    const list = await call(emu, "GET", `${acct(emu)}/access/service_tokens`);
    expect(list.json.result_info).toMatchObject({ per_page: 1000, total_count: 1 });
    expect(JSON.stringify(list.json)).not.toContain(t.client_secret);
  });

  it("refresh extends expiry by one year and answers no secret", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, {
      name: "short",
      duration: "24h",
    });
    const r = await result(emu, "POST", `${acct(emu)}/access/service_tokens/${t.id}/refresh`);
    expect(r).not.toHaveProperty("client_secret");
    expect(Date.parse(r.expires_at) - Date.parse(t.expires_at)).toBe(YEAR);
  });

  it("PUT with a duration resets expiry from now; name and enabled change in place", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "edit" });
    const r = await result(emu, "PUT", `${acct(emu)}/access/service_tokens/${t.id}`, {
      name: "edited",
      duration: "17520h",
      enabled: false,
    });
    expect(r).toMatchObject({ name: "edited", duration: "17520h", enabled: false, client_id: t.client_id });
    expect(Date.parse(r.expires_at) - Date.parse(r.updated_at)).toBe(2 * YEAR);
    expect(r).not.toHaveProperty("client_secret");
  });

  it("rotate without a grace period revokes the old secret at once", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "rot" });
    const r = await result(emu, "POST", `${acct(emu)}/access/service_tokens/${t.id}/rotate`, {});
    secretsSeen.push(t.client_secret, r.client_secret);
    expect(r.client_secret).not.toBe(t.client_secret);
    expect(r).toMatchObject({ client_id: t.client_id, client_secret_version: 2 });
    const now = Date.now() + 1000;
    expect(checkServiceToken(tokens(), t.client_id, r.client_secret, now).reason).toBeUndefined();
    expect(checkServiceToken(tokens(), t.client_id, t.client_secret, now).reason).toMatch(/previous secret/);
  });

  it("rotate with previous_client_secret_expires_at keeps the old secret valid until then", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "grace" });
    const until = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const r = await result(emu, "POST", `${acct(emu)}/access/service_tokens/${t.id}/rotate`, {
      previous_client_secret_expires_at: until,
    });
    secretsSeen.push(t.client_secret, r.client_secret);
    expect(checkServiceToken(tokens(), t.client_id, t.client_secret, Date.now()).reason).toBeUndefined();
    expect(checkServiceToken(tokens(), t.client_id, r.client_secret, Date.now()).reason).toBeUndefined();
    expect(checkServiceToken(tokens(), t.client_id, t.client_secret, Date.parse(until) + 1).reason).toMatch(
      /expired/,
    );
    // A disabled token stops both secrets (docs: "Turn a service token on or off").
    await result(emu, "PUT", `${acct(emu)}/access/service_tokens/${t.id}`, { enabled: false });
    expect(checkServiceToken(tokens(), t.client_id, r.client_secret, Date.now()).reason).toMatch(/disabled/);
  });

  it("the provider's rotation: PUT with a higher client_secret_version answers a new secret", async () => {
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "tf" });
    const same = await result(emu, "PUT", `${acct(emu)}/access/service_tokens/${t.id}`, {
      name: "tf",
      client_secret_version: 1,
    });
    expect(same).not.toHaveProperty("client_secret");
    const until = new Date(Date.now() + 7200_000).toISOString();
    const r = await result(emu, "PUT", `${acct(emu)}/access/service_tokens/${t.id}`, {
      client_secret_version: 2,
      previous_client_secret_expires_at: until,
    });
    secretsSeen.push(t.client_secret, r.client_secret);
    expect(r.client_secret).toMatch(/^cfast_/);
    expect(r.client_secret_version).toBe(2);
    expect(checkServiceToken(tokens(), t.client_id, t.client_secret, Date.now()).reason).toBeUndefined();
  });

  it("refuses bad input; a deleted token is gone; refresh/rotate are account-only", async () => {
    const bad = await call(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "x", duration: "1y" });
    expect(bad.status).toBe(400);
    expect((await call(emu, "POST", `${acct(emu)}/access/service_tokens`, {})).status).toBe(400);
    const t = await result(emu, "POST", `${acct(emu)}/access/service_tokens`, { name: "del" });
    const d = await result(emu, "DELETE", `${acct(emu)}/access/service_tokens/${t.id}`);
    expect(d).toMatchObject({ id: t.id, name: "del" });
    expect((await call(emu, "GET", `${acct(emu)}/access/service_tokens/${t.id}`)).status).toBe(404);
    const z = await result(emu, "POST", `/zones/${emu.zoneId}/access/service_tokens`, { name: "zone" });
    expect(
      (await call(emu, "POST", `/zones/${emu.zoneId}/access/service_tokens/${z.id}/rotate`)).status,
    ).toBe(404);
  });

  it("no secret in the state file view or the request log", async () => {
    const state = JSON.stringify((await admin(emu, "GET", "/state")).json);
    const log = JSON.stringify(emu.requests());
    expect(secretsSeen.length).toBeGreaterThan(4);
    for (const s of secretsSeen) {
      expect(state).not.toContain(s);
      expect(log).not.toContain(s);
    }
  });
});
