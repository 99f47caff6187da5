// How the stack picks up a tunnel token rotated by `zt tunnel rotate-token` (PATCH cfd_tunnel/{id} with
// a new tunnel_secret, outside Pulumi), through the real engine on the emulator with the product's
// Tunnel component: the tunnel and its config/route/DNS plan no change before or after a refresh, and the
// next up hands out the new token (the Connector component's TUNNEL_TOKEN input) as a secret.
// A missing toolchain fails in beforeAll (openStack says how to build it); nothing skips.
import { randomBytes } from "node:crypto";
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tunnel } from "../../components/tunnel";
import {
  EMULATOR_DEFAULT_TOKEN,
  EMULATOR_ZONE_ID,
  type RunningEmulator,
  startEmulator,
} from "../../emulator";
import { openStack, type EngineStack } from "../../src/engine";
import { makeProject, type TestProject } from "../../bench/harness/project";

describe("engine: the tunnel token rotated outside Pulumi (zt tunnel rotate-token)", () => {
  let emu: RunningEmulator;
  let project: TestProject;
  let engine: EngineStack;
  const quiet = { onOutput: () => undefined };

  beforeAll(async () => {
    emu = await startEmulator();
    project = makeProject("zt-tunnel-rotate");
    engine = await openStack({
      projectDir: project.dir,
      stackName: "tunnel",
      program: async () => {
        const t = new Tunnel("tunnel", {
          accountId: emu.accountId,
          zoneId: EMULATOR_ZONE_ID,
          tunnelName: "rotate-me",
          apps: [
            { name: "Portal", key: "portal", hostname: "portal.example.org", service: "http://portal:3000" },
          ],
          privateCidr: "172.18.0.0/16",
        });
        return { tunnelId: t.tunnelId, tunnelToken: t.token };
      },
      env: {
        CLOUDFLARE_BASE_URL: emu.apiBase,
        CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN,
        PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
      },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await emu?.close();
    project?.remove();
  });

  it("no change to the tunnel; the next up outputs the new token, as a secret", async () => {
    const first = await engine.stack.up(quiet);
    expect(first.summary.result).toBe("succeeded");
    const tunnelId = String(first.outputs.tunnelId.value);
    const oldToken = String(first.outputs.tunnelToken.value);
    const cf = new Cloudflare({ apiToken: EMULATOR_DEFAULT_TOKEN, baseURL: emu.apiBase, maxRetries: 0 });
    const account_id = emu.accountId;
    await cf.zeroTrust.tunnels.cloudflared.edit(tunnelId, {
      account_id,
      tunnel_secret: randomBytes(32).toString("base64"),
    });
    const newToken = String(await cf.zeroTrust.tunnels.cloudflared.token.get(tunnelId, { account_id }));
    expect(newToken).not.toBe(oldToken);
    emu.clearRequests();
    const counts = first.summary.resourceChanges!;
    const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
    expect((await engine.stack.preview(quiet)).changeSummary).toEqual({ same: total });
    expect((await engine.stack.refresh(quiet)).summary.resourceChanges).toEqual({ same: total });
    const up = await engine.stack.up(quiet);
    expect(up.summary.resourceChanges).toEqual({ same: total });
    expect(emu.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(up.outputs.tunnelToken.secret).toBe(true);
    expect(String(up.outputs.tunnelToken.value)).toBe(newToken);
    expect(project.allText()).not.toContain(newToken);
  });
});
