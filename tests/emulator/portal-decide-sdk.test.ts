// The portal example built through the official `cloudflare` SDK (7.3.0) against the
// emulator, then judged by POST /__admin/access/decide: the access tests run
// against the objects Cloudflare would hold, not against a model of them.
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { TOKEN, admin } from "./helpers";

describe("Access decisions on objects made with the official SDK", () => {
  let emu: RunningEmulator;
  let cf: Cloudflare;
  let ci: { client_id: string; client_secret: string; id: string };
  const ids: Record<string, string> = {};
  const decide = async (body: unknown) => {
    const r = await admin(emu, "POST", "/access/decide", body);
    if (r.status !== 200) throw new Error(`decide -> ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };

  beforeAll(async () => {
    emu = await startEmulator();
    cf = new Cloudflare({
      apiToken: TOKEN,
      apiKey: null,
      apiEmail: null,
      baseURL: emu.apiBase,
      maxRetries: 0,
    });
    const account_id = emu.accountId;
    const za = cf.zeroTrust.access;
    const okta = await cf.zeroTrust.identityProviders.create({
      account_id,
      name: "Okta",
      type: "okta",
      config: {
        client_id: "okta-client",
        client_secret: "okta-secret-value",
        okta_account: "https://acme.okta.com",
      },
    });
    const otp = await cf.zeroTrust.identityProviders.create({
      account_id,
      name: "PIN",
      type: "onetimepin",
      config: {},
    });
    const staffList = await cf.zeroTrust.gateway.lists.create({
      account_id,
      name: "staff",
      type: "EMAIL",
      items: [{ value: "alice@example.org" }],
    });
    const acmeList = await cf.zeroTrust.gateway.lists.create({
      account_id,
      name: "acme",
      type: "EMAIL",
      items: [{ value: "jo@acme.example" }],
    });
    const serials = await cf.zeroTrust.gateway.lists.create({
      account_id,
      name: "serials",
      type: "SERIAL",
      items: [{ value: "C02XL0GHJGH5" }],
    });
    const posture = await cf.zeroTrust.devices.posture.create({
      account_id,
      name: "corp serials",
      type: "serial_number",
      input: { id: serials!.id! } as never,
    });
    const staff = await za.groups.create({
      account_id,
      name: "staff",
      include: [{ email_list: { id: staffList!.id! } }],
      require: [{ login_method: { id: okta.id! } }],
    });
    const acme = await za.groups.create({
      account_id,
      name: "acme",
      include: [{ email_list: { id: acmeList!.id! } }],
      require: [{ login_method: { id: otp.id! } }],
    });
    const token = await za.serviceTokens.create({ account_id, name: "ci-deploy" });
    ci = { id: token.id!, client_id: token.client_id!, client_secret: token.client_secret! };
    const staffWithDevice = await za.policies.create({
      account_id,
      name: "portal staff (device)",
      decision: "allow",
      include: [{ group: { id: staff.id! } }],
      require: [{ device_posture: { integration_uid: posture!.id! } }],
    });
    const acmeAllow = await za.policies.create({
      account_id,
      name: "acme",
      decision: "allow",
      include: [{ group: { id: acme.id! } }],
    });
    const staffAllow = await za.policies.create({
      account_id,
      name: "staff",
      decision: "allow",
      include: [{ group: { id: staff.id! } }],
    });
    const ciAuth = await za.policies.create({
      account_id,
      name: "ci-deploy",
      decision: "non_identity",
      include: [{ service_token: { token_id: ci.id } }],
    });
    const app = (name: string, domain: string, policies: string[], idps: string[]) =>
      za.applications.create({
        account_id,
        name,
        domain,
        type: "self_hosted",
        allowed_idps: idps,
        policies: policies.map((id, i) => ({ id, precedence: i + 1 })),
      } as never);
    ids.portal = (
      await app("portal", "portal.example.com", [staffWithDevice.id!, acmeAllow.id!], [okta.id!, otp.id!])
    ).id!;
    await app("client-acme", "client-acme.example.com", [acmeAllow.id!], [otp.id!]);
    await app("internal-api", "api.example.com", [staffAllow.id!, ciAuth.id!], [okta.id!]);
    await admin(emu, "POST", "/devices", { serial: "C02XL0GHJGH5", email: "alice@example.org", os: "macos" });
  });
  afterAll(() => emu.close());

  it("alice (Okta) on her enrolled, listed Mac reaches the portal; without the device she does not", async () => {
    const d = await decide({
      app: "portal.example.com",
      identity: { email: "alice@example.org", loginMethod: "okta" },
      device: { serial: "C02XL0GHJGH5" },
    });
    expect(d).toMatchObject({
      decision: "allow",
      action: "allow",
      policy: { name: "portal staff (device)", precedence: 1, reusable: true },
    });
    const noDevice = await decide({
      app: "portal.example.com",
      identity: { email: "alice@example.org", loginMethod: "okta" },
    });
    expect(noDevice.decision).toBe("deny");
    expect(noDevice.evaluated.map((e: { name: string }) => e.name)).toEqual([
      "portal staff (device)",
      "acme",
    ]);
  });

  it("jo (one-time PIN) reaches portal and client-acme without a device, not the internal API", async () => {
    const jo = { email: "jo@acme.example", loginMethod: "onetimepin" };
    expect((await decide({ app: "portal.example.com", identity: jo })).decision).toBe("allow");
    expect((await decide({ app: "client-acme.example.com", identity: jo })).decision).toBe("allow");
    const api = await decide({ app: "api.example.com", identity: jo });
    expect(api.decision).toBe("deny");
    expect(api.reason).toMatch(/does not offer login method PIN/);
  });

  it("ci-deploy's token reaches the internal API (Service Auth), not the portal; rotation revokes the old secret", async () => {
    const ok = await decide({ app: "api.example.com", serviceToken: ci });
    expect(ok).toMatchObject({ decision: "allow", action: "non_identity", policy: { name: "ci-deploy" } });
    expect((await decide({ app: "portal.example.com", serviceToken: ci })).decision).toBe("deny");
    const rotated = await cf.zeroTrust.access.serviceTokens.rotate(ci.id, { account_id: emu.accountId });
    expect((await decide({ app: "api.example.com", serviceToken: ci })).reason).toMatch(/previous secret/);
    const fresh = { client_id: ci.client_id, client_secret: rotated.client_secret! };
    expect((await decide({ app: "api.example.com", serviceToken: fresh })).decision).toBe("allow");
  });

  it("decides by app id too, and says plainly when the request is malformed", async () => {
    const d = await decide({
      appId: ids.portal,
      identity: { email: "jo@acme.example", loginMethod: "onetimepin" },
    });
    expect(d.app).toMatchObject({ id: ids.portal, name: "portal", domain: "portal.example.com" });
    const bad = await admin(emu, "POST", "/access/decide", { app: "portal.example.com" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/identity, a serviceToken/);
    const none = await admin(emu, "POST", "/access/decide", {
      app: "nope.example.com",
      identity: { email: "a@b.co" },
    });
    expect(none.status).toBe(404);
  });

  it("the request log holds neither the IdP secret nor the token secret", async () => {
    const all = JSON.stringify((await admin(emu, "GET", "/requests")).json);
    expect(all).not.toContain("okta-secret-value");
    expect(all).not.toContain(ci.client_secret);
    expect(JSON.stringify((await admin(emu, "GET", "/state")).json)).not.toContain(ci.client_secret);
  });
});
