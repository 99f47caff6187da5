// zt token rotate and zt tunnel rotate-token against the emulator: what reached it, that the new
// credentials work (and the old ones as documented), and that no secret reaches the terminal.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { portal } from "../../emulator/portal/state";
import { checkServiceToken } from "../../emulator/portal/service-tokens";
import { zt } from "./helpers/project";
import { sdk } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

describe("zt token rotate / zt tunnel rotate-token", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());
  beforeEach(() => w.reset());

  // The emulator's clock is the real one, so these runs use the real now too.
  const run = (argv: string[]) => zt(w.project, argv, { now: new Date() });
  const tokens = () => portal(w.emu.state.account(w.emu.accountId)!).serviceTokens;
  async function createToken(name: string, duration = "504h") {
    const t = await sdk(w.emu).zeroTrust.access.serviceTokens.create({
      account_id: w.emu.accountId,
      name: `zt-gitops ${name}`,
      duration,
    });
    return {
      id: t.id!,
      clientId: t.client_id!,
      secret: t.client_secret!,
      expiresAt: (t as { expires_at?: string }).expires_at!,
    };
  }
  const valid = (clientId: string, secret: string, atMs = Date.now()) =>
    checkServiceToken(tokens(), clientId, secret, atMs).reason ?? "valid";

  it("renews and rotates with a 24h grace: new secret in a 0600 file, never printed, old one still works", async () => {
    const old = await createToken("ci-deploy");
    w.emu.clearRequests();
    const r = await run(["token", "rotate", "ci-deploy"]);
    expect(r.code, r.all).toBe(0);
    const file = join(w.project.dir, ".zt/secrets/local/ci-deploy.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved.clientId).toBe(old.clientId);
    expect(saved.clientSecret).toMatch(/^cfast_/);
    expect(saved.clientSecret).not.toBe(old.secret);
    expect(r.all).not.toContain(saved.clientSecret);
    expect(r.all).not.toContain(old.secret);
    expect(r.stdout).toContain(
      "new client secret (version 2) written to .zt/secrets/local/ci-deploy.json (mode 0600)",
    );
    expect(r.stdout).toContain(`CF-Access-Client-Id is unchanged (${old.clientId})`);
    expect(valid(old.clientId, saved.clientSecret)).toBe("valid");
    expect(valid(old.clientId, old.secret)).toBe("valid");
    expect(valid(old.clientId, old.secret, Date.now() + 25 * 3_600_000)).toContain("previous secret");
    const methods = w.emu.requests().map((q) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}/, "ID")}`);
    expect(methods.filter((m) => m.startsWith("POST"))).toEqual([
      expect.stringMatching(/service_tokens\/ID\/rotate$/),
      expect.stringMatching(/service_tokens\/ID\/refresh$/),
    ]);
    // Refresh extended the 21-day token by a year.
    const after = tokens().find((t) => t.id === old.id)!;
    expect(Date.parse(after.expires_at)).toBeGreaterThan(Date.parse(old.expiresAt) + 300 * 86_400_000);
  });

  it("--grace 0 revokes the previous secret at once", async () => {
    const old = await createToken("ci-deploy");
    const r = await run(["token", "rotate", "ci-deploy", "--grace", "0", "--out", "ci.json"]);
    expect(r.code, r.all).toBe(0);
    const saved = JSON.parse(readFileSync(join(w.project.dir, "ci.json"), "utf8"));
    expect(valid(old.clientId, saved.clientSecret)).toBe("valid");
    expect(valid(old.clientId, old.secret, Date.now() + 1000)).toContain("previous secret");
    expect(r.stdout).toContain("The previous secret stopped working now (--grace 0)");
  });

  it("--keep-secret only extends the expiry", async () => {
    const old = await createToken("ci-deploy");
    const r = await run(["token", "rotate", "ci-deploy", "--keep-secret"]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain("Nothing to update in CI.");
    expect(valid(old.clientId, old.secret)).toBe("valid");
    expect(tokens()[0].client_secret_version).toBe(1);
  });

  it("an unknown token is refused with did-you-mean, before any write", async () => {
    await createToken("ci-deploy");
    w.emu.clearRequests();
    const r = await run(["token", "rotate", "ci-deploi"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no service token "zt-gitops ci-deploi"; did you mean ci-deploy?');
    expect(w.emu.requests().filter((q) => q.method !== "GET")).toEqual([]);
    const bad = await run(["token", "rotate", "ci-deploy", "--grace", "soon"]);
    expect(bad.code).toBe(64);
  });

  it("tunnel rotate-token: a new token (never printed), connectors left up, next step is up", async () => {
    const cf = sdk(w.emu);
    const account_id = w.emu.accountId;
    const before = await cf.zeroTrust.tunnels.cloudflared.token.get(w.seeded.tunnelId, { account_id });
    const r = await run(["tunnel", "rotate-token"]);
    expect(r.code, r.all).toBe(0);
    const after = await cf.zeroTrust.tunnels.cloudflared.token.get(w.seeded.tunnelId, { account_id });
    expect(after).not.toBe(before);
    expect(r.all).not.toContain(String(after));
    expect(r.all).not.toContain(String(before));
    expect(r.stdout).toContain("token rotated");
    expect(r.stdout).toContain("npm run up: the stack reads the tunnel token on every run");
    expect(r.stdout).toContain("Replicas are failover, not load balancing");
    const tunnel = await cf.zeroTrust.tunnels.cloudflared.get(w.seeded.tunnelId, { account_id });
    expect((tunnel as { connections?: unknown[] }).connections?.length).toBeGreaterThan(0);
    const writes = w.emu.requests().filter((q) => q.method !== "GET");
    expect(writes.map((q) => q.method)).toEqual(["PATCH"]);
  });

  it("tunnel rotate-token --compromised also force-disconnects every connector", async () => {
    const r = await run(["tunnel", "rotate-token", "--compromised"]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain("force-disconnected");
    const cf = sdk(w.emu);
    const tunnel = await cf.zeroTrust.tunnels.cloudflared.get(w.seeded.tunnelId, {
      account_id: w.emu.accountId,
    });
    expect((tunnel as { connections?: unknown[] }).connections ?? []).toEqual([]);
  });
});
