// accounts/{a}/access/logs/access_requests — Access authentication logs (audit command).
import { type Obj, fail } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { CODE } from "./access-common";

function filterLogs(ctx: Ctx): Obj[] {
  const q = ctx.query;
  const cmp = (value: unknown, want: string, op: string | null, contains = false) => {
    const v = String(value ?? "");
    const hit = contains ? v.toLowerCase().includes(want.toLowerCase()) : v === want;
    return op === "neq" ? !hit : hit;
  };
  let logs = ctx.store.data.access.requests.slice();
  const since = q.get("since");
  const until = q.get("until");
  if (since && Number.isNaN(Date.parse(since))) fail(400, CODE, "since must be an RFC 3339 timestamp");
  if (until && Number.isNaN(Date.parse(until))) fail(400, CODE, "until must be an RFC 3339 timestamp");
  if (since) logs = logs.filter((l) => Date.parse(l.created_at) >= Date.parse(since));
  if (until) logs = logs.filter((l) => Date.parse(l.created_at) <= Date.parse(until));
  const email = q.get("email");
  if (email) {
    const op = q.get("emailOp");
    const contains = q.get("email_exact") !== "true" && op !== "eq";
    logs = logs.filter((l) =>
      cmp(l.user_email, email, op === "contains" ? null : op, contains || op === "contains"),
    );
  }
  for (const [param, field] of [
    ["user_id", "user_id"],
    ["app_uid", "app_uid"],
    ["ray_id", "ray_id"],
    ["country_code", "country"],
    ["allowed", "allowed"],
  ] as const) {
    const want = q.get(param);
    if (want !== null && want !== "") logs = logs.filter((l) => cmp(l[field], want, q.get(`${param}Op`)));
  }
  const direction = q.get("direction") ?? "desc";
  if (!["asc", "desc"].includes(direction)) fail(400, CODE, 'direction must be "asc" or "desc"');
  logs.sort(
    (a, b) =>
      Date.parse(a.created_at) - Date.parse(b.created_at) || String(a.ray_id).localeCompare(String(b.ray_id)),
  );
  if (direction === "desc") logs.reverse();
  const limitRaw = q.get("limit");
  if (limitRaw !== null) {
    const limit = Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1) fail(400, CODE, "limit must be a positive integer");
    logs = logs.slice(0, limit);
  }
  return logs;
}

export function registerAccessLogs(r: Router): void {
  r.get("/accounts/:account/access/logs/access_requests", (ctx) => {
    const logs = filterLogs(ctx);
    const q = ctx.query;
    const hasPaging = q.has("page") || q.has("per_page");
    if (!hasPaging)
      return {
        result: logs,
        result_info: { count: logs.length, total_count: logs.length, page: 1, per_page: logs.length },
      };
    return paginate(logs, q, { perPage: 25, maxPerPage: 1000 });
  });
}
