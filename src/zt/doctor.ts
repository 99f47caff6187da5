import { COMMON_HELP } from "./args";
import { Api, connect, loadStack, loadUsers, StackInfo, Users, withApi, ZtEnv } from "./context";
import { ContainerInfo, dockerPs, DockerPs } from "./docker";
import { probeDnsmasq, type DnsProbe } from "./dnsmasq-probe";
import {
  collect,
  emailLists,
  findTunnel,
  goDurationMinutes,
  Loose,
  NamedList,
  orMissing,
  postureRules,
  PostureView,
  TunnelView,
} from "./inventory";
import { EXIT } from "./io";
import { DEVICE_GROUP_NAME, POLICY_NAME } from "./names";
import { contains, parseCidr, parseIpv4 } from "../config/network";
import { POSTURE_PLATFORM } from "../model/access";
import { connectorSpec } from "../model/connector";
import { DesiredDevice, DesiredUser } from "../model/desired";
import { formatDuration } from "../model/sessions";
import { Os, OS_VALUES } from "../users/schema";

// zt doctor: the runbook's "a user cannot connect" checklist, run against the live account. Every
// check prints PASS, FAIL or SKIP; a FAIL comes with the one-line fix. SKIP is not a pass.

export const DOCTOR_HELP = `Usage: npm run zt -- doctor [--email EMAIL] [--serial SERIAL] [--stack NAME]

Runs the runbook's connectivity checklist against Cloudflare and prints PASS/FAIL/SKIP per check,
with the fix under each failure: tunnel health and connectors, tunnel routes, the connector
containers on the Docker host (zt:connector.dockerHost), the Access applications and policy, the
email lists, the device serial lists, Local Domain Fallback -> dnsmasq, the split tunnel, Gateway
TCP/UDP proxy, session lengths against users.yaml, and the internal domain (.local never works).

  --email EMAIL     check this person: in users.yaml, not expired, in the Access email list,
                    and each of their devices in the serial list of its OS
  --serial SERIAL   check this device: in users.yaml and in the serial list of its OS
${COMMON_HELP}

Exit 0 when every check passes; 1 when any check fails or could not run (SKIP); 2 for bad input;
3 when Cloudflare cannot be used (token, account, network, rate limit).

Example: npm run zt -- doctor --email alice@example.org --serial C02XL0GHJGH5`;

export interface DoctorOptions {
  stack?: string;
  tokenEnv?: string;
  email?: string;
  serial?: string;
}

export type Status = "PASS" | "FAIL" | "SKIP";

export interface CheckResult {
  status: Status;
  title: string;
  detail: string;
  /** One line: what to do. Printed under FAIL and SKIP. */
  fix?: string;
}

/** Everything the checks read, fetched once. */
export interface Inventory {
  tunnel?: TunnelView;
  ingress?: Loose[];
  routes: Loose[];
  apps: Loose[];
  policy?: Loose;
  group?: Loose;
  emailLists: NamedList[];
  posture: PostureView[];
  organization?: Loose;
  settings?: Loose;
  profile?: Loose;
  fallbackDomains?: Loose[];
  docker: DockerPs;
  /** dnsmasq asked for every zt:privateNetwork.hosts name, when its container runs. */
  dns?: DnsProbe;
}

export async function doctor(opts: DoctorOptions, env: ZtEnv): Promise<number> {
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const api = connect(env, stack, opts.tokenEnv);
  const o = env.output;
  o.out(
    `zt doctor: stack ${stack.name}, account ${api.accountId}, API ${api.target.baseUrl ?? "https://api.cloudflare.com/client/v4"}`,
  );
  const inventory = await withApi(api, () => gather(api, stack, env));
  const results = runChecks(stack, users, inventory, { email: opts.email, serial: opts.serial });
  for (const r of results) {
    o.out(`${r.status}  ${r.title}: ${r.detail}`);
    if (r.status !== "PASS" && r.fix) o.out(`      fix: ${r.fix}`);
  }
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const [pass, fail, skip] = [count("PASS"), count("FAIL"), count("SKIP")];
  const verdict =
    fail + skip === 0
      ? "all checks passed"
      : fail > 0
        ? "not healthy"
        : "incomplete: a skipped check is not a pass";
  o.out(`${results.length} checks: ${pass} passed, ${fail} failed, ${skip} skipped; ${verdict}`);
  return fail + skip === 0 ? EXIT.ok : EXIT.findings;
}

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
  ]);
  return {
    ...t,
    routes,
    apps,
    policy: policies.find((p) => p.name === POLICY_NAME),
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

// ---------------------------------------------------------------- checks (pure)

export interface Focus {
  email?: string;
  serial?: string;
}

export function runChecks(stack: StackInfo, users: Users, inv: Inventory, focus: Focus = {}): CheckResult[] {
  const apply = stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`;
  return [
    tunnelCheck(stack, inv),
    routesCheck(stack, inv, apply),
    connectorCheck(stack, inv.docker, inv.dns),
    ...stack.config.apps.map((app) => applicationCheck(app.hostname, app.name, inv, apply)),
    policyCheck(inv, apply),
    focus.email
      ? userCheck(focus.email.toLowerCase(), users, inv, apply)
      : emailListsCheck(users, inv, apply),
    deviceCheck(focus, users, inv, apply),
    fallbackCheck(stack, inv, apply),
    splitTunnelCheck(stack, inv, apply),
    proxyCheck(inv, apply),
    sessionsCheck(stack, users, inv, apply),
    localDomainCheck(stack, inv),
  ];
}

const pass = (title: string, detail: string): CheckResult => ({ status: "PASS", title, detail });
const fail = (title: string, detail: string, fix: string): CheckResult => ({
  status: "FAIL",
  title,
  detail,
  fix,
});
const skip = (title: string, detail: string, fix: string): CheckResult => ({
  status: "SKIP",
  title,
  detail,
  fix,
});
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const few = (items: readonly string[], max = 4) =>
  items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;

function tunnelCheck(stack: StackInfo, inv: Inventory): CheckResult {
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

function routesCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
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

function connectorCheck(stack: StackInfo, docker: DockerPs, dns?: DnsProbe): CheckResult {
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

function applicationCheck(hostname: string, name: string, inv: Inventory, apply: string): CheckResult {
  const title = `Access application ${hostname}`;
  const apps = inv.apps.filter(
    (a) =>
      a.domain === hostname ||
      (Array.isArray(a.self_hosted_domains) && a.self_hosted_domains.includes(hostname)),
  );
  const fix = `${apply} (dashboard: Access > Applications)`;
  if (apps.length === 0)
    return fail(title, "no Access application protects this hostname: it is either unreachable or open", fix);
  if (apps.length > 1)
    return fail(
      title,
      `${apps.length} applications claim this hostname (${apps.map((a) => `"${a.name}"`).join(", ")})`,
      `delete the extra one in Access > Applications, then ${apply}`,
    );
  const app = apps[0];
  const problems: string[] = [];
  if (app.type !== "self_hosted") problems.push(`type is ${app.type}, not self_hosted`);
  if (app.name !== name) problems.push(`named "${app.name}", the stack says "${name}"`);
  const attached: Loose[] = Array.isArray(app.policies) ? app.policies : [];
  if (!inv.policy) problems.push(`the policy "${POLICY_NAME}" does not exist`);
  else if (!attached.some((p) => p.id === inv.policy!.id))
    problems.push(`the policy "${POLICY_NAME}" is not attached`);
  const others = attached.filter((p) => p.id !== inv.policy?.id);
  if (others.length)
    problems.push(
      `other policies are attached too (${others.map((p) => p.name ?? p.id).join(", ")}): they may let others in`,
    );
  if (problems.length) return fail(title, problems.join("; "), fix);
  return pass(title, `"${app.name}", self_hosted, policy attached`);
}

function policyCheck(inv: Inventory, apply: string): CheckResult {
  const title = "Access policy";
  const fix = `${apply} (dashboard: Access > Policies)`;
  const p = inv.policy;
  if (!p) return fail(title, `"${POLICY_NAME}" not found`, fix);
  const problems: string[] = [];
  if (p.decision !== "allow") problems.push(`decision is ${p.decision}, not allow`);
  const includes: Loose[] = Array.isArray(p.include) ? p.include : [];
  const listIds = new Set(includes.map((r) => r.email_list?.id).filter(Boolean));
  const missingLists = inv.emailLists.filter((l) => !listIds.has(l.id));
  if (inv.emailLists.length === 0) problems.push("there is no zt-gitops email list to include");
  if (missingLists.length)
    problems.push(`does not include ${missingLists.map((l) => `"${l.name}"`).join(", ")}`);
  const foreign = includes.filter((r) => !r.email_list);
  if (foreign.length)
    problems.push(
      `also includes ${foreign.map((r) => Object.keys(r)[0]).join(", ")}: more people than users.yaml get in`,
    );
  const requires: Loose[] = Array.isArray(p.require) ? p.require : [];
  if (!inv.group) problems.push(`the device group "${DEVICE_GROUP_NAME}" does not exist`);
  else {
    if (!requires.some((r) => r.group?.id === inv.group!.id))
      problems.push(`does not require the device group "${DEVICE_GROUP_NAME}": any device would pass`);
    const inGroup = new Set(
      ((inv.group.include ?? []) as Loose[]).map((r) => r.device_posture?.integration_uid).filter(Boolean),
    );
    const notIn = inv.posture.filter((r) => !inGroup.has(r.rule.id));
    if (inv.posture.length === 0) problems.push("no zt-gitops serial posture rule exists");
    if (notIn.length) problems.push(`device group lacks ${notIn.map((r) => `"${r.rule.name}"`).join(", ")}`);
  }
  if (problems.length) return fail(title, problems.join("; "), fix);
  return pass(
    title,
    `allow: email in ${plural(listIds.size, "list")} AND device in ${plural(inv.posture.length, "serial rule")}`,
  );
}

function listsHolding(lists: readonly NamedList[], email: string): NamedList[] {
  return lists.filter((l) => l.values.some((v) => v.toLowerCase() === email));
}

function userCheck(email: string, users: Users, inv: Inventory, apply: string): CheckResult {
  const title = `User ${email}`;
  const user = users.state.users.find((u) => u.email === email);
  if (!user)
    return fail(
      title,
      `not in ${users.name}`,
      `add them (email and device serial) to ${users.name}, open a pull request and merge it`,
    );
  if (user.expired)
    return fail(
      title,
      `expired on ${user.expires} (${users.name} line ${user.line})`,
      `extend expires at ${users.name} line ${user.line} if they still need access`,
    );
  const holding = listsHolding(inv.emailLists, email);
  if (holding.length === 0)
    return fail(
      title,
      `in ${users.name} (line ${user.line}) but not in any Access email list`,
      `apply ${users.name}: ${apply}`,
    );
  return pass(title, `in ${users.name} (line ${user.line}) and in "${holding[0].name}"`);
}

function emailListsCheck(users: Users, inv: Inventory, apply: string): CheckResult {
  const title = "Email lists";
  const expected = new Set(users.state.activeUsers.map((u) => u.email));
  const actual = new Set(inv.emailLists.flatMap((l) => l.values.map((v) => v.toLowerCase())));
  const missing = [...expected].filter((e) => !actual.has(e)).sort();
  const extra = [...actual].filter((e) => !expected.has(e)).sort();
  const problems: string[] = [];
  if (inv.emailLists.length === 0) problems.push("no zt-gitops email list exists");
  else if (missing.length) problems.push(`missing ${few(missing)} (cannot sign in)`);
  if (extra.length)
    problems.push(
      `${few(extra)} can sign in but ${extra.length === 1 ? "is" : "are"} not active in ${users.name}`,
    );
  if (problems.length)
    return fail(title, problems.join("; "), `apply ${users.name}: ${apply} (it also revokes removed users)`);
  return pass(
    title,
    `all ${plural(expected.size, "active user")} of ${users.name} are in ${inv.emailLists.map((l) => `"${l.name}"`).join(", ")}`,
  );
}

interface OwnedDevice {
  user: DesiredUser;
  device: DesiredDevice;
}

/** Where a serial must be: one OS, or every OS for a device written without `os`. */
function serialProblems(
  serial: string,
  os: Os | undefined,
  inv: Inventory,
): { missing: string[]; found: string[] } {
  const missing: string[] = [];
  const found: string[] = [];
  for (const want of os ? [os] : OS_VALUES) {
    const rules = inv.posture.filter((r) => r.os === want);
    const hit = rules.find(
      (r) =>
        r.list?.values.includes(serial) &&
        (r.rule.match ?? []).some((m: Loose) => m.platform === POSTURE_PLATFORM[want]),
    );
    if (hit) found.push(`"${hit.list!.name}"`);
    else
      missing.push(rules.length === 0 ? `no ${want} serial rule exists` : `not in the ${want} serial list`);
  }
  return { missing, found };
}

function deviceCheck(focus: Focus, users: Users, inv: Inventory, apply: string): CheckResult {
  const all: OwnedDevice[] = users.state.users.flatMap((user) =>
    user.devices.map((device) => ({ user, device })),
  );
  const fixApply = `apply ${users.name}: ${apply} (dashboard: Settings > WARP Client > Device posture)`;
  if (focus.serial || focus.email) {
    let targets: OwnedDevice[];
    let title: string;
    if (focus.serial) {
      const serial = focus.serial;
      title = `Device ${serial}`;
      const owned =
        all.find((d) => d.device.serial === serial) ??
        all.find((d) => d.device.serial.toUpperCase() === serial.toUpperCase());
      if (!owned)
        return fail(
          title,
          `not in ${users.name}`,
          `add it under its owner's devices in ${users.name} and merge`,
        );
      if (owned.device.serial !== serial)
        return fail(
          title,
          `${users.name} line ${owned.device.line} writes it ${owned.device.serial}: serials are matched exactly`,
          `write the serial exactly as the device reports it`,
        );
      if (focus.email && owned.user.email !== focus.email.toLowerCase()) {
        return fail(
          title,
          `belongs to ${owned.user.email} (${users.name} line ${owned.device.line}), not ${focus.email}`,
          "sign in with the owner's email, or move the device in users.yaml",
        );
      }
      targets = [owned];
    } else {
      const email = focus.email!.toLowerCase();
      title = `Devices of ${email}`;
      const user = users.state.users.find((u) => u.email === email);
      if (!user)
        return skip(
          title,
          `${email} is not in ${users.name}`,
          `add them with their device serial to ${users.name}`,
        );
      if (user.devices.length === 0)
        return fail(
          title,
          `none in ${users.name} (line ${user.line}): they cannot pass the device check`,
          `add their serial under devices (${users.name} line ${user.line})`,
        );
      targets = user.devices.map((device) => ({ user, device }));
    }
    const expired = targets.find((t) => t.user.expired);
    if (expired)
      return fail(
        title,
        `owner ${expired.user.email} expired on ${expired.user.expires}, so the serial is left out`,
        `extend expires at ${users.name} line ${expired.user.line}`,
      );
    const problems: string[] = [];
    const found: string[] = [];
    for (const t of targets) {
      const r = serialProblems(t.device.serial, t.device.os, inv);
      if (r.missing.length)
        problems.push(`${t.device.serial} (${t.device.os ?? "any OS"}): ${r.missing.join(", ")}`);
      else found.push(`${t.device.serial} in ${r.found.join(", ")}`);
    }
    if (problems.length) return fail(title, problems.join("; "), fixApply);
    return pass(title, found.join("; "));
  }

  const title = "Device serials";
  const problems: string[] = [];
  const active = all.filter((d) => !d.user.expired);
  const missing: string[] = [];
  for (const d of active)
    if (serialProblems(d.device.serial, d.device.os, inv).missing.length) missing.push(d.device.serial);
  if (missing.length) problems.push(`missing ${few(missing)}`);
  const expected = new Set(active.map((d) => d.device.serial));
  const extra = [...new Set(inv.posture.flatMap((r) => r.list?.values ?? []))]
    .filter((s) => !expected.has(s))
    .sort();
  if (extra.length)
    problems.push(
      `${few(extra)} still pass${extra.length === 1 ? "es" : ""} the device check but ${extra.length === 1 ? "is" : "are"} not active in ${users.name}`,
    );
  const broken = inv.posture.filter(
    (r) => !r.list || !(r.rule.match ?? []).some((m: Loose) => m.platform === POSTURE_PLATFORM[r.os]),
  );
  if (broken.length)
    problems.push(
      `${broken.map((r) => `"${r.rule.name}"`).join(", ")} ${broken.length === 1 ? "reads no serial list or the wrong platform" : "read no serial list or the wrong platform"}`,
    );
  if (problems.length) return fail(title, problems.join("; "), fixApply);
  return pass(
    title,
    `all ${plural(active.length, "device")} of active users are in the serial list of their OS`,
  );
}

function dnsServers(entry: Loose | undefined): string[] {
  return Array.isArray(entry?.dns_server) ? entry!.dns_server.map(String) : [];
}

function fallbackCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
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

function splitTunnelCheck(stack: StackInfo, inv: Inventory, apply: string): CheckResult {
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

function proxyCheck(inv: Inventory, apply: string): CheckResult {
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

function sessionsCheck(stack: StackInfo, users: Users, inv: Inventory, apply: string): CheckResult {
  const title = "Session lengths";
  const { appMinutes, warpMinutes, app, warp } = users.state.sessions;
  const shown = (v: unknown) => {
    const m = goDurationMinutes(v);
    return m === undefined ? String(v ?? "unset") : formatDuration(m);
  };
  const problems: string[] = [];
  const hostnames = new Set(stack.config.apps.map((a) => a.hostname));
  for (const a of inv.apps.filter((x) => hostnames.has(x.domain))) {
    if (goDurationMinutes(a.session_duration) !== appMinutes)
      problems.push(`app ${a.domain} is ${shown(a.session_duration)}, ${users.name} says ${app}`);
  }
  if (
    inv.policy?.session_duration !== undefined &&
    goDurationMinutes(inv.policy.session_duration) !== appMinutes
  ) {
    problems.push(
      `the policy's session is ${shown(inv.policy.session_duration)} (it overrides the app's), ${users.name} says ${app}`,
    );
  }
  const org = inv.organization;
  if (!org) problems.push("the Zero Trust organization does not exist, so there is no WARP session setting");
  else {
    if (goDurationMinutes(org.warp_auth_session_duration) !== warpMinutes)
      problems.push(`WARP session is ${shown(org.warp_auth_session_duration)}, ${users.name} says ${warp}`);
    if (org.allow_authenticate_via_warp !== true)
      problems.push("WARP authentication is off, so the WARP session length does not apply");
  }
  if (problems.length) {
    return fail(
      title,
      problems.join("; "),
      `${apply} (dashboard: Access > Applications > Session duration; Settings > WARP Client > Global settings)`,
    );
  }
  return pass(title, `app ${app}, WARP ${warp}, as in ${users.name}`);
}

function localDomainCheck(stack: StackInfo, inv: Inventory): CheckResult {
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
