// The real engine end to end: the built CLI, the Cloudflare plugin built here (or the official
// one when installed) and the dynamic-provider host, driven through src/engine's openStack.
// Cloudflare is a stub HTTP server in this process; what the plugin sent is asserted from its log.
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStack, summarizeChanges, type EngineStack } from "../../src/engine";
import { RemoteRecord } from "./helpers/remote-record";
import { ACCOUNT_ID, FAKE_API_TOKEN, makeProject, type TestProject } from "../../bench/harness/project";
import { startStubApi, type StubApi } from "./helpers/stub-api";

const RECORD_TOKEN = "record-token-that-must-never-be-plaintext-7f3a";

/** What the program builds; tests change it between operations. */
const desired = { value: "first", emails: ["ada@example.com", "grace@example.com"] };

function makeProgram(api: StubApi) {
  return async () => {
    const config = new pulumi.Config();
    const record = new RemoteRecord("record", {
      endpoint: api.recordsUrl,
      value: desired.value,
      token: config.requireSecret("recordToken"),
    });
    const list = new cloudflare.ZeroTrustList("people", {
      accountId: ACCOUNT_ID,
      name: "zt-engine-test people",
      type: "EMAIL",
      items: desired.emails.map((value) => ({ value })),
    });
    return { recordId: record.id, listId: list.id, listCount: list.listCount };
  };
}

describe("engine lifecycle (real CLI and plugins)", () => {
  let api: StubApi;
  let project: TestProject;
  let engine: EngineStack;
  const events: EngineEvent[] = [];
  const opts = () => ({
    onEvent: (e: EngineEvent) => events.push(e),
    onOutput: (s: string) => process.stdout.write(s),
  });
  const mutating = () => api.requests.filter((r) => r.method !== "GET");

  beforeAll(async () => {
    api = await startStubApi();
    project = makeProject("zt-engine-test");
    engine = await openStack({
      projectDir: project.dir,
      stackName: "test",
      program: makeProgram(api),
      // The default provider is configured from stack config: base_url and a secret token.
      config: {
        "cloudflare:baseUrl": { value: api.cloudflareBaseUrl },
        "cloudflare:apiToken": { value: FAKE_API_TOKEN, secret: true },
        "zt-engine-test:recordToken": { value: RECORD_TOKEN, secret: true },
      },
      env: { PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase" },
    });
  });

  afterAll(async () => {
    await api?.close();
    project?.remove();
  });

  it("up creates the list through the Cloudflare plugin and the record through the dynamic provider", async () => {
    const result = await engine.stack.up(opts());
    expect(result.summary.result).toBe("succeeded");

    const [post] = mutating().filter((r) => r.path.endsWith("/gateway/lists"));
    expect(post).toMatchObject({
      method: "POST",
      path: `/client/v4/accounts/${ACCOUNT_ID}/gateway/lists`,
      body: {
        name: "zt-engine-test people",
        type: "EMAIL",
        items: [{ value: "ada@example.com" }, { value: "grace@example.com" }],
      },
    });
    const [list] = [...api.lists.values()];
    expect(result.outputs.listId.value).toBe(list.id);
    expect(result.outputs.listCount.value).toBe(2);
    const [record] = [...api.records.values()];
    expect(record).toMatchObject({ value: "first", token: RECORD_TOKEN });
    expect(result.outputs.recordId.value).toBe(record.id);
  });

  it("preview right after up plans no change and calls no write endpoint", async () => {
    const before = mutating().length;
    events.length = 0;
    const result = await engine.stack.preview(opts());
    expect(summarizeChanges(events)).toEqual([]);
    expect(Object.keys(result.changeSummary)).toEqual(["same"]);
    expect(mutating().length).toBe(before);
  });

  it("up applies an update: the whole list in one PUT, the record in place", async () => {
    desired.value = "second";
    desired.emails = [...desired.emails, "linus@example.com"];
    const before = mutating().length;
    const result = await engine.stack.up(opts());
    expect(result.summary.resourceChanges).toMatchObject({ update: 2 });
    const writes = mutating().slice(before);
    const listId = [...api.lists.keys()][0];
    expect(writes.find((r) => r.path.endsWith(`/gateway/lists/${listId}`))).toMatchObject({
      method: "PUT",
      body: { items: expect.arrayContaining([{ value: "linus@example.com" }]) },
    });
    expect(writes.some((r) => r.method === "PUT" && r.path.startsWith("/records/"))).toBe(true);
    expect(result.outputs.listCount.value).toBe(3);
  });

  it("refresh finds edits made behind the engine's back, and the next up puts them right", async () => {
    const [list] = [...api.lists.values()];
    list.items = list.items.filter((i) => i.value !== "ada@example.com");
    const [record] = [...api.records.values()];
    record.value = "edited by hand";

    const refreshed = await engine.stack.refresh(opts());
    // The real plugin read the list back (GET), the dynamic provider read the record: both drifted.
    expect(refreshed.summary.resourceChanges).toMatchObject({ update: 2 });
    const resources = (await engine.stack.exportStack()).deployment.resources as Array<{
      type: string;
      outputs: Record<string, unknown>;
    }>;
    const stored = (type: string) => resources.find((r) => r.type === type)?.outputs;
    expect(stored("cloudflare:index/zeroTrustList:ZeroTrustList")?.items).toEqual([
      { value: "grace@example.com" },
      { value: "linus@example.com" },
    ]);
    expect(stored("pulumi-nodejs:dynamic:Resource")?.value).toBe("edited by hand");

    events.length = 0;
    await engine.stack.preview(opts());
    const planned = summarizeChanges(events).map((c) => [c.type, c.op]);
    expect(planned).toEqual(
      expect.arrayContaining([
        ["cloudflare:index/zeroTrustList:ZeroTrustList", "update"],
        ["pulumi-nodejs:dynamic:Resource", "update"],
      ]),
    );

    await engine.stack.up(opts());
    expect(list.items.map((i) => i.value).sort()).toEqual([
      "ada@example.com",
      "grace@example.com",
      "linus@example.com",
    ]);
    expect(api.records.get(record.id as string)?.value).toBe("second");
  });

  it("keeps secrets out of the state and the stack config in plaintext", async () => {
    const onDisk = project.allText(); // state, its backups and history, Pulumi.test.yaml
    for (const secret of [RECORD_TOKEN, FAKE_API_TOKEN]) expect(onDisk).not.toContain(secret);
    // ... yet they are there, encrypted by the passphrase provider.
    expect(onDisk).toMatch(/secure: v1:/); // stack config
    expect(onDisk).toMatch(/"ciphertext":\s*"v1:/); // state
    // exportStack decrypts (--show-secrets); it shows the values are marked secret in state.
    const record = (await engine.stack.exportStack()).deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic:Resource",
    );
    expect(record.outputs.token).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    });
  });

  it("destroy deletes the list and runs the dynamic resource's delete", async () => {
    const listId = [...api.lists.keys()][0];
    const recordId = [...api.records.keys()][0];
    const result = await engine.stack.destroy(opts());
    expect(result.summary.result).toBe("succeeded");
    const writes = mutating().map((r) => `${r.method} ${r.path}`);
    expect(writes).toContain(`DELETE /client/v4/accounts/${ACCOUNT_ID}/gateway/lists/${listId}`);
    expect(writes).toContain(`DELETE /records/${recordId}`);
    expect(api.lists.size).toBe(0);
    expect(api.records.size).toBe(0);
  });
});
