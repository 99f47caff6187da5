// Identity providers and service tokens through the real engine (built CLI + the Cloudflare
// plugin bridged from the Terraform provider) against the emulator: create, a preview and a
// refresh that change nothing (the emulator never answers config.client_secret, and the
// provider keeps it from state), a rename, a rotation through client_secret_version, delete.
// A missing toolchain fails in beforeAll (openStack says how to build it); nothing skips.
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN, type RunningEmulator, startEmulator } from "../../emulator";
import { portal } from "../../emulator/portal/state";
import { openStack, type EngineStack } from "../../src/engine";
import { makeProject, type TestProject } from "../../bench/harness/project";

const IDP_SECRET = "okta-client-secret-never-in-state-0123";
let version = 1;
let tokenName = "ci-deploy";

function program(accountId: string) {
  return async () => {
    const okta = new cloudflare.ZeroTrustAccessIdentityProvider("okta", {
      accountId,
      name: "Okta",
      type: "okta",
      config: { clientId: "okta-client", clientSecret: IDP_SECRET, oktaAccount: "https://acme.okta.com" },
    });
    const otp = new cloudflare.ZeroTrustAccessIdentityProvider("otp", {
      accountId,
      name: "One-time PIN",
      type: "onetimepin",
      config: {},
    });
    const token = new cloudflare.ZeroTrustAccessServiceToken("ci", {
      accountId,
      name: tokenName,
      duration: "8760h",
      ...(version > 1
        ? { clientSecretVersion: version, previousClientSecretExpiresAt: "2099-01-01T00:00:00Z" }
        : {}),
    });
    return {
      oktaId: okta.id,
      otpId: otp.id,
      clientId: token.clientId,
      clientSecret: pulumi.secret(token.clientSecret),
    };
  };
}

describe("engine: identity providers and service tokens on the emulator", () => {
  let emu: RunningEmulator;
  let project: TestProject;
  let engine: EngineStack;
  const quiet = { onOutput: () => undefined };
  /** The Cloudflare calls since the last look, as `METHOD path` with ids replaced, sorted. */
  const calls = (): string[] => {
    const out = emu
      .requests()
      .map((e) =>
        `${e.method} ${e.path}`
          .replace(`/client/v4/accounts/${emu.accountId}/`, "")
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}"),
      )
      .sort();
    emu.clearRequests();
    return out;
  };

  beforeAll(async () => {
    emu = await startEmulator();
    project = makeProject("zt-portal-idp-token");
    engine = await openStack({
      projectDir: project.dir,
      stackName: "portal",
      program: program(emu.accountId),
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

  it("up creates both providers and the token; the token's secret is a secret output", async () => {
    const up = await engine.stack.up(quiet);
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    expect(calls()).toEqual([
      "POST access/identity_providers",
      "POST access/identity_providers",
      "POST access/service_tokens",
    ]);
    const p = portal(emu.state);
    expect(p.identityProviders.map((x) => x.type).sort()).toEqual(["okta", "onetimepin"]);
    expect(p.serviceTokens).toHaveLength(1);
    expect(up.outputs.clientSecret.secret).toBe(true);
    expect(String(up.outputs.clientSecret.value)).toMatch(/^cfast_/);
  });

  it("preview and refresh right after change nothing", async () => {
    const pre = await engine.stack.preview(quiet);
    expect(pre.changeSummary).toEqual({ same: 4 });
    calls();
    const ref = await engine.stack.refresh(quiet);
    expect(calls()).toEqual([
      "GET access/identity_providers/{id}",
      "GET access/identity_providers/{id}",
      "GET access/service_tokens/{id}",
    ]);
    expect(ref.summary.resourceChanges).toEqual({ same: 4 });
    expect((await engine.stack.preview(quiet)).changeSummary).toEqual({ same: 4 });
  });

  it("neither the IdP secret nor the token secret is in plaintext in the state or the request log", async () => {
    const issued = String((await engine.stack.outputs()).clientSecret.value);
    const text = project.allText();
    expect(text).not.toContain(IDP_SECRET);
    expect(text).not.toContain(issued);
    expect(JSON.stringify(emu.requests())).not.toContain(IDP_SECRET);
    expect(JSON.stringify(emu.state.data)).not.toContain(IDP_SECRET);
  });

  it("a rename updates in place; a higher clientSecretVersion rotates the secret, then nothing to do", async () => {
    const before = String((await engine.stack.outputs()).clientSecret.value);
    tokenName = "ci-deploy-renamed";
    const renamed = await engine.stack.up(quiet);
    expect(renamed.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    expect(String(renamed.outputs.clientSecret.value)).toBe(before);
    version = 2;
    calls();
    const rotated = await engine.stack.up(quiet);
    // The provider rotates with a PUT carrying the new client_secret_version, never POST /rotate.
    expect(calls()).toEqual(["PUT access/service_tokens/{id}"]);
    expect(rotated.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    expect(String(rotated.outputs.clientSecret.value)).not.toBe(before);
    expect(portal(emu.state).serviceTokens[0]).toMatchObject({
      name: "ci-deploy-renamed",
      client_secret_version: 2,
    });
    expect((await engine.stack.preview(quiet)).changeSummary).toEqual({ same: 4 });
  });

  it("destroy deletes them all", async () => {
    const d = await engine.stack.destroy(quiet);
    expect(d.summary.result).toBe("succeeded");
    expect(portal(emu.state)).toEqual({ identityProviders: [], serviceTokens: [] });
  });
});
