import { ConcurrentUpdateError } from "@pulumi/pulumi/automation";
import { ApiTarget } from "../cloudflare/client";
import { deleteObject, importId, readInventory, type Inventory } from "../cloudflare/inventory";
import type { EngineStack } from "../engine/stack";
import { EngineSetupError } from "../engine/settings";
import { checkStackLock, describeHolder, holdersFromMessage, StackLockedError } from "../engine/lock";
import { plannedObjects, type PlannedObject } from "../model/objects";
import { clearScheduledImports, scheduleImports } from "./imports";
import { retireAdopted, scheduleAdoption, type AdoptionRun } from "./adoption";
import type { DesiredState } from "../model/desired";
import { InputError } from "../users/problems";
import {
  collisionMessage,
  describeObject,
  findCollisions,
  managedIds,
  resolvePendingCreates,
  strayDuplicates,
  toCreate,
  urnName,
  type PendingOperation,
  type StateResource,
} from "./match";

// Every `up` of the product (npm run up, npm run apply, npm start) goes through guardedUp:
//  1. the stack lock: a live holder is named and the run refused; a lock left by a killed run is removed;
//  2. pending creates left by a killed run: each named object found in Cloudflare is imported, the rest
//     cleared, so the next create never makes a second one;
//  3. the collision guard: an object the run would create that the account already holds, unmanaged,
//     refuses the run before any write, naming it and `npm run adopt`;
//  4. after the run, duplicates its retried creates left (Cloudflare carried a POST out, then answered
//     5xx, and the provider sent it again) are deleted: one object of each kind remains.

export class CollisionError extends EngineSetupError {}

/** Refusals whose whole message is the story (objects or lock holders named): print it all. */
export function isGuardRefusal(e: unknown): e is Error {
  return e instanceof CollisionError || e instanceof StackLockedError;
}

export interface GuardContext {
  engine: EngineStack;
  projectDir: string;
  stackName: string;
  today?: string;
  /** One line of what was done, without newline. */
  log: (line: string) => void;
}

interface Prepared {
  target: ApiTarget;
  planned: PlannedObject[];
  before: Set<string>;
  /** Ids this run imports (they are the stack's, though not in its state yet). */
  importing: Set<string>;
  desired: DesiredState;
  adoption?: AdoptionRun;
}

async function stateOf(engine: EngineStack) {
  const exported = await engine.stack.exportStack();
  const deployment = (exported.deployment ?? {}) as {
    resources?: StateResource[];
    pending_operations?: PendingOperation[];
  };
  return { exported, resources: deployment.resources ?? [], pending: deployment.pending_operations ?? [] };
}

/** Config and users.yaml as the program will read them; undefined when the program will refuse them itself. */
async function readTarget(
  ctx: GuardContext,
): Promise<{ target: ApiTarget; planned: PlannedObject[]; desired: DesiredState } | undefined> {
  const all = await ctx.engine.stack.getAllConfig();
  const raw = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value]));
  const { readInputs } = await import("../program");
  let inputs;
  try {
    inputs = readInputs(
      { projectDir: ctx.projectDir, today: ctx.today },
      { stack: ctx.stackName, config: raw },
    );
  } catch (e) {
    if (e instanceof InputError) return undefined; // the program's run reports every problem
    throw e;
  }
  const apiToken = raw["cloudflare:apiToken"] || process.env.CLOUDFLARE_API_TOKEN;
  if (!apiToken) return undefined; // likewise: the program says how to set one
  const baseUrl = raw["cloudflare:baseUrl"] || process.env.CLOUDFLARE_BASE_URL || undefined;
  return {
    target: { apiToken, baseUrl, accountId: inputs.config.accountId },
    planned: plannedObjects(inputs.config, inputs.desired),
    desired: inputs.desired,
  };
}

async function repairPendingCreates(ctx: GuardContext, p: Prepared, inventory: Inventory): Promise<void> {
  const state = await stateOf(ctx.engine);
  const creates = state.pending.filter((op) => op.type === "creating");
  if (creates.length === 0) return;
  ctx.log(`The last run was interrupted with ${creates.length} create(s) unfinished; resolving them:`);
  const resolutions = resolvePendingCreates(creates, p.planned, inventory, managedIds(state.resources));
  // Every pending create leaves the state; the objects found are imported by this run (imports.ts).
  const deployment = state.exported.deployment as { pending_operations?: PendingOperation[] };
  deployment.pending_operations = state.pending.filter((op) => op.type !== "creating");
  await ctx.engine.stack.importStack(state.exported);
  const imports = resolutions.flatMap((r) => (r.action === "import" ? [r] : []));
  for (const r of resolutions) if (r.action === "clear") ctx.log(`  cleared ${urnName(r.urn)}: ${r.reason}`);
  scheduleImports(
    imports.map((r) => ({
      type: r.planned.type,
      name: r.planned.resource,
      id: importId(p.target.accountId, r.object),
    })),
  );
  for (const r of imports) p.importing.add(r.object.id);
  for (const r of imports) ctx.log(`  importing ${urnName(r.urn)} in this run: ${describeObject(r.object)}`);
}

/** Steps 1 to 3; returns what step 4 needs, or undefined when the program will refuse its inputs. */
export async function beforeUp(ctx: GuardContext): Promise<Prepared | undefined> {
  const settings = await ctx.engine.stack.workspace.projectSettings();
  for (const h of checkStackLock(ctx.engine.backendUrl, settings.name, ctx.stackName))
    ctx.log(`Removed a lock left by a run that no longer exists: ${describeHolder(h)}.`);
  const read = await readTarget(ctx);
  if (!read) return undefined;
  const kinds = [...new Set(read.planned.map((o) => o.kind))];
  const inventory = await readInventory(read.target, kinds);
  const prepared: Prepared = { ...read, before: new Set(inventory.map((o) => o.id)), importing: new Set() };
  await repairPendingCreates(ctx, prepared, inventory);
  // An adopted account: the objects `npm run adopt` recorded are imported by this run, not created.
  prepared.adoption = await scheduleAdoption(ctx.engine, ctx.projectDir, ctx.stackName, read.desired);
  if (prepared.adoption?.scheduled)
    ctx.log(
      `Adopting: ${prepared.adoption.scheduled} existing object(s) from adoption.${ctx.stackName}.json are imported by this run.`,
    );
  for (const id of prepared.adoption?.ids ?? []) prepared.importing.add(id);
  const { resources } = await stateOf(ctx.engine);
  const managed = new Set([...managedIds(resources), ...prepared.importing]);
  const collisions = findCollisions(toCreate(read.planned, resources), inventory, managed);
  if (collisions.length > 0) throw new CollisionError(collisionMessage(ctx.stackName, collisions));
  return prepared;
}

/** Step 4: duplicates this run's retried creates left, deleted. */
export async function afterUp(ctx: GuardContext, p: Prepared): Promise<void> {
  const { resources } = await stateOf(ctx.engine);
  const kinds = [...new Set(p.planned.map((o) => o.kind))];
  const strays = strayDuplicates(
    p.planned,
    await readInventory(p.target, kinds),
    managedIds(resources),
    p.before,
  );
  for (const o of strays) {
    await deleteObject(p.target, o);
    ctx.log(
      `Deleted ${describeObject(o)}: a duplicate left by a create Cloudflare carried out but answered with an error.`,
    );
  }
}

/** `up` with the lock, pending-create and collision checks before it and the duplicate sweep after it. */
export async function guardedUp<T>(ctx: GuardContext, up: () => Promise<T>): Promise<T> {
  const prepared = await beforeUp(ctx);
  let sweep = prepared !== undefined;
  try {
    const result = await up();
    // Only after a successful run: the policy no longer refers to the hand-made rules it replaced.
    if (prepared?.adoption) await retireAdopted(prepared.target, prepared.adoption.record, ctx.log);
    return result;
  } catch (e) {
    // Another update took the lock after our check: name its holder the same way, and leave the
    // objects it is creating alone (they are not in the state yet, but they are not ours to sweep).
    if (e instanceof ConcurrentUpdateError) {
      sweep = false;
      const holders = holdersFromMessage(e.message);
      if (holders.length > 0) throw new StackLockedError(ctx.stackName, holders);
    }
    throw e;
  } finally {
    clearScheduledImports();
    if (sweep)
      await afterUp(ctx, prepared!).catch((e) =>
        ctx.log(`Duplicate check after the run failed: ${(e as Error).message}`),
      );
  }
}

/** A preview as the next `up` will run it: on an adopted stack, the recorded objects shown as imports. */
export async function adoptedPreview<T>(ctx: GuardContext, preview: () => Promise<T>): Promise<T> {
  const read = await readTarget(ctx);
  await scheduleAdoption(ctx.engine, ctx.projectDir, ctx.stackName, read?.desired);
  try {
    return await preview();
  } finally {
    clearScheduledImports();
  }
}
