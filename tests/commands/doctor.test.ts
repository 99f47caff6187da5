// zt doctor against a real emulator holding what the stack creates, and a fake Docker engine with the
// connector's containers. Each failure is made the way it happens in real life: behind the stack's
// back, through the emulator's admin API (a dashboard edit, a crashed cloudflared, a stopped container).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SPLIT_TUNNEL_EXCLUDE } from "../../emulator";
import { zt, Run } from "./helpers/project";
import { admin } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

const CHECKS = [
  "Tunnel ocs-tunnel",
  "Tunnel routes",
  "Connector containers",
  "Access application ocs.example.org",
  "Access policy",
  "Email lists",
  "Device serials",
  "Local Domain Fallback",
  "Split tunnel",
  "Gateway proxy",
  "Session lengths",
  "Internal domain",
];

/** The status word of the check line starting with `title`, and the fix line under it. */
function check(run: Run, title: string): { status: string; line: string; fix?: string } {
  const lines = run.stdout.split("\n");
  const i = lines.findIndex((l) => / {2}/.test(l) && l.slice(6).startsWith(`${title}:`));
  if (i < 0) throw new Error(`no check "${title}" in:\n${run.stdout}`);
  const fix = lines[i + 1]?.startsWith("      fix: ") ? lines[i + 1].slice("      fix: ".length) : undefined;
  return { status: lines[i].slice(0, 4), line: lines[i], fix };
}

describe("zt doctor", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());
  beforeEach(() => w.reset());

  it("passes every check on the healthy setup, with exit 0", async () => {
    const run = await zt(w.project, ["doctor"]);
    expect(run.stderr).toBe("");
    for (const title of CHECKS) expect(check(run, title).status, title).toBe("PASS");
    expect(check(run, "Tunnel ocs-tunnel").line).toContain("healthy, 2 connectors (8 connections)");
    expect(check(run, "Connector containers").line).toContain(
      "cloudflared-1 running, cloudflared-2 running, dnsmasq running",
    );
    expect(check(run, "Local Domain Fallback").line).toContain("ocs.internal -> 172.18.0.53");
    expect(run.stdout).toMatch(/12 checks: 12 passed, 0 failed, 0 skipped; all checks passed$/);
    expect(run.code).toBe(0);
    // docker ps reached the engine named by zt:connector.dockerHost
    expect(w.docker.requests).toContain("GET /containers/json?all=1");
  });

  it("checks one person and one device with --email and --serial", async () => {
    const run = await zt(w.project, ["doctor", "--email", "Alice@Example.org", "--serial", "C02XL0GHJGH5"]);
    expect(check(run, "User alice@example.org")).toMatchObject({ status: "PASS" });
    expect(check(run, "User alice@example.org").line).toContain(
      'in users.yaml (line 6) and in "zt-gitops users 1"',
    );
    expect(check(run, "Device C02XL0GHJGH5").line).toContain('"zt-gitops macos serials 1"');
    expect(run.code).toBe(0);
    // a device without os must be in the list of every OS
    const dan = await zt(w.project, ["doctor", "--serial", "R90X2Y3Z"]);
    expect(check(dan, "Device R90X2Y3Z").line).toContain(
      '"zt-gitops macos serials 1", "zt-gitops windows serials 1", "zt-gitops linux serials 1"',
    );
  });

  it("fails the tunnel check when the tunnel is down, with the restart as the fix", async () => {
    await admin(w.emu, "PUT", `/tunnels/${w.seeded.tunnelId}/status`, { status: "down" });
    const run = await zt(w.project, ["doctor"]);
    const t = check(run, "Tunnel ocs-tunnel");
    expect(t.status).toBe("FAIL");
    expect(t.line).toContain("down, 0 connectors (0 connections): no cloudflared is connected");
    expect(t.fix).toContain("docker compose -f docker-compose.cloudflare.yml restart cloudflared");
    expect(run.stdout).toContain("12 checks: 11 passed, 1 failed, 0 skipped; not healthy");
    expect(run.code).toBe(1);
  });

  it("reports a setup broken in two places (UDP proxy off, a serial dropped from its list) and nothing else", async () => {
    await admin(w.emu, "PATCH", "/resources/device_settings", { gateway_udp_proxy_enabled: false });
    const macList = w.seeded.serialListIds[0]; // serialLists order: macos, windows, linux
    const list = (await admin(w.emu, "GET", `/resources/lists/${macList}`)) as {
      items: Array<{ value: string }>;
    };
    await admin(w.emu, "PATCH", `/resources/lists/${macList}`, {
      items: list.items.filter((i) => i.value !== "C02XL0GHJGH5"),
    });
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Gateway proxy")).toMatchObject({
      status: "FAIL",
      fix: expect.stringContaining("Proxy and inspection: TCP and UDP on"),
    });
    expect(check(run, "Gateway proxy").line).toContain(
      "TCP on, UDP off: without UDP, DNS to private addresses never reaches dnsmasq",
    );
    expect(check(run, "Device serials").line).toContain("missing C02XL0GHJGH5");
    expect(run.stdout.split("\n").filter((l) => l.startsWith("FAIL"))).toHaveLength(2);
    expect(run.code).toBe(1);
    const alice = await zt(w.project, ["doctor", "--email", "alice@example.org"]);
    expect(check(alice, "Devices of alice@example.org").line).toContain(
      "C02XL0GHJGH5 (macos): not in the macos serial list",
    );
  });

  it("skips the container check, not passes it, when no Docker engine is reachable", async () => {
    w.project.write({ ...w.options, dockerHost: "tcp://127.0.0.1:1" });
    const run = await zt(w.project, ["doctor"]);
    const c = check(run, "Connector containers");
    expect(c.status).toBe("SKIP");
    expect(c.line).toContain(
      "no Docker engine reachable at tcp://127.0.0.1:1 (tcp://127.0.0.1:1: connection refused)",
    );
    expect(run.stdout).toContain("11 passed, 0 failed, 1 skipped; incomplete: a skipped check is not a pass");
    expect(run.code).toBe(1);
    w.project.write({ ...w.options, dockerHost: "unix:///nonexistent/docker.sock" });
    expect(check(await zt(w.project, ["doctor"]), "Connector containers").line).toContain(
      "unix:///nonexistent/docker.sock: no such socket",
    );
  });

  it("fails the container check for a stopped replica and a missing dnsmasq", async () => {
    w.docker.containers[1].State = "exited";
    w.docker.containers[1].Status = "Exited (1) 2 minutes ago";
    w.docker.containers.splice(2, 1);
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Connector containers")).toMatchObject({ status: "FAIL" });
    expect(check(run, "Connector containers").line).toContain(
      "cloudflared-2 exited (Exited (1) 2 minutes ago), dnsmasq missing",
    );
    // compose-named containers (zt-connector-cloudflared-1) count by their service label
    w.docker.containers.splice(
      0,
      w.docker.containers.length,
      ...["cloudflared-1", "cloudflared-2", "dnsmasq"].map((s) => ({
        Names: [`/zt-connector-${s}-1`],
        State: "running",
        Status: "Up",
        Image: "x",
        Labels: { "com.docker.compose.service": s },
      })),
    );
    expect(check(await zt(w.project, ["doctor"]), "Connector containers").status).toBe("PASS");
  });

  it("fails the container check when dnsmasq answers a configured name wrongly or not at all", async () => {
    const saved = { ...w.docker.dns };
    try {
      w.docker.dns["ocs.internal"] = "172.18.0.99";
      let c = check(await zt(w.project, ["doctor"]), "Connector containers");
      expect(c.status).toBe("FAIL");
      expect(c.line).toContain("dnsmasq: ocs.internal answers 172.18.0.99, expected 172.18.0.7");
      expect(c.fix).toContain("docker compose -f docker-compose.cloudflare.yml logs dnsmasq");
      delete w.docker.dns["ocs.internal"];
      c = check(await zt(w.project, ["doctor"]), "Connector containers");
      expect(c.line).toContain("dnsmasq: ocs.internal no answer (REFUSED), expected 172.18.0.7");
    } finally {
      Object.assign(w.docker.dns, saved);
    }
    expect(check(await zt(w.project, ["doctor"]), "Connector containers").line).toContain(
      "dnsmasq answers ocs.internal 172.18.0.7",
    );
  });

  it("fails the split tunnel check when the private network is excluded again", async () => {
    await admin(w.emu, "PATCH", "/resources/device_profile", { exclude: DEFAULT_SPLIT_TUNNEL_EXCLUDE });
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Split tunnel")).toMatchObject({
      status: "FAIL",
      fix: expect.stringContaining("Split Tunnels"),
    });
    expect(check(run, "Split tunnel").line).toContain("172.18.0.0/16 is excluded by 172.16.0.0/12");
    // include mode that covers the network passes
    await admin(w.emu, "PATCH", "/resources/device_profile", {
      exclude: null,
      include: [{ address: "172.18.0.0/16" }],
    });
    expect(check(await zt(w.project, ["doctor"]), "Split tunnel").line).toContain(
      "include mode: 172.18.0.0/16 is sent through WARP",
    );
  });

  it("fails Local Domain Fallback when the domain is missing or not pointed at dnsmasq, and flags .local", async () => {
    await admin(w.emu, "PUT", "/resources/fallback_domains", [
      { suffix: "ocs.internal", dns_server: ["1.1.1.1"] },
      { suffix: "corp.local", dns_server: ["172.18.0.53"] },
    ]);
    let run = await zt(w.project, ["doctor"]);
    expect(check(run, "Local Domain Fallback").line).toContain(
      "ocs.internal goes to 1.1.1.1, not dnsmasq at 172.18.0.53",
    );
    expect(check(run, "Internal domain")).toMatchObject({ status: "FAIL" });
    expect(check(run, "Internal domain").line).toContain("fallback entry corp.local -> dnsmasq use .local");
    await admin(w.emu, "PUT", "/resources/fallback_domains", [{ suffix: "intranet" }]);
    run = await zt(w.project, ["doctor"]);
    expect(check(run, "Local Domain Fallback").line).toContain("ocs.internal is not listed");
  });

  it("fails the session check when the app, the policy or WARP drifted from users.yaml", async () => {
    await admin(w.emu, "PATCH", `/resources/access_apps/${w.seeded.appId}`, { session_duration: "24h" });
    await admin(w.emu, "PATCH", "/resources/organization", { warp_auth_session_duration: "12h" });
    const run = await zt(w.project, ["doctor"]);
    const s = check(run, "Session lengths");
    expect(s.status).toBe("FAIL");
    expect(s.line).toContain("app ocs.example.org is 24h, users.yaml says 8h");
    expect(s.line).toContain("WARP session is 12h, users.yaml says 24h");
    await admin(w.emu, "DELETE", "/resources/organization");
    expect(check(await zt(w.project, ["doctor"]), "Session lengths").line).toContain(
      "the Zero Trust organization does not exist",
    );
  });

  it("fails the application and policy checks when the policy is detached or loosened", async () => {
    await admin(w.emu, "PATCH", `/resources/access_apps/${w.seeded.appId}`, { policies: [] });
    await admin(w.emu, "PATCH", `/resources/access_policies/${w.seeded.policyId}`, { require: [] });
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Access application ocs.example.org").line).toContain("is not attached");
    expect(check(run, "Access policy").line).toContain("does not require the device group");
    expect(run.code).toBe(1);
  });

  it("finds email list drift both ways, and explains a single user's problem", async () => {
    const id = w.seeded.emailListIds[0];
    const list = (await admin(w.emu, "GET", `/resources/lists/${id}`)) as { items: Array<{ value: string }> };
    await admin(w.emu, "PATCH", `/resources/lists/${id}`, {
      items: [...list.items.filter((i) => i.value !== "bob@example.org"), { value: "mallory@example.org" }],
    });
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Email lists").line).toContain(
      "missing bob@example.org (cannot sign in); mallory@example.org can sign in but is not active in users.yaml",
    );
    expect(
      check(await zt(w.project, ["doctor", "--email", "bob@example.org"]), "User bob@example.org").line,
    ).toContain("in users.yaml (line 13) but not in any Access email list");
    expect(
      check(await zt(w.project, ["doctor", "--email", "mallory@example.org"]), "User mallory@example.org"),
    ).toMatchObject({ status: "FAIL", line: expect.stringContaining("not in users.yaml") });
    expect(
      check(await zt(w.project, ["doctor", "--email", "erin@example.org"]), "User erin@example.org").line,
    ).toContain("expired on 2026-10-31");
  });

  it("explains a serial that is unknown, owned by someone else, or written with other case", async () => {
    expect(check(await zt(w.project, ["doctor", "--serial", "NOPE123"]), "Device NOPE123").line).toContain(
      "not in users.yaml",
    );
    expect(
      check(
        await zt(w.project, ["doctor", "--email", "alice@example.org", "--serial", "5CG1234XYZ"]),
        "Device 5CG1234XYZ",
      ).line,
    ).toContain("belongs to bob@example.org");
    expect(
      check(await zt(w.project, ["doctor", "--serial", "c02xl0ghjgh5"]), "Device c02xl0ghjgh5").line,
    ).toContain("writes it C02XL0GHJGH5: serials are matched exactly");
  });

  it("fails the posture wiring when a rule checks the wrong platform", async () => {
    await admin(w.emu, "PATCH", `/resources/posture_rules/${w.seeded.postureRuleIds[0]}`, {
      match: [{ platform: "windows" }],
    });
    const run = await zt(w.project, ["doctor"]);
    expect(check(run, "Device serials").line).toContain(
      '"zt-gitops registered macos device 1" reads no serial list or the wrong platform',
    );
  });

  it("fails the route check for a wrong ingress service and a missing private route, and skips it without a tunnel", async () => {
    await admin(w.emu, "PATCH", `/resources/tunnel_configs/${w.seeded.tunnelId}`, {
      config: {
        ingress: [
          { hostname: "ocs.example.org", service: "http://old-web:80" },
          { service: "http_status:404" },
        ],
      },
    });
    const routes = (await admin(w.emu, "GET", "/resources/routes")) as Array<{ id: string }>;
    for (const r of routes) await admin(w.emu, "DELETE", `/resources/routes/${r.id}`);
    let run = await zt(w.project, ["doctor"]);
    const r = check(run, "Tunnel routes");
    expect(r.line).toContain("ocs.example.org goes to http://old-web:80, not http://ocs-web:8000");
    expect(r.line).toContain("no private network route for 172.18.0.0/16");
    await admin(w.emu, "DELETE", `/resources/tunnels/${w.seeded.tunnelId}`);
    run = await zt(w.project, ["doctor"]);
    expect(check(run, "Tunnel ocs-tunnel")).toMatchObject({
      status: "FAIL",
      line: expect.stringContaining("not found in the account"),
    });
    expect(check(run, "Tunnel routes").status).toBe("SKIP");
  });

  it("warns when a healthy tunnel runs fewer connectors than zt:connector.replicas", async () => {
    await admin(w.emu, "PUT", `/tunnels/${w.seeded.tunnelId}/status`, {
      status: "healthy",
      connectors: [{ conns: 4 }],
    });
    expect(check(await zt(w.project, ["doctor"]), "Tunnel ocs-tunnel").line).toContain(
      "healthy but only 1 of 2 connectors: no failover",
    );
  });
});
