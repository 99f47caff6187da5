// zones/{zone}/dns_records — cloudflare_dns_record (TF: internal/services/dns_record).
// The provider POSTs the plan, PUTs the full plan on update (MarshalForUpdate),
// and on Read overwrites every attribute from `result` (custom.go then only
// fixes FQDN-vs-short names and CNAME settings). So GET returns exactly what
// was sent plus server fields, with `name` as the FQDN like Cloudflare does.
import { isIP } from "node:net";
import { type Obj, fail, hex32, notFound, ok, publicView, stripNulls } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, bodyOf } from "../router";
import { Checker, isHostname, objectBody } from "../validate";

const TYPES = [
  "A",
  "AAAA",
  "CAA",
  "CERT",
  "CNAME",
  "DNSKEY",
  "DS",
  "HTTPS",
  "LOC",
  "MX",
  "NAPTR",
  "NS",
  "OPENPGPKEY",
  "PTR",
  "SMIMEA",
  "SRV",
  "SSHFP",
  "SVCB",
  "TLSA",
  "TXT",
  "URI",
];
const PROXIABLE = ["A", "AAAA", "CNAME"];
const CONTENT_TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "PTR", "TXT", "OPENPGPKEY"];
const CODE = 9000; // DNS validation errors live in Cloudflare's 9xxx range

/** "@" -> apex, "app" -> "app.example.org", "App.Example.org." -> "app.example.org". */
function fqdn(name: string, zone: string): string {
  const n = name.trim().replace(/\.$/, "").toLowerCase();
  if (n === "@" || n === zone) return zone;
  return n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
}

function validate(body: Obj): void {
  const c = new Checker(body, CODE)
    .required("name", "type", "ttl")
    .string("name", "type", "content", "comment")
    .number("ttl", "priority")
    .boolean("proxied", "private_routing")
    .array("tags")
    .object("data", "settings")
    .oneOf("type", TYPES);
  const t = body.type as string;
  if (typeof body.ttl === "number")
    c.check(
      body.ttl === 1 || (body.ttl >= 30 && body.ttl <= 86400),
      "ttl must be 1 (automatic) or between 30 and 86400",
    );
  if (CONTENT_TYPES.includes(t))
    c.check(typeof body.content === "string" && body.content !== "", `content is required for ${t} records`);
  if (t === "A" && typeof body.content === "string")
    c.check(isIP(body.content) === 4, "Content for A record must be a valid IPv4 address.");
  if (t === "AAAA" && typeof body.content === "string")
    c.check(isIP(body.content) === 6, "Content for AAAA record must be a valid IPv6 address.");
  if (t === "CNAME" && typeof body.content === "string")
    c.check(isHostname(body.content), "Content for CNAME record is invalid.");
  if (t === "MX") c.check(typeof body.priority === "number", "priority is required for MX records");
  if (body.proxied === true && !PROXIABLE.includes(t)) c.error(`${t} records cannot be proxied.`);
  c.done();
}

function zoneName(ctx: Ctx): string {
  return ctx.store.data.zones.find((z) => z.id === ctx.params.zone)!.name;
}

/** Cloudflare refuses an identical record, and a CNAME sharing a name with anything. */
function checkConflicts(ctx: Ctx, rec: Obj, selfId?: string): void {
  for (const o of ctx.store.data.dnsRecords) {
    if (o.id === selfId || o.zone_id !== rec.zone_id || o.name !== rec.name) continue;
    if (o.type === rec.type && o.content === rec.content)
      fail(400, 81058, "An identical record already exists.");
    if (o.type === "CNAME" || rec.type === "CNAME")
      fail(400, 81053, "An A, AAAA, or CNAME record with that host already exists.");
  }
}

function build(ctx: Ctx, body: Obj, prev?: Obj): Obj {
  const now = ctx.store.now();
  const zone = zoneName(ctx);
  const rec: Obj = {
    ...stripNulls(body),
    id: prev?.id ?? hex32(),
    zone_id: ctx.params.zone,
    zone_name: zone,
    name: fqdn(body.name, zone),
    proxiable: PROXIABLE.includes(body.type),
    // proxied/tags/settings are computed_optional: Cloudflare always answers them.
    proxied: body.proxied ?? false,
    tags: body.tags ?? [],
    settings: body.settings ?? {},
    meta: {},
    comment: body.comment ?? null,
    created_on: prev?.created_on ?? now,
    modified_on: now,
  };
  // The provider forces *_modified_on to null when comment/tags are empty
  // (custom.go ModifyPlan), so only stamp them when there is something to date.
  if (body.comment)
    rec.comment_modified_on = prev && prev.comment === body.comment ? prev.comment_modified_on : now;
  else delete rec.comment_modified_on;
  if (Array.isArray(body.tags) && body.tags.length)
    rec.tags_modified_on =
      prev && JSON.stringify(prev.tags) === JSON.stringify(body.tags) ? prev.tags_modified_on : now;
  else delete rec.tags_modified_on;
  return rec;
}

function find(ctx: Ctx): Obj {
  const rec = ctx.store.data.dnsRecords.find((r) => r.id === ctx.params.id && r.zone_id === ctx.params.zone);
  if (!rec) notFound(81044, "Record does not exist.");
  return rec;
}

export function registerDns(r: Router): void {
  const base = "/zones/:zone/dns_records";

  r.get(base, (ctx) => {
    const q = ctx.query;
    const zone = zoneName(ctx);
    const name = q.get("name") ?? q.get("name.exact");
    const items = ctx.store.data.dnsRecords
      .filter((x) => x.zone_id === ctx.params.zone)
      .filter((x) => !name || x.name === fqdn(name, zone))
      .filter((x) => !q.get("type") || x.type === q.get("type"))
      .filter((x) => !q.get("content") || x.content === q.get("content"))
      .map(publicView);
    return paginate(items, q, { perPage: 100, maxPerPage: 5000 });
  });

  r.post(base, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    validate(body);
    const rec = build(ctx, body);
    checkConflicts(ctx, rec);
    ctx.store.data.dnsRecords.push(rec);
    return ok(rec);
  });

  r.get(`${base}/:id`, (ctx) => ok(find(ctx)));

  // PUT replaces the record (the provider sends the full plan).
  r.put(`${base}/:id`, (ctx) => {
    const prev = find(ctx);
    const body = objectBody(ctx.body, CODE);
    validate(body);
    const rec = build(ctx, body, prev);
    checkConflicts(ctx, rec, prev.id);
    Object.keys(prev).forEach((k) => delete prev[k]);
    Object.assign(prev, rec);
    return ok(prev);
  });

  // PATCH merges (SDK Edit); used by scripts, not by the provider.
  r.patch(`${base}/:id`, (ctx) => {
    const prev = find(ctx);
    const merged = { ...prev, ...bodyOf(ctx) };
    for (const k of [
      "id",
      "zone_id",
      "zone_name",
      "proxiable",
      "meta",
      "created_on",
      "modified_on",
      "comment_modified_on",
      "tags_modified_on",
    ])
      delete merged[k];
    validate(merged);
    const rec = build(ctx, merged, prev);
    checkConflicts(ctx, rec, prev.id);
    Object.keys(prev).forEach((k) => delete prev[k]);
    Object.assign(prev, rec);
    return ok(prev);
  });

  r.delete(`${base}/:id`, (ctx) => {
    const rec = find(ctx);
    ctx.store.data.dnsRecords = ctx.store.data.dnsRecords.filter((x) => x !== rec);
    return ok({ id: rec.id });
  });
}
