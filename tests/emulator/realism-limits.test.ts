// Rate limit, x-should-retry, the lost-response fault and bad input: each on
// (the default) and off, with Cloudflare's envelope and nothing changed in state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { TOKEN, acct, admin, call, result } from "./helpers";

const OTHER_TOKEN = "another-emulator-token-11111111111111111111";

describe("account-wide rate limit", () => {
  it("answers 429 with code 971 and Retry-After once a token spent its budget; other tokens go on", async () => {
    const emu = await startEmulator({ realism: { rateLimitMax: 5 } });
    try {
      for (let i = 0; i < 5; i++)
        expect((await call(emu, "GET", `${acct(emu)}/gateway/lists`)).status).toBe(200);
      const limited = await call(emu, "GET", `${acct(emu)}/gateway/lists`);
      expect(limited.status).toBe(429);
      expect(limited.json).toMatchObject({ success: false, result: null, errors: [{ code: 971 }] });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(200);
      const other = await call(emu, "GET", `${acct(emu)}/gateway/lists`, undefined, {
        Authorization: `Bearer ${OTHER_TOKEN}`,
      });
      expect(other.status).toBe(200);
      const status = await admin(emu, "GET", "/ratelimit");
      expect(status.json).toMatchObject({ enabled: true, max: 5, windowMs: 300000 });
      expect(JSON.stringify(status.json)).not.toContain(TOKEN);
      await admin(emu, "DELETE", "/ratelimit");
      expect((await call(emu, "GET", `${acct(emu)}/gateway/lists`)).status).toBe(200);
    } finally {
      await emu.close();
    }
  });

  it("defaults to 1,200 per 5 minutes, and ratelimit=off never limits", async () => {
    const on = await startEmulator();
    const off = await startEmulator({ realism: { rateLimit: false, rateLimitMax: 3 } });
    try {
      expect(on.realism).toMatchObject({ rateLimit: true, rateLimitMax: 1200, rateLimitWindowMs: 300000 });
      for (let i = 0; i < 10; i++) expect((await call(off, "GET", "/user/tokens/verify")).status).toBe(200);
    } finally {
      await on.close();
      await off.close();
    }
  });
});

describe("x-should-retry", () => {
  it("is never sent with realism (no evidence Cloudflare sends it), and sent on 409/5xx with retry_header=off", async () => {
    const on = await startEmulator();
    const off = await startEmulator({ realism: "retry_header=off" });
    try {
      for (const emu of [on, off]) {
        await result(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "dup" });
        const clash = await call(emu, "POST", `${acct(emu)}/cfd_tunnel`, { name: "dup" });
        expect(clash.status).toBe(409);
        await admin(emu, "POST", "/faults", { path: "/accounts/*/gateway/lists", status: 503 });
        const fault = await call(emu, "GET", `${acct(emu)}/gateway/lists`);
        expect(fault.status).toBe(503);
        if (emu === on) {
          expect(clash.headers.get("x-should-retry")).toBeNull();
          expect(fault.headers.get("x-should-retry")).toBeNull();
        } else {
          expect(clash.headers.get("x-should-retry")).toBe("false");
          expect(fault.headers.get("x-should-retry")).toBe("true");
        }
      }
    } finally {
      await on.close();
      await off.close();
    }
  });
});

describe("lost-response fault", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("carries the request out, then answers 5xx; a blind retry makes a duplicate the caller must look for", async () => {
    const added = await admin(emu, "POST", "/faults", {
      method: "POST",
      path: "/accounts/*/gateway/lists",
      lostResponse: true,
    });
    expect(added.status).toBe(201);
    const lost = await call(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "once", type: "SERIAL" });
    expect(lost.status).toBe(502);
    expect(lost.json).toMatchObject({ success: false, result: null, errors: [{ code: 10001 }] });
    const lists = await result(emu, "GET", `${acct(emu)}/gateway/lists`);
    expect(lists.map((l: { name: string }) => l.name)).toEqual(["once"]);
    expect(emu.requests().at(-2)?.fault).toBe("lost response 502");
    await admin(emu, "POST", "/faults", {
      method: "PUT",
      path: "/accounts/*/gateway/lists/*",
      lostResponse: true,
      status: 504,
    });
    const put = await call(emu, "PUT", `${acct(emu)}/gateway/lists/${lists[0].id}`, { name: "renamed" });
    expect(put.status).toBe(504);
    expect((await result(emu, "GET", `${acct(emu)}/gateway/lists/${lists[0].id}`)).name).toBe("renamed");
    expect(
      (await admin(emu, "POST", "/faults", { path: "/x", lostResponse: true, status: 429 })).status,
    ).toBe(400);
  });
});

describe("bad input", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const writes = (a: string): Array<[string, string]> => [
    ["POST", `${a}/gateway/lists`],
    ["POST", `${a}/access/apps`],
    ["POST", `${a}/access/groups`],
    ["POST", `${a}/access/policies`],
    ["PUT", `${a}/access/organizations`],
    ["POST", `${a}/devices/posture`],
    ["PATCH", `${a}/devices/policy`],
    ["PUT", `${a}/devices/policy/fallback_domains`],
    ["PUT", `${a}/devices/settings`],
    ["POST", `${a}/cfd_tunnel`],
    ["POST", `${a}/teamnet/routes`],
    ["POST", `${a}/logpush/jobs`],
  ];
  const bodies: unknown[] = [
    "{not json",
    [],
    "7",
    "null",
    { name: 5, type: ["SERIAL"], include: "everyone", items: "x", policies: {}, domain: 1 },
    {
      name: "n",
      type: "SERIAL",
      items: [{ value: 5 }],
      include: [{ email: 3 }],
      config_src: 9,
      network: [],
      auth_domain: 5,
    },
    [{ suffix: 1 }],
  ];

  it("answers Cloudflare's error envelope with a code, never a 5xx, and changes nothing", async () => {
    const before = JSON.stringify((await admin(emu, "GET", "/state")).json);
    const seen: string[] = [];
    // Not bad input there: an empty fallback list is valid, and device settings ignore unknown fields.
    const valid = (path: string, b: unknown) =>
      (path.endsWith("fallback_domains") && Array.isArray(b) && b.length === 0) ||
      (path.endsWith("devices/settings") && typeof b === "object" && b !== null && !Array.isArray(b));
    for (const [method, path] of writes(acct(emu)))
      for (const b of bodies.filter((x) => !valid(path, x))) {
        const r = await call(emu, method, path, b);
        seen.push(`${method} ${path.split("/").slice(3).join("/")} ${r.status}`);
        expect(r.status, `${method} ${path} ${JSON.stringify(b)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${method} ${path} ${JSON.stringify(b)}`).toBeLessThan(500);
        expect(r.json).toMatchObject({ success: false, result: null, messages: [] });
        expect(typeof r.json.errors[0].code).toBe("number");
      }
    expect(seen.length).toBeGreaterThanOrEqual(writes("").length * bodies.length - 3);
    expect(JSON.stringify((await admin(emu, "GET", "/state")).json)).toBe(before);
  });

  it("malformed JSON is code 6007 and unknown device-settings fields are ignored, never echoed", async () => {
    const r = await call(emu, "POST", `${acct(emu)}/gateway/lists`, "{oops");
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual([{ code: 6007, message: "Malformed JSON in request body" }]);
    const s = await result(emu, "PATCH", `${acct(emu)}/devices/settings`, { bogus_field: true });
    expect(s).not.toHaveProperty("bogus_field");
  });
});
