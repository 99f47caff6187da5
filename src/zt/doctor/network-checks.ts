import { StackInfo } from "../context";
import { ContainerInfo, DockerPs } from "../docker";
import type { DnsProbe } from "../dnsmasq-probe";
import { Loose } from "../inventory";
import { contains, parseCidr, parseIpv4 } from "../../config/network";
import { connectorSpec } from "../../model/connector";
import { CheckResult, fail, Inventory, pass, plural, skip } from "./types";

// The network half of the checklist: tunnel, routes, connector containers, Local Domain Fallback, split
// tunnel, Gateway proxy, internal domain.

export function tunnelCheck(stack: StackInfo, inv: Inventory): CheckResult {
  const name = stack.config.tunnelName;
  const title = `Tunnel ${name}`;
  if (!inv.tunnel)
    return fail(
      title,
      "not found in the account",
      `create it: ${stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`} (dashboard: Networks > Tunnels)`,
    );
  const { tunnel, connectors, connections } = inv.tunnel;
  const status = String(tunnel.status ?? "unknown");
  const counts = `${plural(connectors, "connector")} (${plural(connections, "connection")})`;
  const restart =
    "restart cloudflared on the server: docker compose -f docker-compose.cloudflare.yml restart cloudflared (then check its logs)";
  if (status !== "healthy") {
    const why =
      status === "degraded"
        ? "some connections are lost"
        : status === "inactive"
          ? "cloudflared has never connected"
          : "no cloudflared is connected";
    return fail(
      title,
      `${status}, ${counts}: ${why}`,
      status === "inactive"
        ? "start cloudflared with the tunnel token on the server (npm run up with zt:connector.enabled, or docker compose -f docker-compose.cloudflare.yml up -d)"
        : restart,
    );
  }
  const replicas = stack.config.connector.replicas;
  if (stack.config.connector.enabled && connectors < replicas) {
    return fail(
      title,
      `healthy but only ${connectors} of ${replicas} connectors: no failover if it stops`,
      restart,
    );
  }
  return pass(title, `healthy, ${counts}`);
}

export function routesCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
  const title = "Tunnel routes";
  if (!inv.tunnel)
    return skip(title, "cannot check: the tunnel does not exist", `create the tunnel first: ${apply}`);
  const problems: string[] = [];
  const ingress = inv.ingress ?? [];
  for (const app of stack.config.apps) {
    const rule = ingress.find((r) => r.hostname === app.hostname);
    if (!rule) problems.push(`no public hostname ${app.hostname}`);
    else if (rule.service !== app.service)
      problems.push(`${app.hostname} goes to ${rule.service}, not ${app.service}`);
  }
  const cidr = stack.config.privateNetwork.cidr;
  const want = parseCidr(cidr);
  const route = inv.routes.find((r) => {
    const net = parseCidr(String(r.network ?? ""));
    return (
      r.tunnel_id === inv.tunnel!.tunnel.id &&
      !r.deleted_at &&
      !("error" in net) &&
      !("error" in want) &&
      contains(net, want)
    );
  });
  if (!route)
    problems.push(`no private network route for ${cidr} to this tunnel (WARP users cannot reach ${cidr})`);
  if (problems.length)
    return fail(
      title,
      problems.join("; "),
      `${apply} (dashboard: Networks > Tunnels > ${stack.config.tunnelName} > Public hostnames / Private networks)`,
    );
  return pass(
    title,
    `${stack.config.apps.map((a) => `${a.hostname} -> ${a.service}`).join(", ")}; private network ${route!.network}`,
  );
}

export function connectorCheck(stack: StackInfo, docker: DockerPs, dns?: DnsProbe): CheckResult {
  const host = stack.config.connector.dockerHost;
  const title = "Connector containers";
  if (!docker.reachable) {
    return skip(
      title,
      `no Docker engine reachable at ${host} (${docker.reason})`,
      "run doctor where the engine is reachable, or set zt:connector.dockerHost (e.g. ssh://admin@server); on the server: docker compose -f docker-compose.cloudflare.yml ps",
    );
  }
  const expected = connectorSpec(stack.config).containers.map((c) => c.name);
  const find = (name: string): ContainerInfo | undefined =>
    docker.containers.find((c) => c.name === name && c.state === "running") ??
    docker.containers.find((c) => c.labels["com.docker.compose.service"] === name && c.state === "running") ??
    docker.containers.find((c) => c.name === name || c.labels["com.docker.compose.service"] === name);
  const seen = expected.map((name) => ({ name, c: find(name) }));
  const bad = seen.filter((s) => s.c?.state !== "running");
  if (bad.length) {
    const what = bad.map((s) =>
      s.c ? `${s.name} ${s.c.state}${s.c.status ? ` (${s.c.status})` : ""}` : `${s.name} missing`,
    );
    return fail(
      title,
      `on ${host}: ${what.join(", ")}`,
      stack.config.connector.enabled
        ? // --refresh: a plain up trusts the state, which still says "running" for a stopped container.
          `npm run up -- --refresh${stack.name === "local" ? "" : ` --stack ${stack.name}`} starts or recreates them; logs: docker logs ${bad[0].c?.name ?? bad[0].name}`
        : "docker compose -f docker-compose.cloudflare.yml up -d on the server",
    );
  }
  const running = `on ${host}: ${seen.map((s) => `${s.c!.name} running`).join(", ")}`;
  const dnsName = seen.find((s) => s.name === "dnsmasq")?.c?.name ?? "dnsmasq";
  const dnsFix = `docker compose -f docker-compose.cloudflare.yml logs dnsmasq (or docker logs ${dnsName}); check zt:privateNetwork.hosts and apply`;
  if (dns && !dns.ok) return fail(title, `${running}; dnsmasq could not be asked (${dns.reason})`, dnsFix);
  const wrong = dns?.ok ? dns.answers.filter((a) => a.problem) : [];
  if (wrong.length)
    return fail(
      title,
      `${running}; dnsmasq: ${wrong.map((a) => `${a.name} ${a.problem}, expected ${a.expected}`).join("; ")}`,
      dnsFix,
    );
  const answered =
    dns?.ok && dns.answers.length
      ? `; dnsmasq answers ${dns.answers.map((a) => `${a.name} ${a.addresses[0]}`).join(", ")}`
      : "";
  return pass(title, `${running}${answered}`);
}

function dnsServers(entry: Loose | undefined): string[] {
  return Array.isArray(entry?.dns_server) ? entry!.dns_server.map(String) : [];
}

export function fallbackCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
  const { internalDomain, dnsmasqAddress } = stack.config.privateNetwork;
  const title = "Local Domain Fallback";
  const fix = `${apply} (dashboard: Settings > WARP Client > Device profiles > Default > Local Domain Fallback: ${internalDomain} -> ${dnsmasqAddress})`;
  if (!inv.fallbackDomains) return fail(title, "the default profile has no Local Domain Fallback list", fix);
  const entry = inv.fallbackDomains.find((d) => d.suffix === internalDomain);
  if (!entry)
    return fail(
      title,
      `${internalDomain} is not listed: WARP asks public DNS and the name does not resolve (NXDOMAIN)`,
      fix,
    );
  const servers = dnsServers(entry);
  if (!servers.includes(dnsmasqAddress)) {
    return fail(
      title,
      `${internalDomain} goes to ${servers.length ? servers.join(", ") : "no DNS server"}, not dnsmasq at ${dnsmasqAddress}`,
      fix,
    );
  }
  return pass(title, `${internalDomain} -> ${servers.join(", ")} (dnsmasq)`);
}

export function splitTunnelCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
  const cidr = stack.config.privateNetwork.cidr;
  const title = "Split tunnel";
  const fix = `${apply} (dashboard: Settings > WARP Client > Device profiles > Default > Split Tunnels)`;
  if (!inv.profile) return fail(title, "the default device profile could not be read", fix);
  const inner = parseCidr(cidr);
  if ("error" in inner) return fail(title, inner.error, "fix zt:privateNetwork.cidr");
  const asCidr = (address: unknown) => {
    const text = String(address ?? "");
    const c = parseCidr(text.includes("/") ? text : `${text}/32`);
    return "error" in c ? undefined : c;
  };
  const include: Loose[] = Array.isArray(inv.profile.include) ? inv.profile.include : [];
  if (include.length > 0) {
    const covering = include.find((e) => {
      const c = asCidr(e.address);
      return c && contains(c, inner);
    });
    if (!covering)
      return fail(
        title,
        `include mode, and ${cidr} is not in the include list: WARP keeps it off the tunnel`,
        fix,
      );
    return pass(title, `include mode: ${cidr} is sent through WARP (${covering.address})`);
  }
  const exclude: Loose[] = Array.isArray(inv.profile.exclude) ? inv.profile.exclude : [];
  const overlapping = exclude.filter((e) => {
    const c = asCidr(e.address);
    return c && (contains(c, inner) || contains(inner, c));
  });
  if (overlapping.length) {
    return fail(
      title,
      `${cidr} is excluded by ${overlapping.map((e) => e.address).join(", ")}: WARP keeps that traffic off the tunnel`,
      fix,
    );
  }
  return pass(title, `exclude mode: ${cidr} is not excluded, so WARP sends it into the tunnel`);
}

export function proxyCheck(inv: Inventory, apply: string): CheckResult {
  const title = "Gateway proxy";
  const s = inv.settings ?? {};
  const tcp = s.gateway_proxy_enabled === true;
  const udp = s.gateway_udp_proxy_enabled === true;
  const state = `TCP ${tcp ? "on" : "off"}, UDP ${udp ? "on" : "off"}`;
  if (tcp && udp) return pass(title, state);
  return fail(
    title,
    `${state}${udp ? "" : ": without UDP, DNS to private addresses never reaches dnsmasq"}`,
    `${apply} (dashboard: Traffic policies > Traffic settings > Proxy and inspection: TCP and UDP on)`,
  );
}

export function localDomainCheck(stack: StackInfo, inv: Inventory): CheckResult {
  const title = "Internal domain";
  const { internalDomain, dnsmasqAddress, hosts } = stack.config.privateNetwork;
  const isLocal = (name: string) => /(^|\.)local\.?$/i.test(name);
  const bad = [
    ...(isLocal(internalDomain) ? [`zt:privateNetwork.internalDomain ${internalDomain}`] : []),
    ...Object.keys(hosts)
      .filter(isLocal)
      .map((h) => `host ${h}`),
    ...(inv.fallbackDomains ?? [])
      .filter((d) => isLocal(String(d.suffix)) && dnsServers(d).includes(dnsmasqAddress))
      .map((d) => `fallback entry ${d.suffix} -> dnsmasq`),
  ];
  if (bad.length) {
    return fail(
      title,
      `${bad.join(", ")} use .local, which is reserved for mDNS and never resolves through WARP`,
      "rename it to a domain you own or .internal (e.g. ocs.internal) in the stack config and dnsmasq, then apply",
    );
  }
  const ip =
    parseIpv4(dnsmasqAddress) !== undefined ? "" : ` (dnsmasq address ${dnsmasqAddress} is not IPv4)`;
  return pass(title, `${internalDomain} is not under .local${ip}`);
}
