// What `zt token rotate` (POST …/rotate, then POST …/refresh, outside Pulumi) does to a stack that
// declares the token as the portal's ServiceTokens component does (name and duration, no
// clientSecretVersion), through the real engine on the emulator: the preview, the refresh, the preview
// after it and an up plan nothing and write nothing, so the rotation and the renewal are no drift.
// A missing toolchain fails in beforeAll (openStack says how to build it); nothing skips.
import * as cloudflare from "@pulumi/cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN, type RunningEmulator, startEmulator } from "../../emulator";
import { openStack, type EngineStack } from "../../src/engine";
import { makeProject, type TestProject } from "../../bench/harness/project";
import Cloudflare from "cloudflare";

function program(accountId: string) {
  return async () => {
    const token = new cloudflare.ZeroTrustAccessServiceToken("ci", {
      accountId,
      name: "zt-gitops ci-deploy",
      duration: "8760h",
    });
    return { clientId: token.clientId };
  };
}

describe("engine: a service token rotated outside Pulumi (zt token rotate)", () => {
  let emu: RunningEmulator;
  const projects: TestProject[] = [];
  const quiet = { onOutput: () => undefined };

  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu?.close();
    for (const p of projects) p.remove();
  });

  async function stackFor(): Promise<EngineStack> {
    const project = makeProject("zt-token-rotate");
    projects.push(project);
    return openStack({
      projectDir: project.dir,
      stackName: "rotate",
      program: program(emu.accountId),
      env: {
        CLOUDFLARE_BASE_URL: emu.apiBase,
        CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN,
        PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
      },
      log: () => undefined,
    });
  }

  async function rotateOutside(name: string) {
    const cf = new Cloudflare({ apiToken: EMULATOR_DEFAULT_TOKEN, baseURL: emu.apiBase, maxRetries: 0 });
    const account_id = emu.accountId;
    let id = "";
    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id }))
      if (t.name === name) id = t.id!;
    await cf.zeroTrust.access.serviceTokens.rotate(id, {
      account_id,
      previous_client_secret_expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await cf.zeroTrust.access.serviceTokens.refresh(id, { account_id });
  }

  it("after a rotation and a renewal outside Pulumi: preview, refresh, preview and up change nothing", async () => {
    const engine = await stackFor();
    expect((await engine.stack.up(quiet)).summary.result).toBe("succeeded");
    await rotateOutside("zt-gitops ci-deploy");
    emu.clearRequests();
    expect((await engine.stack.preview(quiet)).changeSummary).toEqual({ same: 2 });
    expect((await engine.stack.refresh(quiet)).summary.resourceChanges).toEqual({ same: 2 });
    expect((await engine.stack.preview(quiet)).changeSummary).toEqual({ same: 2 });
    const up = await engine.stack.up(quiet);
    expect(up.summary.resourceChanges).toEqual({ same: 2 });
    expect(emu.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });
});
