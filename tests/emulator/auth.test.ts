import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_ACCOUNT_ID,
  EMULATOR_ZONE_ID,
  EMULATOR_ZONE_NAME,
  type RunningEmulator,
  startEmulator,
} from "../../emulator";
import { TOKEN, acct, call } from "./helpers";

describe("emulator auth", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("exposes the fixed seeded identities", () => {
    expect(emu.accountId).toBe(EMULATOR_ACCOUNT_ID);
    expect(emu.zoneId).toBe(EMULATOR_ZONE_ID);
    expect(EMULATOR_ACCOUNT_ID).toMatch(/^[0-9a-f]{32}$/);
    expect(EMULATOR_ZONE_NAME).toBe("example.org");
    expect(emu.apiBase).toBe(`${emu.url}/client/v4`);
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("rejects a request without credentials with 401 / 10000", async () => {
    const r = await call(emu, "GET", acct(emu), undefined, {});
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      success: false,
      errors: [{ code: 10000, message: "Authentication error" }],
      result: null,
    });
    expect(r.headers.get("content-type")).toBe("application/json");
  });

  it("rejects a malformed bearer token (outside ^[0-9A-Za-z_-]{40,80}$)", async () => {
    for (const bad of ["short", "x".repeat(81), `${"a".repeat(39)}!`, ""]) {
      const r = await call(emu, "GET", acct(emu), undefined, { Authorization: `Bearer ${bad}` });
      expect(r.status).toBe(401);
      expect(r.json.errors[0].code).toBe(6003);
      expect(r.json.errors[0].error_chain[0].code).toBe(6111);
    }
  });

  it("accepts any well-formed token when no allow-list is configured", async () => {
    const r = await call(emu, "GET", acct(emu), undefined, { Authorization: `Bearer ${"Z".repeat(40)}` });
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ id: EMULATOR_ACCOUNT_ID, type: "standard" });
  });

  it("accepts X-Auth-Key + X-Auth-Email and rejects half of the pair", async () => {
    const key = "0123456789abcdef0123456789abcdef01234";
    const good = await call(emu, "GET", acct(emu), undefined, {
      "X-Auth-Key": key,
      "X-Auth-Email": "ops@example.org",
    });
    expect(good.status).toBe(200);
    const noEmail = await call(emu, "GET", acct(emu), undefined, { "X-Auth-Key": key });
    expect(noEmail.status).toBe(401);
    expect(noEmail.json.errors[0].code).toBe(9106);
    const badKey = await call(emu, "GET", acct(emu), undefined, {
      "X-Auth-Key": "nope",
      "X-Auth-Email": "ops@example.org",
    });
    expect(badKey.status).toBe(401);
    expect(badKey.json.errors[0].code).toBe(9103);
  });

  it("answers an unknown account with 403 / 9109 and a malformed one with 404", async () => {
    const foreign = await call(emu, "GET", `/accounts/${"f".repeat(32)}/cfd_tunnel`);
    expect(foreign.status).toBe(403);
    expect(foreign.json.errors[0].code).toBe(9109);
    const malformed = await call(emu, "GET", "/accounts/not-an-id/cfd_tunnel");
    expect(malformed.status).toBe(404);
    expect(malformed.json.success).toBe(false);
    const zone = await call(emu, "GET", `/zones/${"e".repeat(32)}/dns_records`);
    expect(zone.status).toBe(403);
  });

  it("verifies a token, and refuses to verify a global key", async () => {
    const r = await call(emu, "GET", "/user/tokens/verify");
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ status: "active" });
    expect(r.json.result.id).toMatch(/^[0-9a-f]{32}$/);
    const key = await call(emu, "GET", "/user/tokens/verify", undefined, {
      "X-Auth-Key": "0123456789abcdef0123456789abcdef01234",
      "X-Auth-Email": "ops@example.org",
    });
    expect(key.status).toBe(401);
    expect(key.json.errors[0].code).toBe(1000);
  });

  it("never logs the token", async () => {
    await call(emu, "GET", `${acct(emu)}/cfd_tunnel?name=x&token=${TOKEN}`);
    const text = JSON.stringify(emu.requests());
    expect(text).not.toContain(TOKEN);
    expect(text).toContain("token=REDACTED");
  });
});

describe("emulator auth with an allow-list", () => {
  it("only accepts the listed tokens", async () => {
    const allowed = "A".repeat(40);
    const emu = await startEmulator({ tokens: [allowed] });
    try {
      const ok = await call(emu, "GET", `/accounts/${emu.accountId}`, undefined, {
        Authorization: `Bearer ${allowed}`,
      });
      expect(ok.status).toBe(200);
      const other = await call(emu, "GET", `/accounts/${emu.accountId}`, undefined, {
        Authorization: `Bearer ${"B".repeat(40)}`,
      });
      expect(other.status).toBe(403);
      expect(other.json.errors[0].code).toBe(9109);
    } finally {
      await emu.close();
    }
  });
});
