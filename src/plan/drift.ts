import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { PlannedChange } from "../engine/changes";
import { resourceName } from "./engine";

// The scheduled drift check: `preview --refresh --expect-no-changes` read as a report. The refresh steps
// say what changed in Cloudflare behind Pulumi's back (resource, property); the planned steps say what the
// next apply would do about it, plus anything desired that was never applied (an expiry, a failed apply).
// Pure over the engine's events, so it is tested on recorded output.

export const DRIFT_MARKER = "<!-- zt-gitops-drift -->";

export interface DriftedResource {
  urn: string;
  type: string;
  name: string;
  /** Top-level properties whose value in Cloudflare differs from the state. */
  properties: string[];
  /** The resource no longer exists in Cloudflare. */
  gone: boolean;
  /** Readable detail: scalar values before and after, and entries added to or removed from a list. */
  details: string[];
}

export interface DriftFindings {
  /** Changed in Cloudflare, and the next apply changes it back (or recreates it). */
  drifted: DriftedResource[];
  /** Changed in Cloudflare, but nothing the next apply would touch (computed values, or values set through another resource). */
  unmanaged: DriftedResource[];
  /** What the next apply would change (corrections of drift, and desired changes not applied yet). */
  planned: PlannedChange[];
}

const NOT_A_CHANGE = new Set(["same", "read", "refresh"]);

/** Engine bookkeeping, not Cloudflare properties. */
const internal = (key: string) => key.startsWith("__");

function changedKeys(oldOut: Record<string, unknown> = {}, newOut: Record<string, unknown> = {}): string[] {
  const keys = new Set([...Object.keys(oldOut), ...Object.keys(newOut)]);
  return [...keys]
    .filter((k) => !internal(k) && JSON.stringify(oldOut[k]) !== JSON.stringify(newOut[k]))
    .sort();
}

const SHOWN = (v: unknown): v is string | number | boolean =>
  (typeof v === "string" && v !== "[secret]" && v.length <= 80) ||
  typeof v === "number" ||
  typeof v === "boolean";

/** A list's entries (components/list-entries.ts): dynamic resources under the ListMembers component. */
const isEntries = (type: string, urn: string) =>
  type === DYNAMIC_TYPE && urn.includes("zt:index:ListMembers$");

/** Zero Trust lists hold who may get in: name the entries someone added or removed by hand. */
function listEntries(outputs: Record<string, unknown> | undefined, key = "items"): string[] | undefined {
  const items = outputs?.[key];
  if (!Array.isArray(items)) return undefined;
  return items
    .map((i) => (typeof i === "object" && i !== null ? (i as { value?: unknown }).value : i))
    .filter(SHOWN)
    .map(String);
}

function details(
  type: string,
  urn: string,
  properties: string[],
  oldOut: Record<string, unknown> = {},
  newOut: Record<string, unknown> = {},
): string[] {
  const out: string[] = [];
  for (const p of properties) {
    if (SHOWN(oldOut[p]) && SHOWN(newOut[p])) out.push(`${p}: ${String(oldOut[p])} → ${String(newOut[p])}`);
  }
  // The entries resource holds them as `values`; a plain list (older stacks) as `items`.
  const key = isEntries(type, urn) ? "values" : type === LIST_TYPE ? "items" : undefined;
  if (key && properties.includes(key)) {
    const before = new Set(listEntries(oldOut, key) ?? []);
    const after = new Set(listEntries(newOut, key) ?? []);
    const added = [...after].filter((v) => !before.has(v)).sort();
    const removed = [...before].filter((v) => !after.has(v)).sort();
    if (added.length) out.push(`added by hand: ${added.join(", ")}`);
    if (removed.length) out.push(`removed by hand: ${removed.join(", ")}`);
  }
  return out;
}

const LIST_TYPE = "cloudflare:index/zeroTrustList:ZeroTrustList";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

export function driftFromEvents(events: readonly EngineEvent[]): DriftFindings {
  const drifted = new Map<string, DriftedResource>();
  const planned = new Map<string, PlannedChange>();
  for (const e of events) {
    const out = e.resOutputsEvent?.metadata;
    // Components and the stack resource have no Cloudflare counterpart.
    if (out && out.op === "refresh" && out.old?.custom && !out.type.startsWith("pulumi:providers:")) {
      const gone = out.new === undefined || out.new === null;
      // The outputs themselves say which properties moved; the engine's own `diffs` for a refresh can name
      // bridge bookkeeping fields instead (seen with the device profile), so it is only the fallback.
      const properties = gone ? [] : changedKeys(out.old?.outputs, out.new?.outputs);
      const fallback = (out.diffs ?? []).filter((k) => !internal(k));
      if (gone || properties.length > 0 || fallback.length > 0) {
        const props = properties.length ? properties : fallback;
        drifted.set(out.urn, {
          urn: out.urn,
          type: out.type,
          name: resourceName(out.urn),
          properties: props,
          gone,
          details: gone ? [] : details(out.type, out.urn, props, out.old?.outputs, out.new?.outputs),
        });
      }
    }
    const pre = e.resourcePreEvent?.metadata;
    if (pre && !NOT_A_CHANGE.has(pre.op) && !planned.has(pre.urn)) {
      planned.set(pre.urn, { urn: pre.urn, type: pre.type, op: pre.op, diffs: pre.diffs ?? [] });
    }
  }
  // Sorted by resource name: the engine's event order varies from run to run, and the daily issue
  // should only change when the drift does.
  const byName = (a: { urn: string }, b: { urn: string }) =>
    resourceName(a.urn).localeCompare(resourceName(b.urn)) || a.urn.localeCompare(b.urn);
  const all = [...drifted.values()].sort(byName);
  return {
    drifted: all.filter((d) => d.gone || planned.has(d.urn)),
    unmanaged: all.filter((d) => !d.gone && !planned.has(d.urn)),
    planned: [...planned.values()].sort(byName),
  };
}

/** `--expect-no-changes`: drift is anything the next apply would do. Differences it would leave alone are reported, not counted. */
export function hasDrift(f: DriftFindings): boolean {
  return f.drifted.length > 0 || f.planned.length > 0;
}

const FRIENDLY: Record<string, string> = {
  "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared": "tunnel",
  "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig":
    "tunnel public hostnames",
  "cloudflare:index/zeroTrustTunnelCloudflaredRoute:ZeroTrustTunnelCloudflaredRoute":
    "tunnel private network route",
  "cloudflare:index/dnsRecord:DnsRecord": "DNS record",
  "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication": "Access application",
  "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy": "Access policy",
  "cloudflare:index/zeroTrustAccessGroup:ZeroTrustAccessGroup": "Access group",
  "cloudflare:index/zeroTrustList:ZeroTrustList": "list (emails or serial numbers)",
  "cloudflare:index/zeroTrustDevicePostureRule:ZeroTrustDevicePostureRule": "device posture rule",
  "cloudflare:index/zeroTrustDeviceDefaultProfile:ZeroTrustDeviceDefaultProfile":
    "device profile (Split Tunnels)",
  "cloudflare:index/zeroTrustDeviceDefaultProfileLocalDomainFallback:ZeroTrustDeviceDefaultProfileLocalDomainFallback":
    "Local Domain Fallback",
  "cloudflare:index/zeroTrustDeviceSettings:ZeroTrustDeviceSettings": "device settings (Gateway proxy)",
  "cloudflare:index/zeroTrustOrganization:ZeroTrustOrganization": "Zero Trust organization (WARP session)",
  "cloudflare:index/logpushJob:LogpushJob": "Logpush job",
  "pulumi-nodejs:dynamic:Resource": "revocation ledger (who holds access)",
};

export function friendlyType(type: string, urn = ""): string {
  if (isEntries(type, urn)) return "list entries (emails or serial numbers)";
  return FRIENDLY[type] ?? type.split(":").pop() ?? type;
}

export interface DriftContext {
  stack: string;
  /** When the check ran, ISO timestamp. */
  when: string;
  /** Users past their last day who are still in the deployed lists (the last apply predates the expiry). */
  expiredNotApplied: { email: string; expires: string }[];
  /** How to run the apply from here, e.g. "Actions → apply → Run workflow". */
  applyHint: string;
}

const code = (s: string) => `\`${s}\``;
/** Values come from Cloudflare: keep them from breaking the table or rendering as Markdown. */
const cellText = (s: string) => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

export function renderDrift(f: DriftFindings, ctx: DriftContext): string {
  const out = [DRIFT_MARKER, `## Drift on stack ${code(ctx.stack)}`, ""];
  if (!hasDrift(f) && ctx.expiredNotApplied.length === 0) {
    out.push(
      `No drift: Cloudflare matches the last apply, and users.yaml and the stack config have nothing left to apply (checked ${ctx.when}).`,
    );
    return out.join("\n") + "\n";
  }
  out.push(`Checked ${ctx.when} with a refresh and a preview.`, "");
  if (f.drifted.length > 0) {
    out.push(`### Changed outside Git (${f.drifted.length})`, "");
    out.push(
      "Someone or something changed these in Cloudflare (the dashboard, the API) since the last apply:",
      "",
    );
    out.push("| Resource | What it is | Changed properties | Detail |", "| --- | --- | --- | --- |");
    for (const d of f.drifted) {
      out.push(
        `| ${code(d.name)} | ${friendlyType(d.type, d.urn)} | ${d.gone ? "**deleted**" : d.properties.map(code).join(", ")} | ${d.details.map(cellText).join("<br>") || "-"} |`,
      );
    }
    out.push("");
  }
  const driftedUrns = new Set(f.drifted.map((d) => d.urn));
  if (f.planned.length > 0) {
    out.push(`### What the next apply would change (${f.planned.length})`, "");
    out.push("| Resource | What it is | Action | Properties | Why |", "| --- | --- | --- | --- | --- |");
    for (const p of f.planned) {
      const why = driftedUrns.has(p.urn)
        ? "puts back what users.yaml and the stack config say"
        : "not applied yet (an expiry, or a change whose apply did not run)";
      out.push(
        `| ${code(resourceName(p.urn))} | ${friendlyType(p.type, p.urn)} | ${p.op} | ${p.diffs.map(code).join(", ") || "-"} | ${why} |`,
      );
    }
    out.push("");
  }
  if (f.unmanaged.length > 0) {
    out.push(
      `<details><summary>Other differences the apply leaves alone (${f.unmanaged.length})</summary>`,
      "",
    );
    out.push(
      "Values Cloudflare computes, or that another resource of this stack sets; listed for the record.",
      "",
    );
    out.push("| Resource | What it is | Changed properties |", "| --- | --- | --- |");
    for (const d of f.unmanaged)
      out.push(`| ${code(d.name)} | ${friendlyType(d.type, d.urn)} | ${d.properties.map(code).join(", ")} |`);
    out.push("", "</details>", "");
  }
  if (ctx.expiredNotApplied.length > 0) {
    out.push(`### Access expired but not yet revoked (${ctx.expiredNotApplied.length})`, "");
    out.push(
      "Their last day has passed, but the lists in Cloudflare still hold them until the next apply:",
      "",
    );
    for (const u of ctx.expiredNotApplied) out.push(`- ${code(u.email)} (last day ${u.expires})`);
    out.push("");
  }
  out.push("### What to do", "");
  if (f.drifted.length > 0) {
    out.push(
      `- If the change in Cloudflare was intended, write it into users.yaml or the stack config in a pull request; otherwise run the apply with refresh (${ctx.applyHint}) to put Cloudflare back.`,
    );
    out.push("- Check the Access logs (Logs → Access) for what happened around the time of the change.");
  }
  if (f.planned.some((p) => !driftedUrns.has(p.urn)) || ctx.expiredNotApplied.length > 0) {
    out.push(
      `- The deployed stack is behind main (an expiry, or an apply that did not run or failed): run the apply (${ctx.applyHint}) so Cloudflare catches up.`,
    );
  }
  return out.join("\n") + "\n";
}
