// {accounts|zones}/{id}/logpush/jobs and .../logpush/ownership(/validate)
// — cloudflare_logpush_job and cloudflare_logpush_ownership_challenge.
//
// TF logpush_job/model.go: every optional field except output_options is
// computed_optional with a schema default (dataset "http_requests", filter "",
// logpull_options "", max_upload_* 0, name "", enabled false, frequency "high",
// kind ""), and the provider always sends them; Update (PUT) leaves `kind` out
// when it is ""/instant-logs. So: store what was sent, merge PUTs (a missing
// key keeps its value, which is how `kind` survives), and echo it all back.
// `ownership_challenge` is no_refresh: accepted, checked, never returned.
import { randomBytes } from "node:crypto";
import { type Obj, fail, notFound, ok, stripNulls } from "../http";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, objectBody } from "../validate";

const DATASETS = [
  "access_requests",
  "audit_logs",
  "audit_logs_v2",
  "biso_user_actions",
  "casb_findings",
  "device_posture_results",
  "dex_application_tests",
  "dex_device_state_events",
  "dlp_forensic_copies",
  "dns_firewall_logs",
  "dns_logs",
  "email_security_alerts",
  "email_security_post_delivery_events",
  "firewall_events",
  "gateway_dns",
  "gateway_http",
  "gateway_network",
  "http_requests",
  "ipsec_logs",
  "magic_ids_detections",
  "mcp_portal_logs",
  "mnm_flow_logs",
  "nel_reports",
  "network_analytics_logs",
  "page_shield_events",
  "sinkhole_http_logs",
  "spectrum_events",
  "ssh_logs",
  "turnstile_events",
  "warp_config_changes",
  "warp_toggle_changes",
  "websocket_analytics",
  "workers_trace_events",
  "zaraz_events",
  "zero_trust_network_sessions",
];
// Datasets that exist only on zones; Cloudflare rejects them on account jobs and vice versa.
const ZONE_DATASETS = [
  "dns_logs",
  "firewall_events",
  "http_requests",
  "nel_reports",
  "page_shield_events",
  "spectrum_events",
  "websocket_analytics",
  "zaraz_events",
];
const CODE = 1002;

/** S3, GCS and Azure destinations must prove ownership; R2, HTTPS (Splunk, Datadog, ...) do not. */
function needsChallenge(dest: string): boolean {
  return /^(s3|gs|azure):\/\//.test(dest);
}

function defaults(): Obj {
  return {
    dataset: "http_requests",
    filter: "",
    logpull_options: "",
    max_upload_bytes: 0,
    max_upload_interval_seconds: 0,
    max_upload_records: 0,
    name: "",
    enabled: false,
    frequency: "high",
    kind: "",
    output_options: null,
  };
}

function validate(body: Obj, scope: "accounts" | "zones"): void {
  const c = new Checker(body, CODE)
    .required("destination_conf")
    .string(
      "destination_conf",
      "dataset",
      "filter",
      "logpull_options",
      "name",
      "frequency",
      "kind",
      "ownership_challenge",
    )
    .number("max_upload_bytes", "max_upload_interval_seconds", "max_upload_records")
    .boolean("enabled")
    .object("output_options")
    .oneOf("dataset", DATASETS)
    .oneOf("frequency", ["high", "low"])
    .oneOf("kind", ["", "edge", "instant-logs"]);
  if (typeof body.name === "string")
    c.check(/^[a-zA-Z0-9.-]*$/.test(body.name), "name may only contain letters, digits, '.' and '-'");
  if (typeof body.dataset === "string" && DATASETS.includes(body.dataset)) {
    const zoneOnly = ZONE_DATASETS.includes(body.dataset);
    c.check(
      scope === "zones" || !zoneOnly,
      `dataset ${body.dataset} is not available for account-level jobs`,
    );
    c.check(scope === "accounts" || zoneOnly, `dataset ${body.dataset} is not available for zone-level jobs`);
  }
  if (typeof body.destination_conf === "string")
    c.check(
      /^[a-z0-9+.-]+:\/\/\S+/.test(body.destination_conf),
      "destination_conf must be a URL like s3://bucket/path?region=us-east-1",
    );
  c.done();
}

function checkChallenge(ctx: Ctx, dest: string, token: unknown): void {
  if (!needsChallenge(dest)) return;
  const ch = ctx.store.data.logpush.challenges[dest];
  if (typeof token !== "string" || !ch || ch.token !== token)
    fail(400, 1002, "missing or invalid ownership challenge");
}

function view(job: Obj): Obj {
  const { _scope, ownership_challenge, ...rest } = job;
  void _scope;
  void ownership_challenge;
  return rest;
}

function find(ctx: Ctx): Obj {
  const s = scopeOf(ctx);
  const id = Number(ctx.params.id);
  const job = ctx.store.data.logpush.jobs.find((j) => j.id === id && j._scope === `${s.kind}/${s.id}`);
  if (!job) notFound(1004, "job not found");
  return job;
}

export function registerLogpush(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    r.get(`${base}/logpush/jobs`, (ctx) => {
      const s = scopeOf(ctx);
      return ok(ctx.store.data.logpush.jobs.filter((j) => j._scope === `${s.kind}/${s.id}`).map(view));
    });

    r.post(`${base}/logpush/jobs`, (ctx) => {
      const s = scopeOf(ctx);
      const body = objectBody(ctx.body, CODE);
      validate(body, s.kind);
      checkChallenge(ctx, body.destination_conf, body.ownership_challenge);
      const lp = ctx.store.data.logpush;
      const job: Obj = {
        ...defaults(),
        ...stripNulls(body),
        id: lp.nextId++,
        error_message: null,
        last_complete: null,
        last_error: null,
        _scope: `${s.kind}/${s.id}`,
      };
      delete job.ownership_challenge;
      lp.jobs.push(job);
      return ok(view(job));
    });

    r.get(`${base}/logpush/jobs/:id`, (ctx) => ok(view(find(ctx))));

    r.put(`${base}/logpush/jobs/:id`, (ctx) => {
      const job = find(ctx);
      const body = objectBody(ctx.body, CODE);
      if (body.kind !== undefined && body.kind !== null && body.kind !== job.kind)
        fail(400, CODE, "kind cannot be changed");
      if (body.dataset !== undefined && body.dataset !== null && body.dataset !== job.dataset)
        fail(400, CODE, "dataset cannot be changed");
      const next: Obj = { ...job };
      for (const [k, v] of Object.entries(body)) {
        if (k === "ownership_challenge") continue;
        // An explicit null resets to the default (the API's "unset").
        next[k] = v === null ? (defaults()[k] ?? null) : stripNulls(v);
      }
      validate(view(next), scopeOf(ctx).kind);
      if (next.destination_conf !== job.destination_conf)
        checkChallenge(ctx, next.destination_conf, body.ownership_challenge);
      Object.assign(job, next);
      return ok(view(job));
    });

    r.delete(`${base}/logpush/jobs/:id`, (ctx) => {
      const job = find(ctx);
      ctx.store.data.logpush.jobs = ctx.store.data.logpush.jobs.filter((j) => j !== job);
      return ok({ id: job.id });
    });

    // Ownership challenge: Cloudflare writes a token file into the destination.
    // There is no bucket here, so the token is kept and handed out through the
    // admin API (GET /__admin/logpush/challenges?destination_conf=...).
    r.post(`${base}/logpush/ownership`, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      new Checker(body, CODE).required("destination_conf").string("destination_conf").done();
      const dest = body.destination_conf as string;
      const filename = `${dest
        .replace(/^[a-z0-9+.-]+:\/\//, "")
        .split("?")[0]
        .replace(/\/+$/, "")}/ownership-challenge-${randomBytes(4).toString("hex")}.txt`;
      ctx.store.data.logpush.challenges[dest] = {
        token: randomBytes(96).toString("base64"),
        filename,
        created_at: ctx.store.now(),
      };
      return ok({ filename, message: "", valid: true });
    });

    r.post(`${base}/logpush/ownership/validate`, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      new Checker(body, CODE)
        .required("destination_conf", "ownership_challenge")
        .string("destination_conf", "ownership_challenge")
        .done();
      const ch = ctx.store.data.logpush.challenges[body.destination_conf];
      return ok({ valid: !!ch && ch.token === body.ownership_challenge });
    });
  }
}
