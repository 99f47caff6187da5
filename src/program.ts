import * as pulumi from "@pulumi/pulumi";
import { basename, resolve } from "node:path";
import { Access } from "../components/access";
import { Connector } from "../components/connector";
import { DeviceProfile } from "../components/device-profile";
import { ListMembers } from "../components/list-members";
import { Logpush } from "../components/logpush";
import { Organization } from "../components/organization";
import { DevicePosture } from "../components/posture";
import { IdentityProviders } from "../components/identity-providers";
import { ServiceTokens } from "../components/service-tokens";
import { Revocation } from "../components/revocation";
import { Tunnel } from "../components/tunnel";
import { CONFIG_NAMESPACE, requireStackConfig, stackFileLocator } from "./config/load";
import { dockerPreflight } from "./docker/preflight";
import { StackConfig } from "./config/schema";
import { SECRET_KEYS, stackFilePath } from "./config/stack-file";
import { emailLists, serialLists } from "./model/access";
import { connectorSpec, renderCompose } from "./model/connector";
import { DesiredState, summarize } from "./model/desired";
import { COMPONENT } from "./model/objects";
import { audienceSpecs, identityProviders } from "./model/audiences";
import { registerScheduledImports } from "./converge/imports";
import { grantsOf } from "./model/revocation";
import { formatProblem, InputError } from "./users/problems";
import { checkPortalAgainstConfig } from "./model/portal-config-check";
import { requireUsersFile } from "./users/load";

// The stack's program, shared by `pulumi up` in this directory (index.ts) and the Automation API driver.
// It reads config and users.yaml once, validates everything, and only then declares resources.

export interface ProgramOptions {
  /** Where users.yaml and Pulumi.<stack>.yaml live. */
  projectDir: string;
  /** YYYY-MM-DD to evaluate `expires` against; today (UTC) by default. */
  today?: string;
  /** Check the Docker engine before declaring the connector (default true; off under mocks). */
  dockerPreflight?: boolean;
}

const STRING_KEYS = new Set(["accountId", "zoneId", "teamName", "usersFile", "tunnelName"]);

/** The `zt:` values as the engine holds them (`ns:key` -> text), objects parsed. */
function readConfigValues(all: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(all)) {
    const [ns, name] = key.split(":");
    if (ns !== CONFIG_NAMESPACE || (SECRET_KEYS as readonly string[]).includes(name)) continue;
    values[name] = STRING_KEYS.has(name) ? raw : parseJson(raw);
  }
  return values;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Config and users.yaml, validated. Inside the engine the config is the running stack's; outside it (the
 * collision guard, src/converge) the caller passes the stack's name and values read through the engine.
 */
export function readInputs(
  opts: ProgramOptions,
  from: { stack: string; config: Record<string, string> } = {
    stack: pulumi.getStack(),
    config: pulumi.runtime.allConfig(),
  },
): { config: StackConfig; desired: DesiredState } {
  const stackFile = stackFilePath(opts.projectDir, from.stack);
  const problems = [];
  let config: StackConfig | undefined;
  try {
    config = requireStackConfig(readConfigValues(from.config), stackFile);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...e.problems);
  }
  const usersPath = resolve(opts.projectDir, config?.usersFile ?? "users.yaml");
  let desired: DesiredState | undefined;
  try {
    desired = requireUsersFile(usersPath, { displayName: basename(usersPath), today: opts.today });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // The lockout rule (src/model/lockout.ts) is the same one validate and the plan apply; here it
    // stops the deployment, so it says so.
    problems.push(
      ...e.problems.map((p) => (p.rule === "lockout" ? { ...p, message: `refused: ${p.message}` } : p)),
    );
  }
  if (config && desired) {
    // The references between the two files (access keys <-> zt:apps, login: idp <-> identity providers, seats).
    const locate = stackFileLocator(stackFile);
    const cross = checkPortalAgainstConfig(desired, config, {
      usersFile: basename(usersPath),
      stackFile,
      stackAt: (path) => locate([`${CONFIG_NAMESPACE}:${String(path[0])}`, ...path.slice(1).map(String)]),
    });
    problems.push(...cross.problems);
    for (const w of cross.warnings) pulumi.log.warn(formatProblem(w));
    problems.push(
      ...missingIdpSecrets(config, from.config[`${CONFIG_NAMESPACE}:identityProviderSecrets`], stackFile),
    );
  }
  if (problems.length > 0 || !config || !desired) throw new InputError(problems);
  return { config, desired };
}

export async function program(opts: ProgramOptions): Promise<Record<string, unknown>> {
  try {
    const inputs = readInputs(opts);
    if (inputs.config.connector.enabled && opts.dockerPreflight !== false) {
      const file = stackFilePath(opts.projectDir, pulumi.getStack());
      const problems = await dockerPreflight(inputs.config, file, stackFileLocator(file));
      if (problems.length > 0) throw new InputError(problems);
    }
    return declare(opts, inputs);
  } catch (e) {
    // RunError ends the run with just the message: the problems list is the whole story, no stack trace.
    if (e instanceof InputError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** Declares the resources for inputs readInputs accepted (exported for tests that build the model directly). */
export function declare(
  opts: ProgramOptions,
  { config, desired }: { config: StackConfig; desired: DesiredState },
): Record<string, unknown> {
  registerScheduledImports();
  const cf = new pulumi.Config("cloudflare");
  const apiToken =
    cf.getSecret("apiToken") ??
    (process.env.CLOUDFLARE_API_TOKEN ? pulumi.secret(process.env.CLOUDFLARE_API_TOKEN) : undefined);
  if (!apiToken)
    throw new InputError([
      {
        file: stackFilePath(opts.projectDir, pulumi.getStack()),
        line: 1,
        col: 1,
        message:
          "no API token: run `pulumi config set --secret cloudflare:apiToken ...` or set CLOUDFLARE_API_TOKEN",
      },
    ]);
  const baseUrl = cf.get("baseUrl") ?? process.env.CLOUDFLARE_BASE_URL;
  const { accountId } = config;

  const tunnel = new Tunnel(COMPONENT.tunnel, {
    accountId,
    zoneId: config.zoneId,
    tunnelName: config.tunnelName,
    apps: config.apps,
    privateCidr: config.privateNetwork.cidr,
  });
  const posture = new DevicePosture(COMPONENT.posture, { accountId, lists: serialLists(desired) });
  // Portal mode (docs/design-portal.md); a legacy file declares none of this, and an empty config
  // list of identity providers declares no provider.
  const portal = desired.portal;
  const providers = identityProviders(config.identityProviders, portal);
  const idps =
    providers.length > 0
      ? new IdentityProviders(COMPONENT.identityProviders, {
          accountId,
          providers,
          secrets: identityProviderSecrets(),
        })
      : undefined;
  const tokens =
    portal && portal.serviceTokens.length > 0
      ? new ServiceTokens(COMPONENT.serviceTokens, { accountId, tokens: portal.serviceTokens })
      : undefined;
  const access = new Access(COMPONENT.access, {
    accountId,
    apps: config.apps,
    sessionDuration: desired.sessions.app,
    emailLists: portal ? [] : emailLists(desired),
    postureRuleIds: posture.ruleIds,
    portal: portal && {
      specs: audienceSpecs(portal, providers),
      providers,
      idpIds: idps?.ids ?? {},
      tokenIds: Object.fromEntries(Object.entries(tokens?.tokens ?? {}).map(([n, t]) => [n, t.id])),
    },
  });
  new ListMembers("members", {
    accountId,
    lists: [...access.emailLists, ...(access.audiences?.lists ?? []), ...posture.serialLists],
    listApi: { apiToken, baseUrl },
    attachments: access.attachments,
  });
  new Organization("organization", {
    accountId,
    teamName: config.teamName,
    warpSessionDuration: desired.sessions.warp,
  });
  new DeviceProfile("device-profile", {
    accountId,
    privateCidr: config.privateNetwork.cidr,
    internalDomain: config.privateNetwork.internalDomain,
    dnsmasqAddress: config.privateNetwork.dnsmasqAddress,
    extraFallback: config.privateNetwork.extraFallback,
  });
  new Revocation("revoke-on-removal", {
    accountId,
    apiToken,
    baseUrl,
    grants: grantsOf(desired),
  });
  if (config.logpush) {
    const credential = new pulumi.Config(CONFIG_NAMESPACE).getSecret("logpushSecret") ?? pulumi.secret("");
    new Logpush("logpush", { accountId, config: config.logpush, credential });
  }
  const spec = connectorSpec(config);
  if (config.connector.enabled)
    new Connector("connector", { dockerHost: config.connector.dockerHost, spec, token: tunnel.token });

  const summary = summarize(desired);
  return {
    applicationUrls: config.apps.map((a) => `https://${a.hostname}`),
    tunnelId: tunnel.tunnelId,
    tunnelToken: tunnel.token,
    users: summary.activeUsers,
    devices: summary.devices,
    devicesPerOs: summary.perOs,
    managedEmails: desired.activeUsers.map((u) => u.email),
    managedSerials: desired.activeUsers.flatMap((u) => u.devices.map((d) => d.serial)),
    sessions: { app: desired.sessions.app, warp: desired.sessions.warp },
    dockerCompose: renderCompose(spec),
    ...(tokens
      ? {
          // Both halves are secrets: the client id alone names the token to an attacker who finds a secret.
          serviceTokens: pulumi.secret(
            Object.fromEntries(
              Object.entries(tokens.tokens).map(([n, t]) => [
                n,
                { clientId: t.clientId, clientSecret: t.clientSecret },
              ]),
            ),
          ),
        }
      : {}),
  };
}

/**
 * Every OAuth identity provider needs its client secret in zt:identityProviderSecrets: refused before any
 * write (Cloudflare would refuse the provider mid-apply). Only names are compared; no value is printed.
 */
export function missingIdpSecrets(config: StackConfig, raw: string | undefined, stackFile: string) {
  let secrets: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      secrets = parsed as Record<string, unknown>;
  } catch {
    // A value that is not JSON names no provider: every OAuth provider is reported below.
  }
  const locate = stackFileLocator(stackFile);
  return config.identityProviders.flatMap((p, i) =>
    p.type === "onetimepin" || (typeof secrets[p.name] === "string" && secrets[p.name] !== "")
      ? []
      : [
          {
            file: stackFile,
            ...locate([`${CONFIG_NAMESPACE}:identityProviders`, String(i), "name"]),
            message:
              `identity provider ${p.name} (${p.type}) has no client secret: run ` +
              `\`pulumi config set --secret ${CONFIG_NAMESPACE}:identityProviderSecrets '{"${p.name}": "..."}'\`` +
              " (a JSON map of provider name to client secret, all providers in one value)",
          },
        ],
  );
}

/** zt:identityProviderSecrets (IdP name -> client secret), kept a secret; empty when unset. */
function identityProviderSecrets(): pulumi.Output<Record<string, string>> {
  const raw = new pulumi.Config(CONFIG_NAMESPACE).getSecret("identityProviderSecrets");
  return pulumi.secret(
    pulumi.output(raw).apply((text) => (text ? (parseJson(text) as Record<string, string>) : {})),
  );
}
