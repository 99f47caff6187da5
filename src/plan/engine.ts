import type { PlannedChange } from "../engine/changes";
import { Refusal } from "./guards";

// What the engine's own preview says, reduced to what a reviewer must not miss: its counts, any
// replacement or deletion of the tunnel, an Access application or the Access policy, the revocations it
// will run, and whether WARP clients must reconnect. Pure over the preview's changeSummary and steps
// (the `changeSummary` and `changes` of `npm run preview -- --json`), so it is tested on recorded output.

export interface EnginePreview {
  changeSummary: Record<string, number>;
  changes: PlannedChange[];
}

export type CriticalKind = "tunnel" | "application" | "policy";

export interface CriticalChange {
  kind: CriticalKind;
  /** Pulumi resource name, e.g. "access-app-ocs.example.org". */
  name: string;
  op: "replace" | "delete";
}

export interface EngineFindings {
  counts: { create: number; update: number; replace: number; delete: number; same: number };
  critical: CriticalChange[];
  /** What the revocation ledger's change revokes: sessions and registrations of users, registrations of devices. */
  revocations: { kind: "user" | "device"; subject: string }[];
  /** Resources WARP clients only pick up on reconnect (device profile, Local Domain Fallback, proxy, posture rules, WARP session). */
  warpProfileChanges: string[];
  /** Nothing exists yet: every step is a create. */
  firstDeployment: boolean;
}

const TYPES = {
  tunnel: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared",
  application: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
  policy: "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
} as const satisfies Record<CriticalKind, string>;

/** Resource types whose changes WARP clients pick up only when they disconnect and reconnect (runbook). */
const WARP_PROFILE_TYPES: Record<string, string> = {
  "cloudflare:index/zeroTrustDeviceDefaultProfile:ZeroTrustDeviceDefaultProfile":
    "the device profile (Split Tunnels)",
  "cloudflare:index/zeroTrustDeviceDefaultProfileLocalDomainFallback:ZeroTrustDeviceDefaultProfileLocalDomainFallback":
    "Local Domain Fallback",
  "cloudflare:index/zeroTrustDeviceSettings:ZeroTrustDeviceSettings": "the Gateway proxy settings",
  "cloudflare:index/zeroTrustDevicePostureRule:ZeroTrustDevicePostureRule": "the device posture rules",
  "cloudflare:index/zeroTrustOrganization:ZeroTrustOrganization": "the WARP session settings",
};

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);
const DELETE_OPS = new Set(["delete", "discard"]);
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
const REVOCATION_PARENT = "zt:index:Revocation$";

/** `urn:pulumi:stack::project::parent$type::name` -> name. */
export function resourceName(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

export function engineFindings(preview: EnginePreview): EngineFindings {
  const s = preview.changeSummary;
  const n = (k: string) => s[k] ?? 0;
  const counts = {
    create: n("create") + n("import"),
    update: n("update"),
    replace: n("replace"),
    delete: n("delete") + n("discard"),
    same: n("same"),
  };

  const critical = new Map<string, CriticalChange>();
  const revocations = new Map<string, { kind: "user" | "device"; subject: string }>();
  const warp = new Set<string>();
  for (const c of preview.changes) {
    const kind = (Object.keys(TYPES) as CriticalKind[]).find((k) => TYPES[k] === c.type);
    const op = REPLACE_OPS.has(c.op) ? "replace" : DELETE_OPS.has(c.op) ? "delete" : undefined;
    // One replacement shows as up to three steps; report it once.
    if (kind && op && !critical.has(c.urn)) critical.set(c.urn, { kind, name: resourceName(c.urn), op });

    if (c.type === DYNAMIC_TYPE && c.urn.includes(REVOCATION_PARENT) && c.revokes) {
      for (const subject of c.revokes.users) revocations.set(`user:${subject}`, { kind: "user", subject });
      for (const subject of c.revokes.devices)
        revocations.set(`device:${subject}`, { kind: "device", subject });
    }
    if (WARP_PROFILE_TYPES[c.type]) warp.add(WARP_PROFILE_TYPES[c.type]);
  }
  const firstDeployment =
    counts.create > 0 && counts.same + counts.update + counts.replace + counts.delete === 0;
  const order: Record<CriticalKind, number> = { tunnel: 0, policy: 1, application: 2 };
  return {
    counts,
    critical: [...critical.values()].sort(
      (a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name),
    ),
    revocations: [...revocations.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject),
    ),
    warpProfileChanges: firstDeployment ? [] : [...warp].sort(),
    firstDeployment,
  };
}

/** The connector must be restarted with a new token after a tunnel replacement: refused unless overridden. */
export function tunnelRefusals(f: EngineFindings, allowTunnelReplace: boolean): Refusal[] {
  return f.critical
    .filter((c) => c.kind === "tunnel")
    .map((c) => ({
      code: "tunnel-replace" as const,
      message: `The engine would ${c.op === "replace" ? "replace" : "delete"} the tunnel (\`${c.name}\`): every cloudflared connector must then be restarted with the new tunnel token, and nobody can reach the application until it is.`,
      override: "tunnelReplace" as const,
      overridden: allowTunnelReplace,
    }));
}
