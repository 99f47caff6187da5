// The Cloudflare plugin configured only from the environment (CLOUDFLARE_BASE_URL and
// CLOUDFLARE_API_TOKEN, no stack config), and the resource ids it computes, which must be the
// official plugin's: accountId for device settings and the organization, the numeric job id
// (as a string) for logpush jobs.
import * as cloudflare from "@pulumi/cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStack, type EngineStack } from "../../src/engine";
import { ACCOUNT_ID, FAKE_API_TOKEN, makeProject, type TestProject } from "../../bench/harness/project";
import { startStubApi, type StubApi } from "./helpers/stub-api";

function program() {
  const settings = new cloudflare.ZeroTrustDeviceSettings("settings", {
    accountId: ACCOUNT_ID,
    gatewayProxyEnabled: true,
  });
  const organization = new cloudflare.ZeroTrustOrganization("organization", {
    accountId: ACCOUNT_ID,
    name: "zt-engine-test",
    authDomain: "zt-engine-test.cloudflareaccess.com",
    sessionDuration: "24h",
  });
  const job = new cloudflare.LogpushJob("audit", {
    accountId: ACCOUNT_ID,
    dataset: "access_requests",
    destinationConf: "https://logs.example.com/ingest",
    name: "zt-engine-test",
    enabled: true,
  });
  return Promise.resolve({ settingsId: settings.id, organizationId: organization.id, jobId: job.id });
}

describe("Cloudflare plugin from environment settings", () => {
  let api: StubApi;
  let project: TestProject;
  let engine: EngineStack;
  const said: string[] = [];
  const quiet = { onOutput: (s: string) => process.stdout.write(s) };

  beforeAll(async () => {
    api = await startStubApi();
    project = makeProject("zt-engine-plugin");
    engine = await openStack({
      projectDir: project.dir,
      stackName: "env-only",
      program,
      env: {
        CLOUDFLARE_BASE_URL: api.cloudflareBaseUrl,
        CLOUDFLARE_API_TOKEN: FAKE_API_TOKEN,
        PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
      },
      log: (line) => said.push(line),
    });
  });

  afterAll(async () => {
    await api?.close();
    project?.remove();
  });

  it("says, in one line, which CLI and which plugins run", () => {
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^engine \(ZT_TOOLCHAIN=(auto|official|build)\): pulumi CLI 3\.256\.0 /);
    const cloudflare = engine.choice.plugins.find((p) => p.name === "cloudflare");
    expect(cloudflare?.version).toBe("6.20.0");
    expect(said[0]).toContain(`cloudflare 6.20.0 ${cloudflare?.source} (${cloudflare?.path})`);
    if (cloudflare?.source === "built here") expect(cloudflare.path).toBe(engine.toolchain.cloudflarePlugin);
    // The docker plugin is built here too (toolchain/build-docker.ts), so the choice names it.
    expect(said[0]).toMatch(/docker 5\.2\.0 (built here|official) \(/);
  });

  it("up reaches the API given by CLOUDFLARE_BASE_URL with the token from CLOUDFLARE_API_TOKEN", async () => {
    const result = await engine.stack.up(quiet);
    expect(result.summary.result).toBe("succeeded");
    const writes = api.requests.filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        `PUT /client/v4/accounts/${ACCOUNT_ID}/devices/settings`,
        `PUT /client/v4/accounts/${ACCOUNT_ID}/access/organizations`,
        `POST /client/v4/accounts/${ACCOUNT_ID}/logpush/jobs`,
      ]),
    );
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${FAKE_API_TOKEN}`]));

    const [jobId] = [...api.logpushJobs.keys()];
    expect(result.outputs).toMatchObject({
      settingsId: { value: ACCOUNT_ID },
      organizationId: { value: ACCOUNT_ID },
      jobId: { value: String(jobId) },
    });
  });

  it("preview after up plans no change", async () => {
    const result = await engine.stack.preview({ ...quiet, refresh: true });
    expect(Object.keys(result.changeSummary)).toEqual(["same"]);
  });

  it("destroy deletes the job and resets the device settings", async () => {
    await engine.stack.destroy(quiet);
    expect(api.logpushJobs.size).toBe(0);
    expect(api.singletons.has(`/client/v4/accounts/${ACCOUNT_ID}/devices/settings`)).toBe(false);
  });
});
