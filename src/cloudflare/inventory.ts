import type Cloudflare from "cloudflare";
import type { ObjectKind } from "../model/objects";
import { ApiTarget, createClient } from "./client";

// What the account holds of the kinds the program names (src/model/objects.ts), read with list calls
// only: the collision guard and the pending-create repair (src/converge) compare it with the stack.

export interface AccountObject {
  kind: ObjectKind;
  id: string;
  name: string;
  /** Applications: every hostname they claim (`domain` and `self_hosted_domains`), without paths. */
  domains?: string[];
  /** Identity providers: their type (an account holds one one-time PIN provider, whatever its name). */
  idpType?: string;
}

export type Inventory = AccountObject[];

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}

const host = (d: string) => d.split("/")[0].toLowerCase();

function appDomains(app: { domain?: string; self_hosted_domains?: string[] }): string[] {
  const domains = [app.domain, ...(app.self_hosted_domains ?? [])].filter(
    (d): d is string => typeof d === "string" && d !== "",
  );
  return [...new Set(domains.map(host))];
}

type Named = { id?: string | null; name?: string | null };
const named = (kind: ObjectKind, items: Named[]): AccountObject[] =>
  items
    .filter((i) => typeof i.id === "string" && typeof i.name === "string")
    .map((i) => ({ kind, id: i.id as string, name: i.name as string }));

/** Read-only: one list call (all pages) per kind asked for. */
export async function readInventory(
  target: ApiTarget,
  kinds: readonly ObjectKind[],
  client: Cloudflare = createClient(target),
): Promise<Inventory> {
  const account_id = target.accountId;
  const readers: Record<ObjectKind, () => Promise<AccountObject[]>> = {
    tunnel: async () =>
      named(
        "tunnel",
        await all(client.zeroTrust.tunnels.cloudflared.list({ account_id, is_deleted: false })),
      ),
    application: async () =>
      (await all(client.zeroTrust.access.applications.list({ account_id }))).flatMap((a) => {
        const app = a as { id?: string; name?: string; domain?: string; self_hosted_domains?: string[] };
        return app.id
          ? [{ kind: "application" as const, id: app.id, name: app.name ?? "", domains: appDomains(app) }]
          : [];
      }),
    policy: async () => named("policy", await all(client.zeroTrust.access.policies.list({ account_id }))),
    group: async () => named("group", await all(client.zeroTrust.access.groups.list({ account_id }))),
    list: async () => named("list", await all(client.zeroTrust.gateway.lists.list({ account_id }))),
    postureRule: async () =>
      named("postureRule", await all(client.zeroTrust.devices.posture.list({ account_id }))),
    identityProvider: async () =>
      named(
        "identityProvider",
        (await all(client.zeroTrust.identityProviders.list({ account_id }))) as Named[],
      ),
    serviceToken: async () =>
      named("serviceToken", await all(client.zeroTrust.access.serviceTokens.list({ account_id }))),
  };
  const wanted = [...new Set(kinds)];
  return (await Promise.all(wanted.map((k) => readers[k]()))).flat();
}

/** Deletes one object (a duplicate this run's retried create left behind: see src/converge). */
export async function deleteObject(target: ApiTarget, object: AccountObject): Promise<void> {
  const client = createClient(target);
  const p = { account_id: target.accountId };
  const deleters: Record<ObjectKind, () => Promise<unknown>> = {
    tunnel: () => client.zeroTrust.tunnels.cloudflared.delete(object.id, p),
    application: () => client.zeroTrust.access.applications.delete(object.id, p),
    policy: () => client.zeroTrust.access.policies.delete(object.id, p),
    group: () => client.zeroTrust.access.groups.delete(object.id, p),
    list: () => client.zeroTrust.gateway.lists.delete(object.id, p),
    postureRule: () => client.zeroTrust.devices.posture.delete(object.id, p),
    identityProvider: () => client.zeroTrust.identityProviders.delete(object.id, p),
    serviceToken: () => client.zeroTrust.access.serviceTokens.delete(object.id, p),
  };
  await deleters[object.kind]();
}

/** Kinds that live in an account or a zone: their import id names the scope. */
const SCOPED: ReadonlySet<string> = new Set(["application", "group", "identityProvider", "serviceToken"]);

/** The id `pulumi import` takes for each kind (the provider's ImportState formats). */
export function importId(accountId: string, object: Pick<AccountObject, "kind" | "id">): string {
  return SCOPED.has(object.kind) ? `accounts/${accountId}/${object.id}` : `${accountId}/${object.id}`;
}
