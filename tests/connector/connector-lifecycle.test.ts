// The connector through the real engine on the project's own dockerd (toolchain/dockerd.sh): the
// Docker plugin built here creates the network, dnsmasq and the cloudflared replicas (a test stand-in
// image, see toolchain/images.sh), dnsmasq answers the configured names, config changes reach the
// engine, a container stopped by hand is drift that `npm run drift` names and `apply --refresh`
// restores, doctor passes and then fails with the fix, and destroy removes exactly what up made.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../toolchain/layout";
import type { RunCapture } from "../../bench/harness/product-run";
import { docker, dockerOk, inspect, inventory, nslookup, requireDockerSetup } from "./helpers/engine";
import { connectorConfig, openConnectorProject, type ConnectorProject } from "./helpers/connector-project";

const NET = { name: "zt-conn-e2e", cidr: "10.213.0.0/16", dnsmasqAddress: "10.213.0.53" };
const HOSTS = { "ocs.internal": "10.213.0.7", "grafana.ocs.internal": "10.213.0.9" };
const OURS = ["cloudflared-1", "cloudflared-2", "cloudflared-3", "dnsmasq"];
/** `op name` of every Docker resource the run changed (a replace shows as its three steps). */
const changed = (c: RunCapture) =>
  c
    .steps()
    .filter((s) => s.op !== "same" && s.type.startsWith("docker:"))
    .map((s) => `${s.op} ${s.name}${s.diffs.length ? ` (${s.diffs.join(", ")})` : ""}`)
    .sort();

describe("connector on a real Docker engine, through the engine", () => {
  let p: ConnectorProject;
  let before: { containers: string[]; networks: string[] };
  let upOutput = "";
  const transcript: string[] = [];

  beforeAll(async () => {
    requireDockerSetup();
    // Leftovers of an interrupted run on our own engine; then a bystander that destroy must not touch.
    for (const c of [...OURS, "zt-bystander"]) docker("rm", "-f", c);
    for (const n of [NET.name, "zt-bystander-net"]) docker("network", "rm", n);
    dockerOk("network", "create", "--subnet", "10.214.0.0/24", "zt-bystander-net");
    dockerOk(
      "run",
      "-d",
      "--name",
      "zt-bystander",
      "--network",
      "none",
      "zt-gitops/cloudflared-standin:test",
    );
    before = inventory();
    p = await openConnectorProject("zt-connector-e2e", connectorConfig({ ...NET, hosts: HOSTS }));
    upOutput = (await p.up()).text();
  });

  afterAll(async () => {
    if (transcript.length) {
      mkdirSync(join(REPO_ROOT, ".zt"), { recursive: true });
      writeFileSync(join(REPO_ROOT, ".zt", "connector-dns-transcript.txt"), transcript.join("\n"));
    }
    for (const c of [...OURS, "zt-bystander"]) docker("rm", "-f", c);
    for (const n of [NET.name, "zt-bystander-net"]) docker("network", "rm", n);
    await p?.close();
  });

  it("up creates the network with its subnet, dnsmasq at its address and two replicas, all unless-stopped", () => {
    const net = JSON.parse(dockerOk("network", "inspect", NET.name))[0];
    expect(net.IPAM.Config).toEqual([expect.objectContaining({ Subnet: NET.cidr })]);
    expect(inventory().containers).toEqual(
      [...before.containers, "cloudflared-1", "cloudflared-2", "dnsmasq"].sort(),
    );
    for (const name of ["cloudflared-1", "cloudflared-2", "dnsmasq"]) {
      const c = inspect(name);
      expect(c.State.Running, name).toBe(true);
      expect(c.HostConfig.RestartPolicy.Name, name).toBe("unless-stopped");
      expect(Object.keys(c.NetworkSettings.Networks), name).toEqual([NET.name]);
    }
    expect(inspect("dnsmasq").NetworkSettings.Networks[NET.name].IPAddress).toBe(NET.dnsmasqAddress);
    // The stand-in saw cloudflared's arguments and a TUNNEL_TOKEN variable (its name only).
    const record = dockerOk("logs", "cloudflared-1");
    expect(record).toContain("argv: tunnel --no-autoupdate run");
    expect(record).toMatch(/env-names: .*\bTUNNEL_TOKEN\b/);
  });

  it("the tunnel token is only in the containers' environment: never in state, files or output", async () => {
    const env = inspect("cloudflared-2").Config.Env.find((e) => e.startsWith("TUNNEL_TOKEN="));
    const token = env?.slice("TUNNEL_TOKEN=".length) ?? "";
    expect(token.length).toBeGreaterThan(30);
    expect((inspect("dnsmasq").Config.Env ?? []).some((e) => e.startsWith("TUNNEL_TOKEN="))).toBe(false);
    // The state as stored (the backend's files under the project; `stack export` would decrypt it):
    // the container's envs are a ciphertext, and the token appears in no file of the project.
    const files = p.files();
    const state = files.find((f) => f.path.endsWith("/stacks/zt-gitops/conn.json"));
    expect(state?.text).toContain("connector-cloudflared-2");
    for (const f of files) expect(f.text.includes(token), f.path).toBe(false);
    expect(upOutput).not.toContain(token);
    expect(dockerOk("logs", "cloudflared-1")).not.toContain(token);
  });

  it("dnsmasq answers every hosts: entry and the internal domain; other names as the config says", () => {
    const ask = (name: string) => {
      const r = nslookup("cloudflared-1", name, NET.dnsmasqAddress);
      transcript.push(`$ docker exec cloudflared-1 nslookup ${name} ${NET.dnsmasqAddress}`, r.text, "");
      return r;
    };
    for (const [name, ip] of Object.entries(HOSTS)) expect(ask(name).addresses, name).toEqual([ip]);
    // address=/ocs.internal/ covers the whole domain; the more specific grafana entry wins for its name.
    expect(ask("anything.ocs.internal").addresses).toEqual([HOSTS["ocs.internal"]]);
    // no-resolv and no upstream server: everything else is refused, never forwarded.
    const other = ask("example.org");
    expect(other.addresses).toEqual([]);
    expect(other.text).toContain("REFUSED");
    // dnsmasq logs the queries to stderr (log-queries, log-facility=-), which `docker logs` shows.
    expect(docker("logs", "dnsmasq").stderr).toMatch(/query\[A\] grafana\.ocs\.internal/);
  });

  it("adding a host in config replaces dnsmasq only, and the new name answers", async () => {
    p.writeConfig(connectorConfig({ ...NET, hosts: { ...HOSTS, "wiki.ocs.internal": "10.213.0.10" } }));
    const run = await p.up();
    expect(changed(run)).toEqual([
      "create-replacement connector-dnsmasq (command)",
      "delete-replaced connector-dnsmasq",
      "replace connector-dnsmasq (command)",
    ]);
    expect(nslookup("cloudflared-2", "wiki.ocs.internal", NET.dnsmasqAddress).addresses).toEqual([
      "10.213.0.10",
    ]);
    expect(inspect("dnsmasq").HostConfig.RestartPolicy.Name).toBe("unless-stopped");
  });

  it("changing replicas adds or removes exactly one container", async () => {
    const cfg = p.config["zt:connector"] as Record<string, unknown>;
    p.writeConfig({ "zt:connector": { ...cfg, replicas: 3 } });
    expect(changed(await p.up())).toEqual(["create connector-cloudflared-3"]);
    expect(inspect("cloudflared-3").State.Running).toBe(true);
    p.writeConfig({ "zt:connector": { ...cfg, replicas: 2 } });
    expect(changed(await p.up())).toEqual(["delete connector-cloudflared-3"]);
    expect(docker("inspect", "cloudflared-3").code).not.toBe(0);
  });

  it("doctor passes the container check with dnsmasq answering", async () => {
    const run = await p.zt(["doctor"]);
    const line = run.stdout.split("\n").find((l) => l.includes("Connector containers:"));
    expect(line).toMatch(/^PASS {2}Connector containers: /);
    expect(line).toContain("cloudflared-1 running, cloudflared-2 running, dnsmasq running");
    expect(line).toContain(
      "dnsmasq answers grafana.ocs.internal 10.213.0.9, ocs.internal 10.213.0.7, wiki.ocs.internal 10.213.0.10",
    );
  });

  it("a container stopped by hand: doctor fails with the fix, drift names it, apply --refresh restores it", async () => {
    dockerOk("stop", "cloudflared-2");
    dockerOk("stop", "dnsmasq");
    const doc = await p.zt(["doctor"]);
    const lines = doc.stdout.split("\n");
    const i = lines.findIndex((l) => l.includes("Connector containers:"));
    expect(lines[i]).toMatch(/^FAIL {2}Connector containers: .*cloudflared-2 exited .*dnsmasq exited/);
    expect(lines[i + 1]).toBe(
      "      fix: npm run up -- --refresh --stack conn starts or recreates them; logs: docker logs cloudflared-2",
    );

    const drift = await p.npmRun("drift");
    expect(drift.code, drift.stderr).toBe(2);
    // What the next apply would change: exactly the two stopped containers, back to running.
    const next = drift.stdout.split("### What the next apply would change")[1].split("<details>")[0];
    expect(next.split("\n").filter((l) => l.startsWith("| `"))).toEqual([
      "| `connector-cloudflared-2` | Container | update | `mustRun` | puts back what users.yaml and the stack config say |",
      "| `connector-dnsmasq` | Container | update | `mustRun` | puts back what users.yaml and the stack config say |",
    ]);

    const apply = await p.npmRun("apply", ["--refresh"]);
    expect(apply.code, `${apply.stdout}\n${apply.stderr}`).toBe(0);
    for (const name of ["cloudflared-1", "cloudflared-2", "dnsmasq"])
      expect(inspect(name).State.Running).toBe(true);
    expect(nslookup("cloudflared-1", "ocs.internal", NET.dnsmasqAddress).addresses).toEqual(["10.213.0.7"]);
    expect((await p.npmRun("drift")).code).toBe(0);
  });

  it("destroy removes the containers and the network and nothing else", async () => {
    await p.destroy();
    expect(inventory()).toEqual(before);
    expect(dockerOk("images", "--format", "{{.Repository}}:{{.Tag}}")).toContain("zt-gitops/dnsmasq:local");
  });
});
