// What product e2e tests and the benchmark read from a run: the engine's steps (every resource,
// `same` included), the CLI's text, and what the emulator received, counted and filtered.
import type { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { shortUrn, summarizeChanges, type PlannedChange } from "../../src/engine";
import type { Grants } from "../../src/model/revocation";

export interface Step {
  /** Resource name (the last URN segment), e.g. `access-emails-0`. */
  name: string;
  /** Pulumi type token, e.g. `cloudflare:index/zeroTrustList:ZeroTrustList`. */
  type: string;
  op: OpType;
  /** Top-level properties that differ, when the provider reported them. */
  diffs: string[];
  urn: string;
}

/** Collects everything one operation says: engine events, stdout and stderr. */
export interface RunCapture {
  events: EngineEvent[];
  stdout: string[];
  stderr: string[];
  /** The options to hand to preview/up/refresh/destroy. */
  opts: { onEvent(e: EngineEvent): void; onOutput(s: string): void; onError(s: string): void };
  /** stdout and stderr together. */
  text(): string;
  /** Every planned step of a managed resource (the stack itself and refresh/read steps left out). */
  steps(): Step[];
}

export function capture(echo = false): RunCapture {
  const c: RunCapture = {
    events: [],
    stdout: [],
    stderr: [],
    opts: {
      onEvent: (e) => c.events.push(e),
      onOutput: (s) => (c.stdout.push(s), echo && process.stdout.write(s)),
      onError: (s) => (c.stderr.push(s), echo && process.stderr.write(s)),
    },
    text: () => [...c.stdout, ...c.stderr].join(""),
    steps: () => planSteps(c.events),
  };
  return c;
}

const NOT_A_PLAN_STEP: ReadonlySet<OpType> = new Set<OpType>(["read", "refresh"]);

/** Every resource's planned step, `same` included, from the engine's pre-events. */
export function planSteps(events: EngineEvent[]): Step[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter(
      (m): m is NonNullable<typeof m> =>
        m !== undefined && !NOT_A_PLAN_STEP.has(m.op) && m.type !== "pulumi:pulumi:Stack",
    )
    .map((m) => ({
      name: m.urn.split("::").pop()!,
      type: m.type,
      op: m.op,
      diffs: m.diffs ?? [],
      urn: m.urn,
    }));
}

/** `op type::name (diffs)` lines, for readable failure messages. */
export function describeSteps(steps: Step[]): string[] {
  return steps.map((s) => `${s.op} ${shortUrn(s.urn)}${s.diffs.length ? ` (${s.diffs.join(", ")})` : ""}`);
}

/** The revocation ledger (components/revocation.ts): one dynamic resource holding email -> serials. */
export const LEDGER_TYPE = "pulumi-nodejs:dynamic:Resource";
export const LEDGER_NAME = "revoke-on-removal-ledger";

/**
 * The ledger's planned change as the product reads it (`summarizeChanges`, what the PR plan and the apply
 * report are built from), with the grants before and after from the engine's own step event. Fails when
 * the operation did not plan a change of the ledger.
 */
export function ledgerChange(events: EngineEvent[]): PlannedChange & { before?: Grants; after?: Grants } {
  const changes = summarizeChanges(events).filter((c) => c.urn.endsWith(`::${LEDGER_NAME}`));
  if (changes.length !== 1)
    throw new Error(
      `expected one change of ${LEDGER_NAME}, got ${changes.length}: ${changes.map((c) => `${c.op} ${shortUrn(c.urn)}`).join(", ")}`,
    );
  const meta = events
    .map((e) => e.resourcePreEvent?.metadata)
    .find((m) => m?.urn === changes[0].urn && m.op === changes[0].op)!;
  const grants = (s: typeof meta.old) => (s?.inputs as { grants?: Grants } | undefined)?.grants;
  return { ...changes[0], before: grants(meta.old), after: grants(meta.new) };
}

/** The ledger as deployed: its grants in the stack's state. */
export async function deployedGrants(stack: Stack): Promise<Grants | undefined> {
  const state = await stack.exportStack();
  const ledger = (state.deployment.resources as Array<{ urn: string; inputs?: { grants?: Grants } }>).find(
    (r) => r.urn.endsWith(`::${LEDGER_NAME}`),
  );
  return ledger?.inputs?.grants;
}

/** Requests that revoke something: Access sessions (revoke_user) or WARP registrations. */
export function revokeRequests(requests: RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter(
    (r) =>
      r.method === "POST" &&
      /\/access\/organizations\/revoke_user$|\/devices\/registrations\/revoke$|\/devices\/revoke$/.test(
        r.path,
      ),
  );
}

export const LIST_TYPE = "cloudflare:index/zeroTrustList:ZeroTrustList";

/** API requests (admin calls excluded) counted by method, e.g. `{ GET: 12, POST: 13 }`. */
export function callsByMethod(requests: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) out[r.method] = (out[r.method] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Requests that can change something: anything but GET/HEAD. */
export function writeRequests(requests: RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
}

/** `METHOD /path` below /client/v4, account and zone ids shortened, for messages. */
export function describeRequest(r: RequestLogEntry): string {
  return `${r.method} ${r.path.replace(/^\/client\/v4/, "").replace(/[0-9a-f]{32}/g, "…")}${r.query} -> ${r.status}`;
}

/** Calls the emulator's admin API (plain JSON, no auth). */
export async function admin<T = unknown>(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${emulator.url}/__admin/${path.replace(/^\//, "")}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface ListView {
  id: string;
  name: string;
  type: string;
  items: Array<{ value: string }>;
}

/** The emulator's Zero Trust lists of one type, by name. */
export function listsOfType(emulator: RunningEmulator, type: "EMAIL" | "SERIAL"): ListView[] {
  return (emulator.state.data.lists as unknown as ListView[])
    .filter((l) => l.type === type)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Values of every list whose name matches, e.g. /macos serials/. */
export function listValues(emulator: RunningEmulator, name: RegExp): string[] {
  return emulator.state.data.lists
    .filter((l) => name.test(String(l.name)))
    .flatMap((l) => (l.items as Array<{ value: string }>).map((i) => i.value))
    .sort();
}

/** What objectCounts() is for the repository's users.yaml and Pulumi.local.yaml: one of each, 4 lists, 3 rules. */
export const EXAMPLE_OBJECT_COUNTS = {
  lists: 4,
  accessApps: 1,
  accessGroups: 1,
  accessPolicies: 1,
  postureRules: 3,
  tunnels: 1,
  routes: 1,
  dnsRecords: 1,
};

/** How many objects of each kind the emulator holds: duplicates show up here. */
export function objectCounts(emulator: RunningEmulator): Record<string, number> {
  const s = emulator.state.data;
  return {
    lists: s.lists.length,
    accessApps: s.access.apps.length,
    accessGroups: s.access.groups.length,
    accessPolicies: s.access.policies.length,
    postureRules: s.devices.posture.length,
    tunnels: s.tunnels.items.filter((t) => !t.deleted_at).length,
    routes: s.tunnels.routes.filter((r) => !r.deleted_at).length,
    dnsRecords: s.dnsRecords.length,
  };
}
