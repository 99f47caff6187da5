// Cloudflare answering 429 (with Retry-After) or 5xx during `up`: transient faults are retried and the
// run succeeds; persistent ones fail the run cleanly, naming the resource and the status; a rerun
// converges with exactly one of every object (no duplicate lists, applications or tunnels).
import { readFileSync } from "node:fs";
import { CommandError } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../emulator";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  admin,
  capture,
  describeSteps,
  EXAMPLE_OBJECT_COUNTS,
  ledgerChange,
  objectCounts,
} from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");
const ONE_OF_EACH = EXAMPLE_OBJECT_COUNTS;

/** Log entries of one endpoint, e.g. ("POST", /\/access\/apps$/). */
const calls = (log: RequestLogEntry[], method: string, path: RegExp) =>
  log.filter((r) => r.method === method && path.test(r.path));
const statuses = (entries: RequestLogEntry[]) => entries.map((e) => e.status);

async function expectSteady(product: ProductStack): Promise<void> {
  const run = capture();
  await product.stack.preview({ ...run.opts, refresh: true });
  expect(describeSteps(run.steps().filter((s) => s.op !== "same")), "changes after convergence").toEqual([]);
}

describe("transient faults during up", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-faults" });
  });

  afterAll(async () => {
    await product?.close();
  });

  it("429s with Retry-After and single 500/502/503s are retried by the provider; up succeeds with one of each object", async () => {
    const emu = product.emulator;
    emu.faults.add({ method: "POST", path: "/accounts/*/access/apps", status: 429, retryAfter: 1, count: 2 });
    emu.faults.add({ method: "POST", path: "/accounts/*/devices/posture", status: 500, count: 1 });
    emu.faults.add({
      method: "PUT",
      path: "/accounts/*/devices/policy/fallback_domains",
      status: 502,
      count: 1,
    });
    emu.faults.add({ method: "GET", path: "/accounts/*/cfd_tunnel/*/token", status: 503, count: 1 });
    emu.faults.add({ method: "POST", path: "/accounts/*/cfd_tunnel", status: 503, count: 1 });

    const up = await product.stack.up(capture().opts);
    expect(up.summary.result).toBe("succeeded");
    expect(emu.faults.list(), "every fault was hit").toEqual([]);

    const log = emu.requests();
    const apps = calls(log, "POST", /\/access\/apps$/);
    expect(statuses(apps)).toEqual([429, 429, 201]);
    // Retry-After: 1 is honoured: each retry waits at least about a second.
    for (let i = 1; i < apps.length; i++)
      expect(Date.parse(apps[i].at) - Date.parse(apps[i - 1].at)).toBeGreaterThanOrEqual(900);
    expect(statuses(calls(log, "POST", /\/devices\/posture$/))).toEqual([500, 200, 200, 200]);
    expect(statuses(calls(log, "PUT", /\/fallback_domains$/))).toEqual([502, 200]);
    expect(statuses(calls(log, "GET", /\/token$/))).toEqual([503, 200]);
    expect(statuses(calls(log, "POST", /\/cfd_tunnel$/))).toEqual([503, 200]);
    expect(objectCounts(emu)).toEqual(ONE_OF_EACH);
    await expectSteady(product);
  });

  it("revocation during up retries 429 and 5xx too (the SDK in the revocation ledger)", async () => {
    const emu = product.emulator;
    await admin(emu, "POST", "registrations", {
      user: { email: "bob@example.org" },
      device: { serial_number: "5CG1234XYZ" },
    });
    emu.faults.add({
      method: "POST",
      path: "/accounts/*/access/organizations/revoke_user",
      status: 429,
      retryAfter: 1,
      count: 2,
    });
    emu.faults.add({ method: "GET", path: "/accounts/*/devices/registrations", status: 503, count: 1 });
    emu.clearRequests();
    product.writeUsers(BASE.replace(/ {2}- email: bob@example.org[\s\S]*?label: build workstation\n/, ""));
    const run = capture();
    const up = await product.stack.up(run.opts);
    // Bob leaves: the email list and two serial lists, and the ledger whose update revokes him.
    expect(up.summary.resourceChanges).toMatchObject({ update: 4 });
    expect(ledgerChange(run.events).revokes).toEqual({
      users: ["bob@example.org"],
      devices: ["5CG1234XYZ", "PF2ABCDE"],
    });
    expect(statuses(calls(emu.requests(), "POST", /\/revoke_user$/))).toEqual([429, 429, 200]);
    expect((await admin<Array<{ email: string }>>(emu, "GET", "revocations")).map((r) => r.email)).toEqual([
      "bob@example.org",
    ]);
    expect(
      (await admin<Array<{ revoked_at: string | null }>>(emu, "GET", "registrations")).map(
        (r) => !!r.revoked_at,
      ),
    ).toEqual([true]);
  });
});

describe("persistent faults during up", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-faults-hard" });
  });

  afterAll(async () => {
    await product?.close();
  });

  it("an API that keeps failing ends up with a clean error naming the resource and the status", async () => {
    const emu = product.emulator;
    emu.faults.add({ method: "POST", path: "/accounts/*/access/apps", status: 503, count: Infinity });
    emu.faults.add({
      method: "POST",
      path: "/accounts/*/teamnet/routes",
      status: 429,
      retryAfter: 1,
      count: Infinity,
    });
    const run = capture();
    const started = Date.now();
    const err = await product.stack.up(run.opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expect(Date.now() - started, "gives up in bounded time").toBeLessThan(120_000);
    const text = run.text();
    expect(text).toMatch(/access-app-ocs\.example\.org \*\*creating failed\*\*.*503/);
    expect(text).toMatch(/tunnel-private-route \*\*creating failed\*\*.*429/);
    expect(text).not.toMatch(/panic|goroutine|SIGSEGV/);
    // A bounded number of attempts, not a retry storm.
    expect(calls(emu.requests(), "POST", /\/access\/apps$/).length).toBeLessThanOrEqual(5);
    expect(calls(emu.requests(), "POST", /\/teamnet\/routes$/).length).toBeLessThanOrEqual(5);
    expect(objectCounts(emu)).toMatchObject({ accessApps: 0, routes: 0 });
  });

  it("once the API recovers, a rerun creates only what is missing: one of each object", async () => {
    product.emulator.faults.clear();
    // Which other resources the failed run reached before the engine stopped depends on scheduling (a
    // slower or busier machine reaches fewer): what must hold is that the rerun creates exactly what is
    // not in the state yet, the two failed objects among them, and nothing twice.
    const inState = new Set(
      ((await product.stack.exportStack()).deployment.resources ?? []).map(
        (r: { urn: string }) => r.urn.split("::").pop() ?? "",
      ),
    );
    const preview = capture();
    await product.stack.preview(preview.opts);
    const planned = preview
      .steps()
      .filter((s) => s.op === "create")
      .map((s) => s.name)
      .sort();
    expect(planned).toEqual(expect.arrayContaining(["access-app-ocs.example.org", "tunnel-private-route"]));
    expect(
      planned.filter((name) => inState.has(name)),
      "nothing in the state is created again",
    ).toEqual([]);
    const run = capture();
    const up = await product.stack.up(run.opts);
    expect(up.summary.result).toBe("succeeded");
    const created = run
      .steps()
      .filter((s) => s.op === "create")
      .map((s) => s.name)
      .sort();
    expect(created).toEqual(planned);
    expect(objectCounts(product.emulator)).toEqual(ONE_OF_EACH);
    await expectSteady(product);
  });
});
