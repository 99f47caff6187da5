// `npm run compose` for hand-run servers, brought up with Debian's docker-compose (1.29) on the same
// engine, gives the containers the engine gives (image, command, restart policy, network, address)
// and the same DNS answers.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  docker,
  DOCKER_HOST,
  dockerOk,
  inspect,
  inventory,
  nslookup,
  requireDockerSetup,
} from "./helpers/engine";
import { connectorConfig, openConnectorProject, type ConnectorProject } from "./helpers/connector-project";

const NET = { name: "zt-conn-compose", cidr: "10.217.0.0/16", dnsmasqAddress: "10.217.0.53" };
const HOSTS = { "ocs.internal": "10.217.0.7", "grafana.ocs.internal": "10.217.0.9" };
const NAMES = ["anything.ocs.internal", "example.org", ...Object.keys(HOSTS)];
const PROJECT = "ztcompose";

interface Shape {
  image: string;
  cmd: string[];
  restart: string;
  networks: string[];
  address?: string;
}

function shape(container: string): Shape {
  const c = inspect(container);
  const nets = Object.keys(c.NetworkSettings.Networks);
  return {
    image: c.Image, // the image id: the engine names it by id, compose by tag

    cmd: c.Config.Cmd,
    restart: c.HostConfig.RestartPolicy.Name,
    networks: nets,
    address: c.NetworkSettings.Networks[nets[0]]?.IPAMConfig?.IPv4Address || undefined,
  };
}

function compose(file: string, ...args: string[]) {
  const r = spawnSync("docker-compose", ["-p", PROJECT, "-f", file, ...args], {
    encoding: "utf8",
    env: { ...process.env, DOCKER_HOST, TUNNEL_TOKEN: "compose-test-token-not-a-real-one-0123456789" },
  });
  if (r.error)
    throw new Error(`docker-compose (Debian's docker-compose package) cannot run: ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("npm run compose + Debian's docker-compose vs the engine", () => {
  let p: ConnectorProject;
  let file: string;
  const viaEngine: Record<string, Shape> = {};
  const answersViaEngine: Record<string, string[]> = {};
  let before: { containers: string[]; networks: string[] };

  beforeAll(async () => {
    requireDockerSetup();
    docker("network", "rm", NET.name);
    before = inventory();
    p = await openConnectorProject("zt-connector-compose", connectorConfig({ ...NET, hosts: HOSTS }));
    await p.up();
    for (const name of ["cloudflared-1", "cloudflared-2", "dnsmasq"]) viaEngine[name] = shape(name);
    for (const n of NAMES) answersViaEngine[n] = nslookup("cloudflared-1", n, NET.dnsmasqAddress).addresses;
    await p.destroy();
    file = join(p.dir, "docker-compose.cloudflare.yml");
  });

  afterAll(async () => {
    if (file) compose(file, "down", "--timeout", "2");
    docker("network", "rm", NET.name);
    await p?.close();
  });

  it("writes a file docker-compose 1.29 accepts", async () => {
    const r = await p.npmRun("compose", ["--out", file]);
    expect(r.code, r.stderr).toBe(0);
    const config = compose(file, "config", "--quiet");
    expect(config.code, config.out).toBe(0);
  });

  it("brings up the same containers and the same DNS answers", () => {
    const up = compose(file, "up", "-d");
    expect(up.code, up.out).toBe(0);
    const viaCompose: Record<string, Shape> = {};
    for (const service of Object.keys(viaEngine)) {
      const name = `${PROJECT}_${service}_1`;
      viaCompose[service] = shape(name);
      expect(inspect(name).State.Running, name).toBe(true);
    }
    expect(viaCompose).toEqual(viaEngine);
    for (const service of ["cloudflared-1", "dnsmasq"])
      expect(inspect(`${PROJECT}_${service}_1`).Config.Image).toBe(
        service === "dnsmasq" ? "zt-gitops/dnsmasq:local" : "zt-gitops/cloudflared-standin:test",
      );
    const answers: Record<string, string[]> = {};
    for (const n of NAMES)
      answers[n] = nslookup(`${PROJECT}_cloudflared-1_1`, n, NET.dnsmasqAddress).addresses;
    expect(answers).toEqual(answersViaEngine);
    expect(answers["grafana.ocs.internal"]).toEqual(["10.217.0.9"]);
  });

  it("down leaves the engine as it was", () => {
    expect(compose(file, "down", "--timeout", "2").code).toBe(0);
    expect(inventory()).toEqual(before);
    dockerOk("version");
  });
});
