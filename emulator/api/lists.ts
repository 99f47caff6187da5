// accounts/{a}/gateway/lists — cloudflare_zero_trust_list.
//
// With realism (`lists`, the default; sources in FIDELITY.md "lists"):
// - GET lists/{id} answers the list's metadata and `count`, never `items`
//   (provider PR #7265, issues #5788/#5882; the recorded collection GET has none);
// - items come only from GET lists/{id}/items: a flat, page-paginated array
//   (SDK 7.3.0 V4PagePaginationArray<GatewayItem>, cf-terraforming v4 recording),
//   newest first (Cloudflare promises no order; the order is a guess);
// - POST answers the list with its items and without count (SDK ListCreateResponse);
// - PUT without `items` (or with an empty array) keeps the items, a non-empty
//   `items` replaces them (OpenAPI/SDK doc of update); PUT and PATCH answer like GET.
// With `lists=off` (the emulator before issue 14, shaped by the provider):
// GET/PUT/PATCH answer `items`, PUT without items clears them, /items wraps the
// page in one more array. An item's description is echoed only when sent;
// `description` is answered "" when unset.
import { type Obj, isObj, notFound, ok, publicView, uuid } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { Checker, isEmail, isHostname, isIpOrCidr, objectBody } from "../validate";

const CODE = 2001;
const TYPES = ["SERIAL", "URL", "DOMAIN", "EMAIL", "IP", "CATEGORY", "LOCATION", "DEVICE", "AAGUID"];
// Plan limits the product designs around (non-Enterprise): items per list, lists per account.
export const MAX_ITEMS_PER_LIST = 1000;
export const MAX_LISTS_PER_ACCOUNT = 100;

function itemError(type: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return "value is required";
  switch (type) {
    case "EMAIL":
      return isEmail(value) ? undefined : `${value} is not a valid email address`;
    case "IP":
      return isIpOrCidr(value) ? undefined : `${value} is not a valid IP address or CIDR`;
    case "DOMAIN":
      return isHostname(value) ? undefined : `${value} is not a valid domain`;
    case "URL":
      return /^[^\s]+$/.test(value) ? undefined : `${value} is not a valid URL`;
    default:
      return undefined;
  }
}

/** Validated items, stored with a server timestamp like Cloudflare's. */
function checkItems(c: Checker, type: string, items: unknown, now: string, prev: Obj[] = []): Obj[] {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    c.error("items must be an array");
    return [];
  }
  if (items.length > MAX_ITEMS_PER_LIST)
    c.error(`a list can hold at most ${MAX_ITEMS_PER_LIST} items (got ${items.length})`);
  const seen = new Set<string>();
  const out: Obj[] = [];
  items.forEach((it, i) => {
    if (!isObj(it)) return c.error(`items[${i}] must be an object`);
    const err = itemError(type, it.value);
    if (err) return c.error(`items[${i}]: ${err}`);
    if (seen.has(it.value)) return c.error(`items[${i}]: duplicate value ${it.value}`);
    seen.add(it.value);
    const item: Obj = { value: it.value };
    if (typeof it.description === "string") item.description = it.description;
    item.created_at = prev.find((p) => p.value === it.value)?.created_at ?? now;
    out.push(item);
  });
  return out;
}

function view(list: Obj, withItems: boolean, withCount = true): Obj {
  const out = publicView(list);
  if (withCount) out.count = list.items.length;
  if (!withItems) delete out.items;
  return out;
}

/** Newest first, then by value: deterministic, and not the order items were sent in. */
function unpromisedOrder(items: Obj[]): Obj[] {
  return items
    .slice()
    .sort(
      (a, b) =>
        String(b.created_at).localeCompare(String(a.created_at)) ||
        String(a.value).localeCompare(String(b.value)),
    );
}

function find(ctx: Ctx): Obj {
  const l = ctx.store.data.lists.find((x) => x.id === ctx.params.id);
  if (!l) notFound(CODE, "list not found");
  return l;
}

export function registerLists(r: Router): void {
  const base = "/accounts/:account/gateway/lists";

  r.get(base, (ctx) => {
    const type = ctx.query.get("type");
    const lists = ctx.store.data.lists.filter((l) => !type || l.type === type).map((l) => view(l, false));
    return {
      result: lists,
      result_info: { page: 1, per_page: lists.length, count: lists.length, total_count: lists.length },
    };
  });

  r.post(base, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    const c = new Checker(body, CODE)
      .required("name", "type")
      .string("name", "description")
      .oneOf("type", TYPES);
    if (ctx.store.data.lists.length >= MAX_LISTS_PER_ACCOUNT)
      c.error(`an account can hold at most ${MAX_LISTS_PER_ACCOUNT} lists`);
    const now = ctx.store.now();
    const items = checkItems(c, body.type, body.items, now);
    c.done();
    const list: Obj = {
      id: uuid(),
      name: body.name,
      type: body.type,
      description: body.description ?? "",
      items,
      created_at: now,
      updated_at: now,
    };
    ctx.store.data.lists.push(list);
    return ok(ctx.realism.lists ? view(list, true, false) : view(list, true));
  });

  r.get(`${base}/:id`, (ctx) => ok(view(find(ctx), !ctx.realism.lists)));

  // PUT replaces name and description; items as documented (realism) or always (off).
  r.put(`${base}/:id`, (ctx) => {
    const list = find(ctx);
    const body = objectBody(ctx.body, CODE);
    const c = new Checker(body, CODE).required("name").string("name", "description");
    if (body.type !== undefined && body.type !== null && body.type !== list.type)
      c.error("type cannot be changed");
    const now = ctx.store.now();
    const keep = ctx.realism.lists && (!Array.isArray(body.items) || body.items.length === 0);
    const items = keep ? list.items : checkItems(c, list.type, body.items, now, list.items);
    c.done();
    Object.assign(list, { name: body.name, description: body.description ?? "", items, updated_at: now });
    return ok(view(list, !ctx.realism.lists));
  });

  // PATCH appends/removes items (SDK Edit); not used by the provider.
  r.patch(`${base}/:id`, (ctx) => {
    const list = find(ctx);
    const body = objectBody(ctx.body, CODE);
    const c = new Checker(body, CODE).array("append", "remove");
    if (Array.isArray(body.remove) && body.remove.some((v: unknown) => typeof v !== "string"))
      c.error("remove must be an array of item values (strings)");
    if (Array.isArray(body.append) && body.append.some((v: unknown) => !isObj(v)))
      c.error("append must be an array of {value, description?} objects");
    c.done();
    const now = ctx.store.now();
    const remove = new Set<string>((body.remove ?? []) as string[]);
    const kept = (list.items as Obj[]).filter((i) => !remove.has(i.value));
    const merged = checkItems(c, list.type, [...kept, ...((body.append ?? []) as Obj[])], now, list.items);
    c.done();
    Object.assign(list, { items: merged, updated_at: now });
    return ok(view(list, !ctx.realism.lists));
  });

  r.get(`${base}/:id/items`, (ctx) => {
    const list = find(ctx);
    if (ctx.realism.lists)
      return paginate(unpromisedOrder(list.items), ctx.query, { perPage: 50, maxPerPage: 1000 });
    const page = paginate(list.items, ctx.query, { perPage: 50, maxPerPage: 1000 });
    // Before issue 14: the page wrapped in one more array (an older OpenAPI's SinglePage<Array<item>>).
    return { result: [page.result], result_info: page.result_info };
  });

  r.delete(`${base}/:id`, (ctx) => {
    const list = find(ctx);
    ctx.store.data.lists = ctx.store.data.lists.filter((l) => l !== list);
    return ok({});
  });
}
