import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPONENT, RESOURCE, TYPE } from "../model/objects";
import type { FoundApp, FoundPolicy, FoundTunnel } from "./discovery";

// The adoption record, `adoption.<stack>.json` beside the stack file, committed with users.yaml: what the
// next `up` imports into the stack (Pulumi's `import` option, through src/converge/imports.ts), what it
// sends with the creates of resources Cloudflare cannot import (device settings), and which hand-made
// objects it deletes once nothing uses them. It holds ids only: no token, no secret.

export interface AdoptionRecord {
  version: 1;
  stack: string;
  accountId: string;
  adoptedAt: string;
  /** One per existing object: Pulumi type, resource name (as components/ name it) and import id. */
  imports: { type: string; name: string; id: string; what: string }[];
  /** Inputs sent with a create (the resource has no import): values the account held, kept. */
  carry: { type: string; name: string; props: Record<string, unknown>; what: string }[];
  /** What the first apply changes, in the admin's words (the pull-request plan shows it). */
  firstApply: string[];
  /** Hand-made objects the stack replaces with its own; deleted after the apply, once nothing refers to them. */
  retire: { kind: "postureRule" | "list"; id: string; name: string; what: string }[];
}

export const recordFileName = (stack: string) => `adoption.${stack}.json`;
export const recordPath = (projectDir: string, stack: string) => join(projectDir, recordFileName(stack));

export function readRecord(projectDir: string, stack: string): AdoptionRecord | undefined {
  const file = recordPath(projectDir, stack);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, "utf8")) as AdoptionRecord;
  if (record.version !== 1)
    throw new Error(`${file}: unknown adoption record version ${String(record.version)}`);
  return record;
}

/** Pulumi resource names of the children the components declare (components/tunnel.ts, device-profile.ts). */
export const ADOPTED = {
  tunnelConfig: {
    type: "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
    name: "tunnel-config",
  },
  route: {
    type: "cloudflare:index/zeroTrustTunnelCloudflaredRoute:ZeroTrustTunnelCloudflaredRoute",
    name: "tunnel-private-route",
  },
  dns: { type: "cloudflare:index/dnsRecord:DnsRecord", name: (host: string) => `tunnel-dns-${host}` },
  fallback: {
    type: "cloudflare:index/zeroTrustDeviceDefaultProfileLocalDomainFallback:ZeroTrustDeviceDefaultProfileLocalDomainFallback",
    name: "device-profile-local-domain-fallback",
  },
  defaultProfile: {
    type: "cloudflare:index/zeroTrustDeviceDefaultProfile:ZeroTrustDeviceDefaultProfile",
    name: "device-profile-default",
  },
} as const;

/** Import ids in the formats of the provider's ImportState (see each resource's `pulumi import` doc). */
export function adoptionImports(a: {
  accountId: string;
  zoneId: string;
  tunnel: FoundTunnel;
  routeId: string;
  dnsId?: string;
  host: string;
  app: FoundApp;
  policy: FoundPolicy;
}): AdoptionRecord["imports"] {
  const acc = a.accountId;
  return [
    {
      type: TYPE.tunnel,
      name: RESOURCE.tunnel(COMPONENT.tunnel),
      id: `${acc}/${a.tunnel.id}`,
      what: `tunnel "${a.tunnel.name}"`,
    },
    { ...ADOPTED.tunnelConfig, id: `${acc}/${a.tunnel.id}`, what: `public hostnames of "${a.tunnel.name}"` },
    { ...ADOPTED.route, id: `${acc}/${a.routeId}`, what: "private network route" },
    ...(a.dnsId
      ? [
          {
            type: ADOPTED.dns.type,
            name: ADOPTED.dns.name(a.host),
            id: `${a.zoneId}/${a.dnsId}`,
            what: `DNS record ${a.host}`,
          },
        ]
      : []),
    {
      type: TYPE.application,
      name: RESOURCE.application(COMPONENT.access, { hostname: a.host }),
      id: `accounts/${acc}/${a.app.id}`,
      what: `Access application "${a.app.name}"`,
    },
    {
      type: TYPE.policy,
      name: RESOURCE.allowPolicy(COMPONENT.access),
      id: `${acc}/${a.policy.id}`,
      what: `Allow policy "${a.policy.name}"`,
    },
    { ...ADOPTED.fallback, id: acc, what: "Local Domain Fallback" },
    { ...ADOPTED.defaultProfile, id: acc, what: "default device profile" },
  ];
}

/** What one `up` schedules: imports and carried inputs for the record's resources not yet in the state. */
export function pendingAdoption(
  record: AdoptionRecord,
  inState: ReadonlySet<string>,
): { type: string; name: string; id?: string; props?: Record<string, unknown> }[] {
  const key = (type: string, name: string) => `${type}::${name}`;
  return [
    ...record.imports
      .filter((i) => !inState.has(key(i.type, i.name)))
      .map(({ type, name, id }) => ({ type, name, id })),
    ...record.carry
      .filter((c) => !inState.has(key(c.type, c.name)))
      .map(({ type, name, props }) => ({ type, name, props })),
  ];
}
