import { COMMON_HELP } from "./args";
import { connect, loadStack, loadUsers, now, StackInfo, Users, withApi, ZtEnv } from "./context";
import { DeviceIndex, deviceIndex } from "./devices";
import { shortTime, textTable } from "./format";
import { EXIT, CliError } from "../command";
import {
  AccessEvent,
  fetchAccessEvents,
  parsePlan,
  parseSince,
  Plan,
  PLAN_NAMES,
  PLANS,
  retentionText,
} from "./logs";

// zt audit: who tried to sign in, to what, and whether Access let them, from the Access
// authentication log; the runbook's "Reading audit logs" without the dashboard.

export const AUDIT_HELP = `Usage: npm run zt -- audit [--since 24h] [--email EMAIL] [--denied] [--json] [--plan free|standard|enterprise]

Lists Access sign-in events, newest first: time (UTC), email, application, allowed/denied, reason, device.
  --since WHEN      how far back: 90m, 24h, 7d, 2w, or a date such as 2026-11-01 (default 24h)
  --email EMAIL     only this person (exact match)
  --denied          only denied sign-ins
  --json            JSON array on stdout instead of the table (notes go to stderr)
  --plan PLAN       the account's Zero Trust plan, for log retention: free (24h), standard (30 days),
                    enterprise (180 days); default zt-cli:plan in the stack file, else free
${COMMON_HELP}

Reasons for a denial come from the log entry when it carries one; otherwise they are worked out from
users.yaml, whose policy is "email listed AND device serial registered": not in users.yaml, expired,
no device, or (email allowed) the device check failed. Device is shown when the entry names one.
Exit 0 on success, 1 for bad input files, 3 when Cloudflare cannot be used, 64 for a bad command line.

Example: npm run zt -- audit --since 7d --denied`;

export interface AuditOptions {
  stack?: string;
  tokenEnv?: string;
  since?: string;
  email?: string;
  denied?: boolean;
  json?: boolean;
  plan?: string;
}

export interface PlanChoice {
  plan: Plan;
  /** false when neither --plan nor zt-cli:plan said which plan it is. */
  known: boolean;
}

export function choosePlan(flag: string | undefined, stack: StackInfo): PlanChoice {
  const fromFlag = parsePlan(flag, "--plan");
  if (fromFlag) return { plan: fromFlag, known: true };
  const fromStack = parsePlan(stack.plan, `zt-cli:plan in Pulumi.${stack.name}.yaml`);
  return fromStack ? { plan: fromStack, known: true } : { plan: "free", known: false };
}

/** The note printed when the plan's log retention starts after the asked-for window. */
export function retentionNote(choice: PlanChoice, since: Date, at: Date): string | undefined {
  const kept = new Date(at.getTime() - PLANS[choice.plan] * 86_400_000);
  if (since.getTime() >= kept.getTime()) return undefined;
  const assumed = choice.known ? "" : " (plan assumed; pass --plan or set zt-cli:plan)";
  return `note: the ${PLAN_NAMES[choice.plan]} plan keeps Access logs for ${retentionText(choice.plan)}${assumed}: nothing before ${shortTime(kept.toISOString())} UTC can be shown, although --since asked from ${shortTime(since.toISOString())}; export logs with Logpush (Enterprise) to keep them longer`;
}

/** Why a denied sign-in was denied: the entry's own reason, else what users.yaml says about the person. */
export function denialReason(
  e: AccessEvent,
  users: Users | undefined,
  hostnames: ReadonlySet<string>,
): string {
  if (e.allowed) return "-";
  if (e.reason) return e.reason;
  if (!users) return "-";
  if (e.app !== "-" && !hostnames.has(e.app)) return "not an application of this stack";
  const u = users.state.users.find((x) => x.email === e.email.toLowerCase());
  if (!u) return `not in ${users.name}`;
  if (u.expired) return `expired ${u.expires}`;
  if (u.devices.length === 0) return `no device in ${users.name}`;
  return "email allowed: device check failed or WARP off";
}

export function deviceLabel(e: AccessEvent, index: DeviceIndex | undefined): string {
  if (e.serial) return e.serial;
  const known = e.deviceId ? index?.byId.get(e.deviceId) : undefined;
  if (known)
    return known.serial
      ? `${known.serial}${known.name ? ` (${known.name})` : ""}`
      : (known.name ?? e.deviceId!);
  return e.deviceName ?? e.deviceId ?? "-";
}

export async function audit(opts: AuditOptions, env: ZtEnv): Promise<number> {
  const stack = loadStack(env, opts.stack);
  const at = now(env);
  const since = parseSince(opts.since ?? "24h", at);
  if (since.getTime() > at.getTime())
    throw new CliError(`--since ${opts.since} is in the future`, EXIT.usage);
  const choice = choosePlan(opts.plan, stack);
  const email = opts.email?.trim().toLowerCase();
  let users: Users | undefined;
  try {
    users = loadUsers(env, stack);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    env.output.err(`note: ${error.message}; denial reasons are left out`);
  }
  const api = connect(env, stack, opts.tokenEnv);
  const note = retentionNote(choice, since, at);
  if (note) env.output.err(note);

  const { events, truncated, index } = await withApi(api, async () => {
    const fetched = await fetchAccessEvents(api, { since, until: at, email });
    const needDevices = fetched.events.some((e) => e.deviceId && !e.serial);
    return { ...fetched, index: needDevices ? await deviceIndex(api) : undefined };
  });
  const hostnames = new Set(stack.config.apps.map((a) => a.hostname));
  const shown = events
    .filter((e) => !email || e.email.toLowerCase() === email)
    .filter((e) => !opts.denied || !e.allowed);
  if (truncated)
    env.output.err(`note: stopped after ${events.length} events; narrow --since or --email to see the rest`);

  const rows = shown.map((e) => ({
    event: e,
    reason: denialReason(e, users, hostnames),
    device: deviceLabel(e, index),
  }));
  if (opts.json) {
    env.output.out(
      JSON.stringify(
        rows.map(({ event: e, reason, device }) => ({
          time: e.time,
          email: e.email,
          app: e.app,
          app_uid: e.appUid ?? null,
          allowed: e.allowed,
          action: e.action ?? null,
          reason: e.allowed ? null : reason,
          device: device === "-" ? null : device,
          ip_address: e.ip ?? null,
          country: e.country ?? null,
          connection: e.connection ?? null,
          ray_id: e.rayId ?? null,
        })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  const window = `${shortTime(since.toISOString())} to ${shortTime(at.toISOString())} UTC`;
  const filters = [email ? `email ${email}` : "", opts.denied ? "denied only" : ""]
    .filter(Boolean)
    .join(", ");
  if (rows.length === 0) {
    env.output.out(`No Access sign-in events from ${window}${filters ? ` (${filters})` : ""}.`);
    return EXIT.ok;
  }
  const lines = textTable(
    ["TIME (UTC)", "EMAIL", "APP", "RESULT", "REASON", "DEVICE"],
    rows.map(({ event: e, reason, device }) => [
      shortTime(e.time),
      e.email || "-",
      e.app,
      e.allowed ? "allowed" : "denied",
      reason,
      device,
    ]),
  );
  for (const line of lines) env.output.out(line);
  const denied = rows.filter((r) => !r.event.allowed).length;
  env.output.out(
    `${rows.length} event${rows.length === 1 ? "" : "s"} (${rows.length - denied} allowed, ${denied} denied) from ${window}${filters ? `; ${filters}` : ""}`,
  );
  return EXIT.ok;
}
