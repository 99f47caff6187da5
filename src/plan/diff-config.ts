import { StackConfig } from "../config/schema";
import { Plan } from "./plan-types";

// Stack settings: each difference with what it means for users, in the runbook's words.
// `portal`: users.yaml declares groups, so who reaches an application is its `access:` entry, not everyone.
export function diffConfig(a: StackConfig, b: StackConfig, plan: Plan, opts: { portal?: boolean } = {}) {
  const show = (v: unknown) => (v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v));
  const push = (setting: string, from: unknown, to: unknown, effect: string, critical = false) => {
    if (JSON.stringify(from) === JSON.stringify(to)) return;
    plan.config.push({ setting, from: show(from), to: show(to), effect, ...(critical ? { critical } : {}) });
  };

  push(
    "accountId",
    a.accountId,
    b.accountId,
    "Everything moves to another Cloudflare account: every resource is deleted here and created there; everyone signs in and enrols WARP again.",
    true,
  );
  push(
    "zoneId",
    a.zoneId,
    b.zoneId,
    "The public hostnames' DNS records move to another zone (deleted and created).",
    true,
  );
  if (a.teamName !== b.teamName) {
    push(
      "teamName",
      a.teamName,
      b.teamName,
      "The team name changes: every user must log in to WARP again with the new team name (WARP → Preferences → Account → Login with Cloudflare Zero Trust).",
      true,
    );
    plan.reEnrol = { from: a.teamName, to: b.teamName };
  }
  push("tunnelName", a.tunnelName, b.tunnelName, "The tunnel is renamed (Networks → Tunnels).");
  push("usersFile", a.usersFile, b.usersFile, "The stack reads its users from another file.");

  const appsA = new Map(a.apps.map((x) => [x.hostname, x]));
  const appsB = new Map(b.apps.map((x) => [x.hostname, x]));
  for (const [host, app] of appsB) {
    const old = appsA.get(host);
    if (!old)
      push(
        `apps[${host}]`,
        undefined,
        `${app.name} → ${app.service}`,
        opts.portal
          ? `New application ${app.name} at https://${host}: routed through the tunnel and open to the groups its \`access:\` entry (key ${app.key}) names in users.yaml.`
          : `New application ${app.name} at https://${host}: routed through the tunnel and open to the same users and devices.`,
      );
    else {
      push(`apps[${host}].name`, old.name, app.name, "The name shown in the App Launcher changes.");
      push(
        `apps[${host}].service`,
        old.service,
        app.service,
        `The tunnel sends https://${host} to another local service.`,
      );
    }
  }
  for (const [host, app] of appsA) {
    if (!appsB.has(host)) {
      push(
        `apps[${host}]`,
        `${app.name} → ${app.service}`,
        undefined,
        `Application ${app.name} is deleted: https://${host} is no longer routed or protected by Access, and everyone signed in to it loses it.`,
        true,
      );
    }
  }

  const pa = a.privateNetwork;
  const pb = b.privateNetwork;
  const reconnectAll = (reason: string) => {
    if (!plan.reconnect.some((r) => r.reason === reason)) plan.reconnect.push({ reason, who: "everyone" });
  };
  if (pa.cidr !== pb.cidr) {
    push(
      "privateNetwork.cidr",
      pa.cidr,
      pb.cidr,
      "The private network route and the Split Tunnels exclude list change: users must disconnect and reconnect WARP.",
    );
    reconnectAll("the Split Tunnels list changes");
  }
  if (pa.internalDomain !== pb.internalDomain || pa.dnsmasqAddress !== pb.dnsmasqAddress) {
    push(
      "privateNetwork.internalDomain",
      pa.internalDomain,
      pb.internalDomain,
      "Local Domain Fallback changes: users must disconnect and reconnect WARP.",
    );
    push(
      "privateNetwork.dnsmasqAddress",
      pa.dnsmasqAddress,
      pb.dnsmasqAddress,
      "Local Domain Fallback sends the internal domain to another DNS server: users must disconnect and reconnect WARP.",
    );
    reconnectAll("Local Domain Fallback changes");
  }
  push(
    "privateNetwork.hosts",
    pa.hosts,
    pb.hosts,
    "dnsmasq answers different internal names (server side; no WARP reconnect).",
  );

  const ca = a.connector;
  const cb = b.connector;
  push(
    "connector.enabled",
    ca.enabled,
    cb.enabled,
    cb.enabled
      ? "Pulumi starts cloudflared and dnsmasq on the Docker host."
      : "Pulumi stops managing the cloudflared and dnsmasq containers (they are removed from the Docker host).",
    !cb.enabled,
  );
  for (const key of ["dockerHost", "replicas", "network", "cloudflaredImage", "dnsmasqImage"] as const) {
    push(
      `connector.${key}`,
      ca[key],
      cb[key],
      "The containers on the Docker host are recreated (replicas give failover, so keep at least two).",
    );
  }
  push(
    "logpush",
    a.logpush,
    b.logpush,
    b.logpush
      ? "Logpush jobs for Access and Gateway logs are created or changed."
      : "Logpush stops: Access and Gateway logs are kept only as long as the dashboard retains them (up to 6 months).",
  );
  push(
    "guards.maxRemovalShare",
    a.guards.maxRemovalShare,
    b.guards.maxRemovalShare,
    "The removal guard changes; this plan applies the stricter of the two values.",
  );
}
