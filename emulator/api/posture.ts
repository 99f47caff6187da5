// accounts/{a}/devices/posture — cloudflare_zero_trust_device_posture_rule.
//
// TF zero_trust_device_posture_rule: POST, PUT-full, Read overwrites all and
// then normalizeReadData forgives what Cloudflare adds when a field was null in
// state: name "", schedule "5m", input.operating_system, input.enabled false,
// check_disks []. The emulator answers name "" and schedule "5m" (client-side
// checks only) like Cloudflare, relying on exactly those forgiveness rules;
// description is computed_optional and answered "" when unset; enabled is
// computed (true). Nothing else is added.
import { type Obj, fail, isObj, notFound, ok, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { Checker, objectBody } from "../validate";

const CODE = 1003;
const TYPES = [
  "file",
  "application",
  "tanium",
  "gateway",
  "warp",
  "disk_encryption",
  "serial_number",
  "sentinelone",
  "carbonblack",
  "firewall",
  "os_version",
  "domain_joined",
  "client_certificate",
  "client_certificate_v2",
  "antivirus",
  "unique_client_id",
  "kolide",
  "tanium_s2s",
  "crowdstrike_s2s",
  "intune",
  "workspace_one",
  "sentinelone_s2s",
  "custom_s2s",
];
// Checks the WARP client runs itself on a schedule (the others are pushed by integrations).
const CLIENT_SIDE = [
  "file",
  "application",
  "disk_encryption",
  "serial_number",
  "firewall",
  "os_version",
  "domain_joined",
  "client_certificate",
  "client_certificate_v2",
  "antivirus",
  "unique_client_id",
  "sentinelone",
  "carbonblack",
];
const PLATFORMS = ["windows", "mac", "linux", "android", "ios", "chromeos"];

function validate(ctx: Ctx, body: Obj): void {
  const c = new Checker(body, CODE)
    .required("type")
    .oneOf("type", TYPES)
    .string("name", "description", "schedule", "expiration")
    .object("input")
    .array("match");
  if (typeof body.schedule === "string")
    c.check(/^\d+[smh]$/.test(body.schedule), "schedule must look like 5m, 1h or 30s");
  if (typeof body.expiration === "string")
    c.check(/^\d+[smh]$/.test(body.expiration), "expiration must look like 1h or 30m");
  if (Array.isArray(body.match)) {
    body.match.forEach((m: unknown, i: number) => {
      c.check(
        isObj(m) && PLATFORMS.includes((m as Obj).platform),
        `match[${i}].platform must be one of ${PLATFORMS.join(", ")}`,
      );
    });
  }
  if (body.type === "serial_number") {
    const id = isObj(body.input) ? body.input.id : undefined;
    const list = ctx.store.data.lists.find((l) => l.id === id);
    c.check(!!list, `input.id must be the id of a SERIAL list (got ${String(id)})`);
    if (list)
      c.check(list.type === "SERIAL", `input.id ${String(id)} is a ${list.type} list, expected SERIAL`);
  }
  c.done();
}

function build(body: Obj, prev?: Obj): Obj {
  const rule: Obj = { ...stripNulls(body), id: prev?.id ?? uuid(), enabled: true };
  rule.name ??= "";
  rule.description ??= "";
  if (CLIENT_SIDE.includes(rule.type)) rule.schedule ??= "5m";
  return rule;
}

function find(ctx: Ctx): Obj {
  const rule = ctx.store.data.devices.posture.find((p) => p.id === ctx.params.id);
  if (!rule) notFound(CODE, "device posture rule not found");
  return rule;
}

export function registerPosture(r: Router): void {
  const base = "/accounts/:account/devices/posture";
  r.get(base, (ctx) =>
    paginate(ctx.store.data.devices.posture, ctx.query, { perPage: 50, maxPerPage: 1000 }),
  );
  r.post(base, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    validate(ctx, body);
    const rule = build(body);
    ctx.store.data.devices.posture.push(rule);
    return ok(rule);
  });
  r.get(`${base}/:id`, (ctx) => ok(find(ctx)));
  r.put(`${base}/:id`, (ctx) => {
    const prev = find(ctx);
    const body = objectBody(ctx.body, CODE);
    validate(ctx, body);
    // Realism: Cloudflare documents `type` as an ordinary required field of the
    // update (SDK 7.3.0 PostureUpdateParams.type, required), with no rule against changing it,
    // so a PUT may change it. Off: the older undocumented refusal.
    if (!ctx.realism.sdkInputs && body.type !== prev.type) fail(400, CODE, "type cannot be changed");
    const next = build(body, prev);
    Object.keys(prev).forEach((k) => delete prev[k]);
    return ok(Object.assign(prev, next));
  });
  r.delete(`${base}/:id`, (ctx) => {
    const rule = find(ctx);
    ctx.store.data.devices.posture = ctx.store.data.devices.posture.filter((p) => p !== rule);
    return ok({ id: rule.id });
  });
}
