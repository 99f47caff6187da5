// Every resource type the stack declares, through the real engine (the built CLI, the Cloudflare plugin
// bridged from the Terraform provider, the dynamic-provider host) against the emulator: create, read
// (refresh), update, a provider-forced replacement, delete, drift made behind the stack's back, and no
// change after each `up`. What the plugin sent is asserted from the emulator's request log, so these
// tests pin the provider's real calls (emulator/PROVIDER-NOTES.md lists them per resource).
//
// Two stacks: one driven by inputs (stack config, users.yaml and, where the product has no input for
// a property, a resource transform), one edited behind its back through the admin API.
// A missing toolchain fails in beforeAll with the build command (`npm run toolchain`); nothing skips.
import { readFileSync } from "node:fs";
import type { EngineEvent, OpType, PreviewResult, UpResult } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../emulator";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { UNMANAGED_DEVICE_SETTINGS } from "../../components/device-profile";
import { ledgerChange } from "../../bench/harness/product-run";

const USERS = readFileSync("users.yaml", "utf8");
const LOGPUSH = { destination: "r2", bucket: "zt-logs" };
const LOGPUSH_SECRET = "AKIDEXAMPLE0123:r2-secret/access+key";

const KIND: Record<string, string> = {
  "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared": "tunnel",
  "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig": "tunnel config",
  "cloudflare:index/zeroTrustTunnelCloudflaredRoute:ZeroTrustTunnelCloudflaredRoute": "route",
  "cloudflare:index/dnsRecord:DnsRecord": "dns record",
  "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication": "access app",
  "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy": "policy",
  "cloudflare:index/zeroTrustAccessGroup:ZeroTrustAccessGroup": "group",
  "cloudflare:index/zeroTrustList:ZeroTrustList": "list",
  "cloudflare:index/zeroTrustDevicePostureRule:ZeroTrustDevicePostureRule": "posture rule",
  "cloudflare:index/zeroTrustOrganization:ZeroTrustOrganization": "organization",
  "cloudflare:index/zeroTrustDeviceSettings:ZeroTrustDeviceSettings": "device settings",
  "cloudflare:index/zeroTrustDeviceDefaultProfile:ZeroTrustDeviceDefaultProfile": "default profile",
  "cloudflare:index/zeroTrustDeviceDefaultProfileLocalDomainFallback:ZeroTrustDeviceDefaultProfileLocalDomainFallback":
    "local domain fallback",
  "cloudflare:index/logpushJob:LogpushJob": "logpush job",
  "pulumi-nodejs:dynamic:Resource": "revocation",
};
/** Dynamic resources are the revocation ledger and the lists' entries (components/list-members.ts). */
const kindOf = (type: string, name: string) =>
  type === "pulumi-nodejs:dynamic:Resource" && name.startsWith("members-") ? "list entries" : KIND[type];
const ALL_KINDS = [...new Set([...Object.values(KIND), "list entries"])].sort();
const TYPE_OF = Object.fromEntries(Object.entries(KIND).map(([t, k]) => [k, t]));

/** Outputs a refresh may legitimately move right after an `up`: computed values Cloudflare derives
 * from other resources (the policy's app count once the app attaches, the default profile's copy of
 * the Local Domain Fallback list when the profile was written first). */
const COMPUTED_ON_REFRESH: Record<string, string[]> = {
  policy: ["appCount"],
  // The entries resource writes a list's items, so Cloudflare's count and update time of the list move.
  list: ["listCount", "updatedAt"],
  // Cloudflare answers the whole settings object; the fields the stack leaves to the account are recorded
  // by the first refresh and carried, never planned (components/device-profile.ts).
  "device settings": [...UNMANAGED_DEVICE_SETTINGS],
  "default profile": ["fallbackDomains"],
};

interface Step {
  kind: string;
  name: string;
  op: OpType;
  diffs: string[];
}

interface Run {
  steps: Step[];
  /** Non-GET Cloudflare calls as `METHOD path` with ids replaced by {id}, sorted. */
  writes: string[];
  /** GET calls, normalised the same way, sorted. */
  reads: string[];
  /** kind/name -> output keys a refresh changed. */
  refreshed: Record<string, string[]>;
  /** The engine's events, as they came. */
  events: EngineEvent[];
}

/** `/client/v4/accounts/<a>/access/apps/<uuid>` -> `accounts/{a}/access/apps/{id}` */
function normalise(e: RequestLogEntry, accountId: string, zoneId: string): string {
  const p = e.path
    .replace(/^\/client\/v4\//, "")
    .replace(accountId, "{a}")
    .replace(zoneId, "{z}")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}")
    .replace(/\/[0-9a-f]{32}(?=\/|$)/g, "/{id}")
    .replace(/\/jobs\/\d+/, "/jobs/{id}");
  return `${e.method} ${p}`;
}

function keysChanged(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => !k.startsWith("__") && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .sort();
}

class Harness {
  constructor(readonly ps: ProductStack) {}

  get emu() {
    return this.ps.emulator;
  }

  private collect(events: EngineEvent[]): Run {
    const steps: Step[] = [];
    const refreshed: Record<string, string[]> = {};
    for (const e of events) {
      const m = e.resourcePreEvent?.metadata;
      if (m && KIND[m.type]) {
        const name = m.urn.split("::").pop()!;
        steps.push({ kind: kindOf(m.type, name), name, op: m.op, diffs: m.diffs ?? [] });
      }
      const o = e.resOutputsEvent?.metadata;
      if (o && o.op === "refresh" && KIND[o.type]) {
        const keys = keysChanged(o.old?.outputs, o.new?.outputs);
        const name = o.urn.split("::").pop()!;
        if (keys.length) refreshed[`${kindOf(o.type, name)}/${name}`] = keys;
      }
    }
    const log = this.emu.requests().map((e) => normalise(e, this.emu.accountId, this.emu.zoneId));
    return {
      steps,
      refreshed,
      events,
      writes: log.filter((l) => !l.startsWith("GET ")).sort(),
      reads: log.filter((l) => l.startsWith("GET ")).sort(),
    };
  }

  async up(opts: { refresh?: boolean; replace?: string[] } = {}): Promise<Run & { result: UpResult }> {
    const events: EngineEvent[] = [];
    this.emu.clearRequests();
    const result = await this.ps.stack.up({ ...opts, onEvent: (e) => events.push(e) });
    return { ...this.collect(events), result };
  }

  /** An `up` expected to fail; returns the engine's error text. */
  async upFails(): Promise<string> {
    this.emu.clearRequests();
    try {
      await this.ps.stack.up({});
    } catch (e) {
      return String(e);
    }
    throw new Error("up succeeded, expected a failure");
  }

  async previewRefresh(): Promise<Run & { result: PreviewResult }> {
    const events: EngineEvent[] = [];
    this.emu.clearRequests();
    const result = await this.ps.stack.preview({ refresh: true, onEvent: (e) => events.push(e) });
    return { ...this.collect(events), result };
  }

  async destroy(): Promise<Run> {
    const events: EngineEvent[] = [];
    this.emu.clearRequests();
    await this.ps.stack.destroy({ onEvent: (e) => events.push(e) });
    return this.collect(events);
  }

  async setConfig(key: string, value: unknown): Promise<void> {
    await this.ps.stack.setConfig(key, { value: typeof value === "string" ? value : JSON.stringify(value) });
  }

  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emu.url}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300)
      throw new Error(`${method} /__admin${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }

  async urnOf(kind: string, name: string): Promise<string> {
    const state = await this.ps.stack.exportStack();
    const r = (state.deployment.resources as Array<{ urn: string; type: string }>).find(
      (x) => x.type === TYPE_OF[kind] && x.urn.endsWith(`::${name}`),
    );
    if (!r) throw new Error(`no ${kind} ${name} in the stack`);
    return r.urn;
  }
}

const changed = (r: Run) => r.steps.filter((s) => !["same", "read", "refresh"].includes(s.op));
/** kind -> ops seen (sorted, deduplicated), for changed steps only. */
function opsByKind(r: Run): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const s of changed(r)) (out[s.kind] ??= new Set()).add(s.op);
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, [...out[k]].sort()]),
  );
}
function diffsOf(r: Run, kind: string, name?: string): string[] {
  return [
    ...new Set(
      changed(r)
        .filter((s) => s.kind === kind && (!name || s.name === name))
        .flatMap((s) => s.diffs),
    ),
  ].sort();
}
const count = (list: string[], item: string) => list.filter((x) => x === item).length;

/** After every `up`: a refresh finds nothing to change, and reads without writing. */
async function expectSteady(h: Harness): Promise<Run> {
  const p = await h.previewRefresh();
  expect(changed(p).map((s) => `${s.op} ${s.kind} ${s.name} [${s.diffs.join(",")}]`)).toEqual([]);
  expect(Object.keys(p.result.changeSummary)).toEqual(["same"]);
  expect(p.writes).toEqual([]);
  for (const [key, props] of Object.entries(p.refreshed)) {
    const allowed = COMPUTED_ON_REFRESH[key.split("/")[0]] ?? [];
    expect(
      props.filter((x) => !allowed.includes(x)),
      `outputs a refresh of ${key} changed`,
    ).toEqual([]);
  }
  return p;
}

interface AdminDevice {
  id: string;
  serial_number: string;
  active_registrations: number;
}

describe("each resource type, driven by inputs: create, read, update, replace, delete", () => {
  let h: Harness;
  const mode = { udpProxyOff: false, tweak: false, dnsTypeA: false, deleteBeforeReplace: false };
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    const ps = await openProductStack({
      usersYaml: USERS,
      name: "zt-e2e-resources",
      config: { "zt:logpush": LOGPUSH },
      secrets: { "zt:logpushSecret": LOGPUSH_SECRET },
      // Inputs the product has no setting for (it never changes them), switched per test.
      transform: ({ type, props, opts }) => {
        if (type === TYPE_OF["device settings"] && mode.udpProxyOff)
          return { props: { ...props, gatewayUdpProxyEnabled: false }, opts };
        if (type === TYPE_OF["posture rule"] && mode.tweak)
          return { props: { ...props, description: "Device serial is registered (edited)" }, opts };
        if (type === TYPE_OF["dns record"]) {
          const next = { ...props };
          if (mode.tweak) next.comment = "Routes to the tunnel (edited)";
          if (mode.dnsTypeA) Object.assign(next, { type: "A", content: "192.0.2.10" });
          return {
            props: next,
            opts: mode.deleteBeforeReplace ? { ...opts, deleteBeforeReplace: true } : opts,
          };
        }
        return undefined;
      },
    });
    h = new Harness(ps);
    // Every device of users.yaml enrolled in WARP, so removal has registrations to revoke.
    await h.admin("POST", "/devices", [
      { serial: "C02XL0GHJGH5", os: "macos", email: "alice@example.org" },
      { serial: "5CG1234XYZ", os: "windows", email: "bob@example.org" },
      { serial: "PF2ABCDE", os: "linux", email: "bob@example.org" },
      { serial: "FVFZK1ABQ6L4", os: "macos", email: "carol@example.org" },
      { serial: "R90X2Y3Z", email: "dan@example.org" },
    ]);
  });

  afterAll(async () => {
    await h?.ps.close();
    console.log(`emulator-resources (inputs): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("create: up creates every resource type with one call each; a refresh then reads each and changes nothing", async () => {
    const up = await h.up();
    expect(Object.keys(opsByKind(up)).sort()).toEqual(ALL_KINDS);
    expect(Object.values(opsByKind(up)).every((ops) => ops.join() === "create")).toBe(true);
    expect(up.writes).toEqual(
      [
        "PATCH accounts/{a}/devices/policy",
        ...Array(4).fill("POST accounts/{a}/gateway/lists"),
        // Each list's entries: one PATCH append (components/list-entries.ts), after reading what it holds.
        ...Array(4).fill("PATCH accounts/{a}/gateway/lists/{id}"),
        ...Array(4).fill("POST accounts/{a}/logpush/jobs"),
        ...Array(3).fill("POST accounts/{a}/devices/posture"),
        "POST accounts/{a}/access/apps",
        "POST accounts/{a}/access/groups",
        "POST accounts/{a}/access/policies",
        "POST accounts/{a}/cfd_tunnel",
        "POST accounts/{a}/teamnet/routes",
        "POST zones/{z}/dns_records",
        "PUT accounts/{a}/access/organizations",
        "PUT accounts/{a}/cfd_tunnel/{id}/configurations",
        "PUT accounts/{a}/devices/policy/fallback_domains",
        "PUT accounts/{a}/devices/settings",
      ].sort(),
    );
    // The tunnel token is a data source: read once the tunnel exists. The revocation ledger calls nothing.
    expect(up.reads).toEqual([
      "GET accounts/{a}/cfd_tunnel/{id}/token",
      ...Array(4).fill("GET accounts/{a}/gateway/lists/{id}/items"),
    ]);

    const s = h.emu.state.data;
    expect(s.tunnels.items[0]).toMatchObject({ name: "ocs-tunnel", config_src: "cloudflare" });
    expect(s.devices.settings).toEqual({ gateway_proxy_enabled: true, gateway_udp_proxy_enabled: true });
    expect(s.devices.profile.service_mode_v2).toEqual({ mode: "warp" });
    expect(s.devices.fallbackDomains[0]).toEqual({
      suffix: "ocs.internal",
      description: expect.any(String),
      dns_server: ["172.18.0.53"],
    });
    expect(s.logpush.jobs.map((j) => [j.dataset, j.enabled]).sort()).toEqual(
      ["access_requests", "gateway_dns", "gateway_http", "gateway_network"].map((d) => [d, true]).sort(),
    );

    // Read: the refresh GETs every resource once (the three singletons at their fixed paths).
    const p = await expectSteady(h);
    expect(p.reads).toEqual(
      [
        "GET accounts/{a}/access/apps/{id}",
        "GET accounts/{a}/access/groups/{id}",
        "GET accounts/{a}/access/organizations",
        "GET accounts/{a}/access/policies/{id}",
        "GET accounts/{a}/cfd_tunnel/{id}",
        "GET accounts/{a}/cfd_tunnel/{id}/configurations",
        "GET accounts/{a}/cfd_tunnel/{id}/token",
        "GET accounts/{a}/devices/policy",
        "GET accounts/{a}/devices/policy/fallback_domains",
        "GET accounts/{a}/devices/settings",
        "GET accounts/{a}/teamnet/routes/{id}",
        "GET zones/{z}/dns_records/{id}",
        ...Array(4).fill("GET accounts/{a}/gateway/lists/{id}"),
        // The entries are read from the paginated /items (Cloudflare's GET of a list leaves them out).
        ...Array(4).fill("GET accounts/{a}/gateway/lists/{id}/items"),
        ...Array(4).fill("GET accounts/{a}/logpush/jobs/{id}"),
        ...Array(3).fill("GET accounts/{a}/devices/posture/{id}"),
      ].sort(),
    );
  });

  it("update: changed inputs update each resource type in place, and the emulator holds the new values", async () => {
    await h.setConfig("zt:tunnelName", "ocs-tunnel-2");
    await h.setConfig("zt:apps", [
      { name: "OCS", hostname: "ocs.example.org", service: "http://ocs-web:8080" },
      { name: "Wiki", hostname: "wiki.example.org", service: "http://wiki:3000" },
    ]);
    await h.setConfig("zt:privateNetwork", {
      cidr: "172.19.0.0/16",
      internalDomain: "app.internal",
      dnsmasqAddress: "172.19.0.53",
      hosts: { "app.internal": "172.19.0.7" },
    });
    await h.setConfig("zt:teamName", "example-team");
    await h.setConfig("zt:logpush", { ...LOGPUSH, path: "zt-audit" });
    mode.udpProxyOff = true;
    mode.tweak = true;
    h.ps.writeUsers(
      USERS.replace("app: 8h", "app: 12h").replace("warp: 24h", "warp: 48h") +
        "\n  - email: erin@example.org\n    name: Erin\n    devices:\n      - serial: WIN0ERIN01\n        os: windows\n",
    );
    const up = await h.up();

    expect(opsByKind(up)).toEqual({
      "access app": ["create", "update"], // wiki is new, ocs changes name and session
      "default profile": ["update"],
      "device settings": ["update"],
      "dns record": ["create", "update"],
      "local domain fallback": ["update"],
      "logpush job": ["update"],
      "posture rule": ["update"],
      "tunnel config": ["update"],
      "list entries": ["update"], // erin joins the email list and the windows serials; the lists stay as they are
      organization: ["update"],
      policy: ["update"],
      revocation: ["update"], // the ledger gains erin and her device
      route: ["update"],
      tunnel: ["update"],
    });
    // The property each change was made through (computed values the provider re-reads come along).
    expect(diffsOf(up, "tunnel")).toContain("name");
    expect(diffsOf(up, "tunnel config")).toContain("config");
    expect(diffsOf(up, "route")).toContain("network");
    expect(diffsOf(up, "dns record", "tunnel-dns-ocs.example.org")).toContain("comment");
    expect(diffsOf(up, "access app", "access-app-ocs.example.org")).toEqual(
      expect.arrayContaining(["name", "sessionDuration"]),
    );
    expect(diffsOf(up, "policy")).toContain("sessionDuration");
    expect(diffsOf(up, "list entries")).toEqual(["values"]);
    expect(diffsOf(up, "posture rule")).toContain("description");
    expect(diffsOf(up, "organization")).toEqual(
      expect.arrayContaining(["authDomain", "name", "warpAuthSessionDuration"]),
    );
    expect(diffsOf(up, "device settings")).toEqual(["gatewayUdpProxyEnabled"]);
    expect(diffsOf(up, "default profile")).toContain("excludes");
    expect(diffsOf(up, "local domain fallback")).toEqual(["domains"]);
    expect(diffsOf(up, "logpush job")).toContain("destinationConf");
    // Updates are PATCH-diff (tunnel, route, default profile), PATCH append/remove (list entries), PUT-full (the
    // rest); never a POST for an update.
    expect(up.writes.filter((w) => w.startsWith("PATCH "))).toEqual([
      "PATCH accounts/{a}/cfd_tunnel/{id}",
      "PATCH accounts/{a}/devices/policy",
      "PATCH accounts/{a}/gateway/lists/{id}",
      "PATCH accounts/{a}/gateway/lists/{id}",
      "PATCH accounts/{a}/teamnet/routes/{id}",
    ]);
    expect(count(up.writes, "PUT accounts/{a}/logpush/jobs/{id}")).toBe(4);
    expect(count(up.writes, "PUT accounts/{a}/devices/posture/{id}")).toBe(3);
    expect(count(up.writes, "PATCH accounts/{a}/gateway/lists/{id}")).toBe(2); // the email list and the windows serials
    expect(count(up.writes, "PUT accounts/{a}/gateway/lists/{id}")).toBe(0);
    // Adding someone to the ledger revokes nobody: no call for it.
    expect(up.writes.filter((w) => w.includes("revoke"))).toEqual([]);
    const ledger = ledgerChange(up.events);
    expect(ledger.revokes).toEqual({ users: [], devices: [] });
    expect(ledger.after).toEqual({ ...ledger.before, "erin@example.org": ["WIN0ERIN01"] });

    const s = h.emu.state.data;
    expect(s.tunnels.items[0].name).toBe("ocs-tunnel-2");
    expect(
      s.tunnels.configs[s.tunnels.items[0].id].config.ingress.map((r: { service: string }) => r.service),
    ).toEqual(["http://ocs-web:8080", "http://wiki:3000", "http_status:404"]);
    expect(s.tunnels.routes[0].network).toBe("172.19.0.0/16");
    expect(s.access.apps.find((a) => a.domain === "ocs.example.org")).toMatchObject({
      name: "OCS",
      session_duration: "12h",
    });
    expect(s.access.policies[0].session_duration).toBe("12h");
    expect(s.lists.find((l) => l.type === "EMAIL")!.items.map((i: { value: string }) => i.value)).toContain(
      "erin@example.org",
    );
    expect(s.access.organization).toMatchObject({
      name: "example-team",
      auth_domain: "example-team.cloudflareaccess.com",
      warp_auth_session_duration: "48h",
    });
    expect(s.devices.settings).toEqual({ gateway_proxy_enabled: true, gateway_udp_proxy_enabled: false });
    expect(s.devices.profile.exclude.map((e: { address: string }) => e.address)).toContain("172.18.0.0/16");
    expect(s.devices.fallbackDomains[0]).toMatchObject({
      suffix: "app.internal",
      dns_server: ["172.19.0.53"],
    });
    expect(s.logpush.jobs.every((j) => String(j.destination_conf).startsWith("r2://zt-logs/zt-audit/"))).toBe(
      true,
    );

    await expectSteady(h);
  });

  it("replace: a replaced tunnel forces a new tunnel config (tunnel_id); a DNS record type change forces a new record", async () => {
    // The tunnel is replaced with --replace (its only provider-forced trigger, config_src, is fixed by the
    // product); tunnel names are unique per account, so the replacement comes with a new name.
    await h.setConfig("zt:tunnelName", "ocs-tunnel-3");
    const oldTunnel = h.emu.state.data.tunnels.items.find((t) => !t.deleted_at)!.id;
    const up = await h.up({ replace: [await h.urnOf("tunnel", "tunnel")] });
    expect(opsByKind(up)).toEqual({
      tunnel: ["create-replacement", "delete-replaced", "replace"],
      "tunnel config": ["create-replacement", "delete-replaced", "replace"], // tunnel_id RequiresReplace (provider)
      route: ["update"], // tunnel_id is updatable
      "dns record": ["update"], // content: <new id>.cfargotunnel.com
    });
    expect(diffsOf(up, "tunnel config")).toContain("tunnelId");
    const live = h.emu.state.data.tunnels.items.filter((t) => !t.deleted_at);
    expect(live.map((t) => t.name)).toEqual(["ocs-tunnel-3"]);
    expect(live[0].id).not.toBe(oldTunnel);
    expect(h.emu.state.data.tunnels.routes.find((r) => !r.deleted_at)!.tunnel_id).toBe(live[0].id);
    expect(h.emu.state.data.dnsRecords.every((r) => r.content === `${live[0].id}.cfargotunnel.com`)).toBe(
      true,
    );
    // The old tunnel is deleted; its config has no DELETE (the provider's Delete makes no call).
    expect(up.writes).toContain("DELETE accounts/{a}/cfd_tunnel/{id}");
    expect(up.writes.filter((w) => w.includes("configurations"))).toEqual([
      "PUT accounts/{a}/cfd_tunnel/{id}/configurations",
    ]);
    await expectSteady(h);

    // type RequiresReplace (provider). Create-before-delete puts an A record next to the CNAME, which
    // Cloudflare refuses (81053); the old records stay and the stack is unchanged.
    mode.dnsTypeA = true;
    const failure = await h.upFails();
    expect(failure).toContain("81053");
    expect(h.emu.state.data.dnsRecords.map((r) => r.type)).toEqual(["CNAME", "CNAME"]);
    mode.deleteBeforeReplace = true;
    const toA = await h.up();
    expect(opsByKind(toA)).toEqual({ "dns record": ["create-replacement", "delete-replaced", "replace"] });
    expect(diffsOf(toA, "dns record")).toEqual(expect.arrayContaining(["content", "type"]));
    expect(h.emu.state.data.dnsRecords.map((r) => [r.type, r.content])).toEqual([
      ["A", "192.0.2.10"],
      ["A", "192.0.2.10"],
    ]);
    await expectSteady(h);
    mode.dnsTypeA = false;
    const back = await h.up();
    expect(opsByKind(back)).toEqual({ "dns record": ["create-replacement", "delete-replaced", "replace"] });
    expect(h.emu.state.data.dnsRecords.map((r) => r.type)).toEqual(["CNAME", "CNAME"]);
    await expectSteady(h);
  });

  it("delete: removing users, an app and logpush deletes their resources and revokes the users' devices", async () => {
    mode.udpProxyOff = false;
    mode.tweak = false;
    mode.deleteBeforeReplace = false;
    await h.setConfig("zt:apps", [
      { name: "OCS", hostname: "ocs.example.org", service: "http://ocs-web:8080" },
    ]);
    await h.ps.stack.removeConfig("zt:logpush");
    // bob and dan go: bob's linux laptop and dan's any-OS laptop were the linux list's only serials.
    h.ps.writeUsers(
      USERS.replace(/ {2}- email: bob@example\.org[\s\S]*?(?= {2}- email: carol)/, "").replace(
        / {2}- email: dan@example\.org[\s\S]*$/,
        "",
      ) +
        "\n  - email: erin@example.org\n    name: Erin\n    devices:\n      - serial: WIN0ERIN01\n        os: windows\n",
    );
    const up = await h.up();
    const deleted = changed(up)
      .filter((s) => s.op === "delete")
      .map((s) => `${s.kind} ${s.name}`)
      .sort();
    expect(deleted).toEqual(
      [
        "access app access-app-wiki.example.org",
        "dns record tunnel-dns-wiki.example.org",
        "list posture-serials-linux-0",
        "list entries members-linux-0",
        "logpush job logpush-access_requests",
        "logpush job logpush-gateway_dns",
        "logpush job logpush-gateway_http",
        "logpush job logpush-gateway_network",
        "posture rule posture-linux-0",
      ].sort(),
    );
    // Revocation is the ledger's update: bob and dan leave it, with every device of theirs.
    expect(opsByKind(up).revocation).toEqual(["update"]);
    expect(ledgerChange(up.events).revokes).toEqual({
      users: ["bob@example.org", "dan@example.org"],
      devices: ["5CG1234XYZ", "PF2ABCDE", "R90X2Y3Z"],
    });
    // The group no longer requires the linux rule: an update, before the rule's delete.
    expect(diffsOf(up, "group")).toEqual(["includes"]);
    for (const w of [
      "DELETE accounts/{a}/access/apps/{id}",
      "DELETE zones/{z}/dns_records/{id}",
      "DELETE accounts/{a}/devices/posture/{id}",
      "DELETE accounts/{a}/gateway/lists/{id}",
      "POST accounts/{a}/access/organizations/revoke_user",
      "POST accounts/{a}/devices/registrations/revoke",
    ])
      expect(up.writes).toContain(w);
    expect(count(up.writes, "DELETE accounts/{a}/logpush/jobs/{id}")).toBe(4);
    // revokeDevice finds the device by serial among the physical devices.
    expect(up.reads).toContain("GET accounts/{a}/devices/physical-devices");

    const revocations = await h.admin<Array<{ email: string }>>("GET", "/revocations");
    expect(revocations.map((r) => r.email).sort()).toEqual(["bob@example.org", "dan@example.org"]);
    const devices = await h.admin<AdminDevice[]>("GET", "/devices");
    const active = Object.fromEntries(devices.map((d) => [d.serial_number, d.active_registrations]));
    expect(active).toEqual({ C02XL0GHJGH5: 1, "5CG1234XYZ": 0, PF2ABCDE: 0, FVFZK1ABQ6L4: 1, R90X2Y3Z: 0 });
    expect(h.emu.state.data.logpush.jobs).toEqual([]);
    await expectSteady(h);
  });

  it("destroy: every resource with an API object is deleted, everyone left in the ledger revoked; the singletons without a DELETE stay", async () => {
    const run = await h.destroy();
    expect(Object.values(opsByKind(run)).every((ops) => ops.join() === "delete")).toBe(true);
    expect(ledgerChange(run.events).revokes).toEqual({
      users: ["alice@example.org", "carol@example.org", "erin@example.org"],
      devices: ["C02XL0GHJGH5", "FVFZK1ABQ6L4", "WIN0ERIN01"],
    });
    expect(Object.keys(opsByKind(run)).sort()).toEqual(ALL_KINDS.filter((k) => k !== "logpush job"));
    const s = h.emu.state.data;
    expect({
      tunnels: s.tunnels.items.filter((t) => !t.deleted_at).length,
      routes: s.tunnels.routes.filter((r) => !r.deleted_at).length,
      dns: s.dnsRecords.length,
      apps: s.access.apps.length,
      policies: s.access.policies.length,
      groups: s.access.groups.length,
      lists: s.lists.length,
      posture: s.devices.posture.length,
    }).toEqual({ tunnels: 0, routes: 0, dns: 0, apps: 0, policies: 0, groups: 0, lists: 0, posture: 0 });
    // DELETE devices/settings resets to the account defaults.
    expect(run.writes).toContain("DELETE accounts/{a}/devices/settings");
    expect(s.devices.settings.gateway_proxy_enabled).toBe(false);
    // Organization, default profile and Local Domain Fallback: Delete makes no call; they stay as last set.
    expect(s.access.organization).toMatchObject({ name: "example-team" });
    expect(s.devices.fallbackDomains[0].suffix).toBe("app.internal");
    expect(run.writes.some((w) => /organizations$|devices\/policy/.test(w))).toBe(false);
    const devices = await h.admin<AdminDevice[]>("GET", "/devices");
    expect(devices.every((d) => d.active_registrations === 0)).toBe(true);
    expect(
      (await h.admin<Array<{ email: string }>>("GET", "/revocations")).map((r) => r.email).sort(),
    ).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
      "erin@example.org",
    ]);
  });
});

describe("each resource type, changed behind the stack's back: refresh reports it, up --refresh restores it", () => {
  let h: Harness;
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    const ps = await openProductStack({
      usersYaml: USERS,
      name: "zt-e2e-drift",
      config: { "zt:logpush": LOGPUSH },
      secrets: { "zt:logpushSecret": LOGPUSH_SECRET },
    });
    h = new Harness(ps);
    await h.up();
  });

  afterAll(async () => {
    await h?.ps.close();
    console.log(`emulator-resources (drift): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("an edit to every resource type is read back as an update of that property, and put back", async () => {
    const s = h.emu.state.data;
    const tunnel = s.tunnels.items[0];
    const emails = s.lists.find((l) => l.type === "EMAIL")!;
    const macos = s.devices.posture.find((p) => String(p.name).includes("macos"))!;
    const job = s.logpush.jobs.find((j) => j.dataset === "gateway_dns")!;
    const edits: Array<[string, string, string, unknown]> = [
      ["tunnel", "PATCH", `/resources/tunnels/${tunnel.id}`, { name: "renamed-by-hand" }],
      [
        "tunnel config",
        "PATCH",
        `/resources/tunnel_configs/${tunnel.id}`,
        {
          config: {
            ingress: [
              { hostname: "ocs.example.org", service: "http://elsewhere:80" },
              { service: "http_status:404" },
            ],
          },
        },
      ],
      ["route", "PATCH", `/resources/routes/${s.tunnels.routes[0].id}`, { comment: "edited by hand" }],
      ["dns record", "PATCH", `/resources/dns_records/${s.dnsRecords[0].id}`, { proxied: false }],
      ["access app", "PATCH", `/resources/access_apps/${s.access.apps[0].id}`, { session_duration: "720h" }],
      ["policy", "PATCH", `/resources/access_policies/${s.access.policies[0].id}`, { decision: "bypass" }],
      ["group", "PATCH", `/resources/access_groups/${s.access.groups[0].id}`, { name: "edited by hand" }],
      [
        "list entries",
        "PATCH",
        `/resources/lists/${emails.id}`,
        { items: [...emails.items, { value: "mallory@example.org", created_at: "2026-01-01T00:00:00Z" }] },
      ],
      ["posture rule", "PATCH", `/resources/posture_rules/${macos.id}`, { match: [{ platform: "android" }] }],
      ["organization", "PATCH", "/resources/organization", { warp_auth_session_duration: "720h" }],
      ["device settings", "PATCH", "/resources/device_settings", { gateway_udp_proxy_enabled: false }],
      [
        "default profile",
        "PATCH",
        "/resources/device_profile",
        {
          exclude: [
            ...s.devices.profile.exclude.filter((e: { address: string }) => !e.address.startsWith("172.")),
            { address: "172.16.0.0/12" },
          ],
        },
      ],
      [
        "local domain fallback",
        "PUT",
        "/resources/fallback_domains",
        s.devices.fallbackDomains.filter((d) => d.suffix !== "ocs.internal"),
      ],
      ["logpush job", "PATCH", `/resources/logpush_jobs/${job.id}`, { enabled: false }],
    ];
    for (const [, method, path, body] of edits) await h.admin(method, path, body);

    const p = await h.previewRefresh();
    expect(p.writes).toEqual([]);
    // The revocation ledger has no object in Cloudflare to drift: nothing to read back.
    expect(opsByKind(p)).toEqual(
      Object.fromEntries(
        edits.map(([kind]) => [kind, ["update"]]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      ),
    );
    const expected: Record<string, string> = {
      tunnel: "name",
      "tunnel config": "config",
      route: "comment",
      "dns record": "proxied",
      "access app": "sessionDuration",
      policy: "decision",
      group: "name",
      "list entries": "values",
      "posture rule": "matches",
      organization: "warpAuthSessionDuration",
      "device settings": "gatewayUdpProxyEnabled",
      "default profile": "excludes",
      "local domain fallback": "domains",
      "logpush job": "enabled",
    };
    for (const [kind, prop] of Object.entries(expected)) expect(diffsOf(p, kind), kind).toContain(prop);
    // The refresh saw each edit in the outputs, too.
    expect(p.refreshed[`tunnel/tunnel`]).toContain("name");
    expect(p.refreshed[`list entries/members-emails-0`]).toContain("values");

    const up = await h.up({ refresh: true });
    expect(opsByKind(up)).toEqual(opsByKind(p));
    const now = h.emu.state.data;
    expect(now.tunnels.items[0].name).toBe("ocs-tunnel");
    expect(now.tunnels.configs[tunnel.id].config.ingress[0].service).toBe("http://ocs-web:8000");
    expect(now.tunnels.routes[0].comment).toMatch(/managed by zt-gitops/);
    expect(now.dnsRecords[0].proxied).toBe(true);
    expect(now.access.apps[0].session_duration).toBe("8h");
    expect(now.access.policies[0].decision).toBe("allow");
    expect(now.access.groups[0].name).toBe("zt-gitops registered devices");
    expect(
      now.lists.find((l) => l.type === "EMAIL")!.items.map((i: { value: string }) => i.value),
    ).not.toContain("mallory@example.org");
    expect(now.devices.posture.find((x) => x.id === macos.id)!.match).toEqual([{ platform: "mac" }]);
    expect(now.access.organization!.warp_auth_session_duration).toBe("24h");
    expect(now.devices.settings.gateway_udp_proxy_enabled).toBe(true);
    expect(now.devices.profile.exclude.map((e: { address: string }) => e.address)).not.toContain(
      "172.16.0.0/12",
    );
    expect(now.devices.fallbackDomains[0].suffix).toBe("ocs.internal");
    expect(now.logpush.jobs.find((j) => j.id === job.id)!.enabled).toBe(true);
    await expectSteady(h);
  });

  it("an object deleted behind the stack's back is read as gone and created again", async () => {
    const s = h.emu.state.data;
    await h.admin("DELETE", `/resources/dns_records/${s.dnsRecords[0].id}`);
    await h.admin("DELETE", `/resources/access_apps/${s.access.apps[0].id}`);
    await h.admin("DELETE", `/resources/logpush_jobs/${s.logpush.jobs[0].id}`);
    const p = await h.previewRefresh();
    expect(opsByKind(p)).toEqual({
      "access app": ["create"],
      "dns record": ["create"],
      "logpush job": ["create"],
    });
    const up = await h.up({ refresh: true });
    expect(opsByKind(up)).toEqual(opsByKind(p));
    expect(up.writes).toEqual([
      "POST accounts/{a}/access/apps",
      "POST accounts/{a}/logpush/jobs",
      "POST zones/{z}/dns_records",
    ]);
    await expectSteady(h);
  });
});
