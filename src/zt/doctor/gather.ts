import { Api, StackInfo, ZtEnv } from "../context";
import { dockerPs, DockerPs } from "../docker";
import { probeDnsmasq, type DnsProbe } from "../dnsmasq-probe";
import { connectorSpec } from "../../model/connector";
import { collect, emailLists, findTunnel, listsOfType, Loose, orMissing, postureRules } from "../inventory";
import { DEVICE_GROUP_NAME, GROUP_LIST_PREFIX, POLICY_NAME } from "../../model/names";
import { Inventory } from "./types";

// Everything the checks read from Cloudflare and the Docker host, fetched once and in parallel.

export async function gather(api: Api, stack: StackInfo, env: ZtEnv): Promise<Inventory> {
  const account_id = api.accountId;
  const zt = api.client.zeroTrust;
  const docker = dockerPs(stack.config.connector.dockerHost, { command: env.dockerCommand });
  const tunnelPart = (async () => {
    const tunnel = await findTunnel(api, stack.config.tunnelName);
    if (!tunnel) return { tunnel, ingress: undefined };
    const cfg = (await orMissing(() =>
      zt.tunnels.cloudflared.configurations.get(tunnel.tunnel.id, { account_id }),
    )) as Loose | undefined;
    return {
      tunnel,
      ingress: Array.isArray(cfg?.config?.ingress) ? (cfg!.config.ingress as Loose[]) : undefined,
    };
  })();
  const [
    t,
    routes,
    apps,
    policies,
    groups,
    lists,
    posture,
    organization,
    settings,
    profile,
    fallbackDomains,
    groupLists,
    serviceTokens,
  ] = await Promise.all([
    tunnelPart,
    collect(zt.networks.routes.list({ account_id, is_deleted: false })) as Promise<Loose[]>,
    collect(zt.access.applications.list({ account_id })) as Promise<Loose[]>,
    collect(zt.access.policies.list({ account_id })) as Promise<Loose[]>,
    collect(zt.access.groups.list({ account_id })) as Promise<Loose[]>,
    emailLists(api),
    postureRules(api),
    orMissing(() => zt.organizations.list({ account_id })) as Promise<Loose | undefined>,
    orMissing(() => zt.devices.settings.get({ account_id })) as Promise<Loose | undefined>,
    orMissing(() => zt.devices.policies.default.get({ account_id })) as Promise<Loose | undefined>,
    orMissing(() => collect(zt.devices.policies.default.fallbackDomains.get({ account_id }))) as Promise<
      Loose[] | undefined
    >,
    listsOfType(api, "EMAIL", (n) => n.startsWith(GROUP_LIST_PREFIX)),
    orMissing(() => collect(zt.access.serviceTokens.list({ account_id }))) as Promise<Loose[] | undefined>,
  ]);
  return {
    ...t,
    routes,
    apps,
    policy: policies.find((p) => p.name === POLICY_NAME),
    policies,
    groupLists,
    serviceTokens: serviceTokens ?? [],
    group: groups.find((g) => g.name === DEVICE_GROUP_NAME),
    emailLists: lists,
    posture,
    organization: organization ?? undefined,
    settings: settings ?? undefined,
    profile: profile ?? undefined,
    fallbackDomains: fallbackDomains ?? undefined,
    docker: await docker,
    dns: await dnsProbe(stack, await docker, env),
  };
}

/** Asks the running dnsmasq container (the connector spec's name) for the configured names. */
async function dnsProbe(stack: StackInfo, ps: DockerPs, env: ZtEnv): Promise<DnsProbe | undefined> {
  const dns = connectorSpec(stack.config).containers.find((c) => c.name === "dnsmasq");
  if (!ps.reachable || !dns) return undefined;
  const running = ps.containers.find(
    (c) =>
      (c.name === dns.name || c.labels["com.docker.compose.service"] === dns.name) && c.state === "running",
  );
  if (!running) return undefined;
  return probeDnsmasq(stack.config.connector.dockerHost, running.name, stack.config.privateNetwork.hosts, {
    command: env.dockerCommand,
  });
}
