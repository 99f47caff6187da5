// Account, zone and token endpoints: what `zt doctor` uses to prove the
// credential works and the configured ids exist.
import { createHash } from "node:crypto";
import { fail, ok } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import type { AccountStore as Store } from "../state";

function accountView(store: Pick<Store, "data">) {
  const a = store.data.account;
  return {
    id: a.id,
    name: a.name,
    type: "standard",
    created_on: a.created_on,
    settings: { enforce_twofactor: false, api_access_enabled: null, abuse_contact_email: null },
  };
}

function zoneView(store: Pick<Store, "data">, z: Store["data"]["zones"][number]) {
  const a = store.data.account;
  return {
    id: z.id,
    name: z.name,
    status: z.status,
    paused: false,
    type: "full",
    development_mode: 0,
    name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
    original_name_servers: null,
    account: { id: a.id, name: a.name },
    owner: { id: null, type: "organization", name: a.name },
    plan: {
      id: "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
      name: "Free Website",
      price: 0,
      currency: "USD",
      frequency: "",
      is_subscribed: false,
      can_subscribe: false,
      legacy_id: "free",
      legacy_discount: false,
      externally_managed: false,
    },
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    permissions: ["#zone:read", "#zone:edit"],
    created_on: z.created_on,
    modified_on: z.created_on,
    activated_on: z.created_on,
  };
}

/** A stable token id derived from the token, so verify answers the same every time
 * without storing the secret. */
function tokenId(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 32);
}

export function registerAccounts(r: Router): void {
  // Every account the emulator holds (the seeded one first): a token sees them all (guess).
  r.get("/accounts", (ctx) =>
    paginate(
      ctx.root.allAccounts().map((data) => accountView({ data })),
      ctx.query,
    ),
  );
  r.get("/accounts/:account", (ctx) => ok(accountView(ctx.store)));

  r.get("/zones", (ctx) => {
    const name = ctx.query.get("name");
    const zones = ctx.root
      .allAccounts()
      .flatMap((data) => data.zones.map((z) => zoneView({ data }, z)))
      .filter((z) => !name || z.name === name);
    return paginate(zones, ctx.query, { perPage: 20, maxPerPage: 50 });
  });
  r.get("/zones/:zone", (ctx) => {
    const z = ctx.store.data.zones.find((x) => x.id === ctx.params.zone)!;
    return ok(zoneView(ctx.store, z));
  });

  // Token checks: only bearer tokens can be verified; a global key gets Cloudflare's 1000.
  const verify = (ctx: Ctx) => {
    if (ctx.auth.kind !== "token" || !ctx.auth.token) fail(401, 1000, "Invalid API Token");
    return ok({ id: tokenId(ctx.auth.token), status: "active", not_before: null, expires_on: null });
  };
  r.get("/user/tokens/verify", verify);
  r.get("/accounts/:account/tokens/verify", verify);
}
