// The pure half of `npm run adopt` (src/adopt/map.ts, find.ts, write.ts) on accounts written by hand as
// plain data: no SDK, no emulator, no mocks.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { adopt, type Adoption } from "../../src/adopt/map";
import type { Discovery } from "../../src/adopt/discovery";
import { editStackFile, renderUsersYaml } from "../../src/adopt/write";
import { cloudflareMinutes } from "../../src/adopt/find";
import { loadUsersText } from "../../src/users/load";

const ACC = "0123456789abcdef0123456789abcdef";
const ZONE = "fedcba9876543210fedcba9876543210";
const NOW = "2026-12-02T10:00:00.000Z";

function account(over: Partial<Discovery> = {}): Discovery {
  return {
    accountId: ACC,
    zoneId: ZONE,
    apps: [
      {
        id: "app1",
        name: "Open Chat Studio",
        type: "self_hosted",
        domain: "ocs.example.org",
        sessionDuration: "12h",
        policies: [{ id: "pol1", precedence: 1 }],
      },
    ],
    policies: [
      {
        id: "pol1",
        name: "Allow team",
        decision: "allow",
        include: [{ email: { email: "Amara@example.org" } }, { email: { email: "bo@example.org" } }],
        require: [{ device_posture: { integration_uid: "rule1" } }],
        exclude: [],
      },
    ],
    groups: [],
    lists: [{ id: "list1", name: "Laptops", type: "SERIAL", items: ["SER1", "SER2"] }],
    posture: [{ id: "rule1", name: "Serials", type: "serial_number", inputId: "list1", platforms: ["mac"] }],
    tunnels: [
      {
        id: "tun1",
        name: "ocs",
        ingress: [
          { hostname: "ocs.example.org", service: "http://ocs-web:8000" },
          { service: "http_status:404" },
        ],
      },
    ],
    routes: [{ id: "route1", network: "172.18.0.0/16", tunnelId: "tun1" }],
    dns: [{ id: "dns1", name: "ocs.example.org", type: "CNAME", content: "tun1.cfargotunnel.com" }],
    fallback: [
      { suffix: "ocs.internal", dnsServers: ["172.18.0.53"] },
      { suffix: "corp.example.net", dnsServers: ["10.0.0.53"], description: "office" },
      { suffix: "intranet", dnsServers: [] },
    ],
    deviceSettings: { gateway_proxy_enabled: true, use_zt_virtual_ip: true },
    defaultProfile: { tunnel_protocol: "wireguard" },
    organization: { auth_domain: "acme.cloudflareaccess.com", warp_auth_session_duration: "48h0m0s" },
    logpushJobs: [],
    registrations: [
      { serial: "SER1", email: "amara@example.org", deviceType: "mac" },
      { serial: "SER2", email: "bo@example.org" },
    ],
    unreadable: [],
    ...over,
  };
}

const adopted = (d: Discovery, app?: string): Adoption => {
  const r = adopt(d, { stack: "prod", now: NOW, app });
  if (r.kind !== "adopted") throw new Error(`${r.kind}: ${r.lines.join("\n")}`);
  return r.adoption;
};

describe("adopt: account -> users.yaml, stack values, record", () => {
  it("maps the runbook's setup: people, devices with the rule's OS, sessions, tunnel, network", () => {
    const a = adopted(account());
    expect(a.users.map((u) => [u.email, u.devices.map((d) => `${d.serial}:${d.os}`)])).toEqual([
      ["amara@example.org", ["SER1:macos"]],
      ["bo@example.org", ["SER2:macos"]],
    ]);
    expect(a.sessions).toMatchObject({ app: "12h", warp: "48h" });
    expect(a.config).toEqual({
      teamName: "acme",
      tunnelName: "ocs",
      apps: [{ name: "Open Chat Studio", hostname: "ocs.example.org", service: "http://ocs-web:8000" }],
      privateNetwork: {
        cidr: "172.18.0.0/16",
        internalDomain: "ocs.internal",
        dnsmasqAddress: "172.18.0.53",
        hosts: {},
        extraFallback: [{ suffix: "corp.example.net", description: "office", dnsServers: ["10.0.0.53"] }],
      },
    });
    expect(a.record.imports.map((i) => `${i.name}=${i.id}`)).toEqual([
      `tunnel=${ACC}/tun1`,
      `tunnel-config=${ACC}/tun1`,
      `tunnel-private-route=${ACC}/route1`,
      `tunnel-dns-ocs.example.org=${ZONE}/dns1`,
      `access-app-ocs.example.org=accounts/${ACC}/app1`,
      `access-allow=${ACC}/pol1`,
      `device-profile-local-domain-fallback=${ACC}`,
      `device-profile-default=${ACC}`,
    ]);
    expect(a.record.carry[0].props).toEqual({ useZtVirtualIp: true });
    expect(a.record.retire.map((r) => r.id)).toEqual(["rule1", "list1"]);
    expect(a.report.changes[0]).toBe(
      'moves 2 email(s) from the policy\'s inline rules into the list "zt-gitops users 1" (the list is created full, before the policy points at it)',
    );
  });

  it("the users.yaml it writes validates and says where each user was found", () => {
    const a = adopted(account());
    const text = renderUsersYaml(a, "prod", NOW);
    const loaded = loadUsersText(text, "users.yaml", "2026-12-02");
    expect(loaded.problems).toEqual([]);
    expect(loaded.state!.activeUsers.map((u) => u.email)).toEqual(["amara@example.org", "bo@example.org"]);
    expect(text).toContain('# found in Allow policy "Allow team", include: email');
    expect(text).toContain('app: 12h # session duration of "Open Chat Studio"');
  });

  it("a rule covering two platforms takes each serial's OS from its WARP enrolment, else any OS", () => {
    const a = adopted(
      account({
        posture: [
          {
            id: "rule1",
            name: "Serials",
            type: "serial_number",
            inputId: "list1",
            platforms: ["mac", "windows"],
          },
        ],
      }),
    );
    expect(a.users.flatMap((u) => u.devices.map((d) => d.os))).toEqual(["macos", undefined]);
    expect(a.users[1].devices[0].source).toContain("any OS: the rule covers mac, windows");
  });

  it("refuses, naming every reason, what users.yaml cannot express; nothing is dropped", () => {
    const d = account();
    d.policies[0].include.push({ email_domain: { domain: "example.org" } }, { group: { id: "g1" } });
    d.groups.push({ id: "g1", name: "Contractors" });
    d.registrations.pop();
    const r = adopt(d, { stack: "prod", now: NOW });
    expect(r.kind).toBe("refused");
    const text = r.kind === "refused" ? r.lines.join("\n") : "";
    expect(text).toContain("everyone at example.org (email domain)");
    expect(text).toContain('Access group "Contractors"');
    expect(text).toContain("serial SER2");
    expect(text).toContain("Nothing was written.");
  });

  it("two candidate applications: asks for --app; --app picks one", () => {
    const d = account();
    d.apps.push({ ...d.apps[0], id: "app2", name: "Wiki", domain: "wiki.example.org" });
    const r = adopt(d, { stack: "prod", now: NOW });
    expect(r.kind).toBe("ambiguous");
    expect(r.kind === "ambiguous" && r.lines.join("\n")).toContain("--app wiki.example.org");
    expect(adopted(d, "ocs.example.org").config.apps[0].hostname).toBe("ocs.example.org");
  });

  it("an empty account: nothing to adopt", () => {
    const r = adopt(account({ apps: [], policies: [] }), { stack: "prod", now: NOW });
    expect(r.kind).toBe("nothing");
  });

  it("edits the stack file through the Document API: comments and other keys stay", () => {
    const before = `# production\nencryptionsalt: abc\nconfig:\n  zt:accountId: ${ACC} # the account\n  zt:tunnelName: old\n`;
    const after = editStackFile(before, adopted(account()).config);
    expect(after).toContain("# production\nencryptionsalt: abc\n");
    expect(after).toContain(`zt:accountId: ${ACC} # the account`);
    const config = (parse(after) as { config: Record<string, unknown> }).config;
    expect(config["zt:tunnelName"]).toBe("ocs");
    expect(config["zt:teamName"]).toBe("acme");
    expect(after).toContain("# from the Zero Trust organization's team domain (npm run adopt)");
  });

  it("reads Cloudflare's duration forms", () => {
    expect([
      cloudflareMinutes("12h"),
      cloudflareMinutes("24h0m0s"),
      cloudflareMinutes("90m"),
      cloudflareMinutes(""),
    ]).toEqual([720, 1440, 90, undefined]);
  });
});

describe("adoption record: what one run schedules", () => {
  it("imports and carried inputs only for resources not in the state; new lists created full", async () => {
    const { pendingAdoption } = await import("../../src/adopt/record");
    const { prefillLists } = await import("../../src/adopt/prefill");
    const { record } = adopted(account());
    const all = pendingAdoption(record, new Set());
    expect(all.filter((p) => p.id).length).toBe(8);
    expect(all.filter((p) => p.props).map((p) => p.name)).toEqual([
      "device-profile-settings",
      "organization",
    ]);
    const tunnel = record.imports[0];
    expect(
      pendingAdoption(record, new Set([`${tunnel.type}::${tunnel.name}`])).map((p) => p.name),
    ).not.toContain("tunnel");
    const loaded = loadUsersText(
      renderUsersYaml(adopted(account()), "prod", NOW),
      "users.yaml",
      "2026-12-02",
    );
    const lists = prefillLists(loaded.state!, new Set());
    expect(lists.map((l) => [l.name, l.props.items])).toEqual([
      ["access-emails-0", [{ value: "amara@example.org" }, { value: "bo@example.org" }]],
      ["posture-serials-macos-0", [{ value: "SER1" }, { value: "SER2" }]],
    ]);
    expect(
      prefillLists(loaded.state!, new Set(["cloudflare:index/zeroTrustList:ZeroTrustList::access-emails-0"]))
        .length,
    ).toBe(1);
  });
});
