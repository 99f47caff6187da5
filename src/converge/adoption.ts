import type { ApiTarget } from "../cloudflare/client";
import { createClient } from "../cloudflare/client";
import { prefillLists } from "../adopt/prefill";
import { pendingAdoption, readRecord, type AdoptionRecord } from "../adopt/record";
import type { DesiredState } from "../model/desired";
import type { EngineStack } from "../engine/stack";
import { scheduleImports } from "./imports";
import { urnName, type StateResource } from "./match";

// The adoption record (src/adopt/record.ts, written by `npm run adopt`) as the next runs consume it:
// before a preview or an up, every recorded object not yet in the state is scheduled for import (and the
// new lists are created full, src/adopt/prefill.ts); after a successful up, the hand-made objects the
// stack replaced are deleted once nothing refers to them.

export interface AdoptionRun {
  record: AdoptionRecord;
  /** Raw Cloudflare ids this run imports (the collision guard counts them as the stack's). */
  ids: string[];
  /** How many objects this run imports. */
  scheduled: number;
}

async function stateKeys(engine: EngineStack): Promise<Set<string>> {
  const exported = await engine.stack.exportStack();
  const resources = ((exported.deployment ?? {}) as { resources?: StateResource[] }).resources ?? [];
  return new Set(resources.map((r) => `${r.type}::${urnName(r.urn)}`));
}

/** Schedules the record's pending imports for the next engine run; undefined when there is no record. */
export async function scheduleAdoption(
  engine: EngineStack,
  projectDir: string,
  stackName: string,
  desired: DesiredState | undefined,
): Promise<AdoptionRun | undefined> {
  const record = readRecord(projectDir, stackName);
  if (!record) return undefined;
  const inState = await stateKeys(engine);
  const pending = pendingAdoption(record, inState);
  if (pending.length === 0) return { record, ids: [], scheduled: 0 };
  scheduleImports(pending);
  if (desired) scheduleImports(prefillLists(desired, inState));
  const ids = pending.flatMap((p) => (p.id ? [p.id.split("/").pop()!] : []));
  return { record, ids, scheduled: ids.length };
}

/** After a successful up: the replaced hand-made rules and lists, deleted when nothing refers to them. */
export async function retireAdopted(
  target: ApiTarget,
  record: AdoptionRecord,
  log: (line: string) => void,
): Promise<void> {
  if (record.retire.length === 0) return;
  const client = createClient(target);
  const account_id = target.accountId;
  const all = async <T>(pages: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const p of pages) out.push(p);
    return out;
  };
  const [policies, groups, rules, lists] = await Promise.all([
    all(client.zeroTrust.access.policies.list({ account_id })),
    all(client.zeroTrust.access.groups.list({ account_id })),
    all(client.zeroTrust.devices.posture.list({ account_id })),
    all(client.zeroTrust.gateway.lists.list({ account_id })),
  ]);
  // Rules first: a list stops being referred to once the rule that checked it is gone.
  for (const kind of ["postureRule", "list"] as const) {
    const users = JSON.stringify([...policies, ...groups, ...(kind === "list" ? rules : [])]);
    for (const r of record.retire.filter((x) => x.kind === kind)) {
      const exists = (kind === "list" ? lists : rules).some((o) => (o as { id?: string }).id === r.id);
      if (!exists) continue;
      if (users.includes(r.id)) {
        log(
          `Kept ${r.what} (id ${r.id}): something still refers to it; delete it by hand once it is unused.`,
        );
        continue;
      }
      if (kind === "postureRule") await client.zeroTrust.devices.posture.delete(r.id, { account_id });
      else await client.zeroTrust.gateway.lists.delete(r.id, { account_id });
      log(
        `Deleted ${r.what} (id ${r.id}): the stack's own rules and lists replace it, and nothing refers to it now.`,
      );
    }
    if (kind === "postureRule") {
      const left = await all(client.zeroTrust.devices.posture.list({ account_id }));
      rules.splice(0, rules.length, ...left);
    }
  }
}
