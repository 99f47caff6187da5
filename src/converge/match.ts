import type { AccountObject, Inventory } from "../cloudflare/inventory";
import { KIND_LABEL, type PlannedObject } from "../model/objects";

// Pure comparisons between what the program declares (src/model/objects.ts), what the stack's state
// holds and what the account holds: which creates would collide with an object nobody manages, which
// pending creates of an interrupted run can be imported, and which duplicates a retried create left.

/** A resource of the stack's state, as `exportStack` gives it. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
}

/** A pending operation of the stack's state (`pending_operations`), as `exportStack` gives it. */
export interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; parent?: string; id?: string };
}

/** `urn:pulumi:stack::project::parent$type::name` -> name. */
export const urnName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

const key = (type: string, name: string) => `${type}\u0000${name}`;

/** Ids of every resource in state: an account object with one of these is the stack's own. */
export function managedIds(state: readonly StateResource[]): Set<string> {
  return new Set(state.map((r) => r.id).filter((id): id is string => typeof id === "string" && id !== ""));
}

/** The planned objects that are not in the state yet: what the next `up` would create. */
export function toCreate(
  planned: readonly PlannedObject[],
  state: readonly StateResource[],
): PlannedObject[] {
  const present = new Set(state.map((r) => key(r.type, urnName(r.urn))));
  return planned.filter((p) => !present.has(key(p.type, p.resource)));
}

/**
 * Account objects that are the same thing as `p`: same name, for an application the same hostname, for
 * the one-time PIN provider any one-time PIN provider (an account has one, whatever it is called).
 */
export function sameObjects(p: PlannedObject, inventory: Inventory): AccountObject[] {
  return inventory.filter((o) =>
    o.kind !== p.kind
      ? false
      : p.kind === "application"
        ? (o.domains ?? []).includes((p.domain ?? "").toLowerCase())
        : p.idpType === "onetimepin"
          ? o.idpType === "onetimepin"
          : o.name === p.name,
  );
}

export interface Collision {
  planned: PlannedObject;
  existing: AccountObject[];
}

/** Creates that would make a second object beside one the stack does not manage. */
export function findCollisions(
  creates: readonly PlannedObject[],
  inventory: Inventory,
  managed: ReadonlySet<string>,
): Collision[] {
  return creates
    .map((planned) => ({
      planned,
      existing: sameObjects(planned, inventory).filter((o) => !managed.has(o.id)),
    }))
    .filter((c) => c.existing.length > 0);
}

export function describeObject(o: AccountObject): string {
  const label = KIND_LABEL[o.kind];
  const domains = o.kind === "application" && o.domains?.length ? ` for ${o.domains.join(", ")}` : "";
  return `${label} "${o.name}"${domains} (id ${o.id})`;
}

export function collisionMessage(stack: string, collisions: readonly Collision[]): string {
  const lines = collisions.flatMap((c) =>
    c.existing.map(
      (o) =>
        `  - ${describeObject(o)}: this stack would create ${KIND_LABEL[c.planned.kind]} "${c.planned.name}"` +
        `${c.planned.domain ? ` for ${c.planned.domain}` : ""} beside it`,
    ),
  );
  return [
    `Refused before any change: the account already has objects this stack does not manage, and the`,
    `stack "${stack}" would create a second one of each:`,
    ...lines,
    `Adopt them into the stack with \`npm run adopt -- --stack ${stack}\`, or rename or delete them in`,
    `Cloudflare, then run this again. Nothing was changed.`,
    ...(stack === "local"
      ? [`(The local stack's account is the emulator's: deleting .zt/emulator-state.json empties it.)`]
      : []),
  ].join("\n");
}

export type PendingResolution =
  | { action: "import"; urn: string; planned: PlannedObject; object: AccountObject; parent?: string }
  | { action: "clear"; urn: string; reason: string };

/**
 * What to do with each pending create an interrupted run left: a named object the account holds exactly
 * once (and nobody manages) was created by that run, so it is imported; otherwise the create is cleared
 * and the next `up` makes it (the collision guard still refuses when several candidates exist).
 */
export function resolvePendingCreates(
  pending: readonly PendingOperation[],
  planned: readonly PlannedObject[],
  inventory: Inventory,
  managed: ReadonlySet<string>,
): PendingResolution[] {
  return pending
    .filter((op) => op.type === "creating")
    .map((op): PendingResolution => {
      const urn = op.resource.urn;
      const p = planned.find((x) => x.type === op.resource.type && x.resource === urnName(urn));
      if (!p) return { action: "clear", urn, reason: "not a named object; the next up writes it again" };
      const found = sameObjects(p, inventory).filter((o) => !managed.has(o.id));
      if (found.length === 1)
        return { action: "import", urn, planned: p, object: found[0], parent: op.resource.parent };
      return found.length === 0
        ? { action: "clear", urn, reason: `not found in Cloudflare; the next up creates it` }
        : {
            action: "clear",
            urn,
            reason: `${found.length} candidates in Cloudflare; left to the collision guard`,
          };
    });
}

/**
 * After a run: objects with a planned name that nobody manages and that did not exist before the run.
 * They were made by this run's retried creates (a lost response: Cloudflare did it, then answered 5xx).
 */
export function strayDuplicates(
  planned: readonly PlannedObject[],
  after: Inventory,
  managed: ReadonlySet<string>,
  before: ReadonlySet<string>,
): AccountObject[] {
  const seen = new Set<string>();
  return planned
    .flatMap((p) => sameObjects(p, after))
    .filter((o) => !managed.has(o.id) && !before.has(o.id) && !seen.has(o.id) && (seen.add(o.id), true));
}
