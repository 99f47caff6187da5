import { choosePlan } from "./audit";
import { COMMON_HELP } from "./args";
import { connect, loadStack, loadUsers, now, withApi, ZtEnv } from "./context";
import { deviceIndex, KnownDevice } from "./devices";
import { csvLine, daysBetween, mdTable, shortTime } from "./format";
import { EXIT, CliError } from "../command";
import { AccessEvent, fetchAccessEvents, PLAN_NAMES, PLANS, retentionText } from "./logs";
import { DesiredDevice, DesiredUser } from "../model/desired";
import { collect, Loose } from "./inventory";
import { portalReviewLines } from "./review-portal";

// zt review: the periodic access review. Everyone in users.yaml, their devices and expiry, when they
// last signed in (Access log) and when each device last talked to Cloudflare (WARP devices); who has
// not been seen for N days and which registered devices were never seen at all.

export const REVIEW_HELP = `Usage: npm run zt -- review [--days N] [--format md|csv] [--plan free|standard|enterprise]

Access-review report for every user in users.yaml: name, expiry, devices, last sign-in (from the
Access log), each device's last contact (WARP), then the users not seen for N days and the devices
never seen. Markdown (default) for a review ticket, or CSV (one row per device) for a spreadsheet.
When users.yaml declares groups: each group (login, members, apps it reaches), each application (groups,
who needs a device, service tokens) and each service token's expiry; CSV gets a groups column.
  --days N          "not seen" threshold in days (default 30)
  --format md|csv   output format (default md)
  --plan PLAN       free (24h logs), standard (30 days), enterprise (180 days); default zt-cli:plan,
                    else free. Last sign-ins older than the plan's retention cannot be known.
${COMMON_HELP}
Exit 0 on success, 1 for bad input files, 3 when Cloudflare cannot be used, 64 for a bad command line.

Example: npm run zt -- review --days 60 --format csv > review.csv`;

export interface ReviewOptions {
  stack?: string;
  tokenEnv?: string;
  days?: number;
  format?: string;
  plan?: string;
}

interface DeviceRow {
  device: DesiredDevice;
  seen?: KnownDevice;
}

interface UserRow {
  user: DesiredUser;
  lastSignIn?: string;
  notSeen: boolean;
  devices: DeviceRow[];
}

export async function review(opts: ReviewOptions, env: ZtEnv): Promise<number> {
  const format = opts.format ?? "md";
  if (format !== "md" && format !== "csv")
    throw new CliError(`zt review: --format must be md or csv (got "${format}")`, EXIT.usage);
  const days = opts.days ?? 30;
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const choice = choosePlan(opts.plan, stack);
  const at = now(env);
  const retentionDays = PLANS[choice.plan];
  const logStart = new Date(at.getTime() - retentionDays * 86_400_000);
  const threshold = new Date(at.getTime() - days * 86_400_000);
  const api = connect(env, stack, opts.tokenEnv);

  const portal = users.state.portal;
  const { events, truncated, index, tokens } = await withApi(api, async () => {
    const [fetched, idx, tokens] = await Promise.all([
      fetchAccessEvents(api, { since: logStart, until: at }),
      deviceIndex(api),
      // Only the names and expiry dates are read; a token list never carries a secret.
      portal?.serviceTokens.length
        ? (collect(api.client.zeroTrust.access.serviceTokens.list({ account_id: api.accountId })) as Promise<
            Loose[]
          >)
        : Promise.resolve([] as Loose[]),
    ]);
    return { ...fetched, index: idx, tokens };
  });
  if (truncated)
    env.output.err(
      `note: the Access log had more events than were read; last sign-ins may be missing for some users`,
    );
  const lastAllowed = new Map<string, string>();
  for (const e of events as AccessEvent[]) {
    if (!e.allowed) continue;
    const key = e.email.toLowerCase();
    const prev = lastAllowed.get(key);
    if (!prev || Date.parse(e.time) > Date.parse(prev)) lastAllowed.set(key, e.time);
  }
  const latest = (list: KnownDevice[] | undefined) =>
    list?.reduce<KnownDevice | undefined>(
      (best, d) =>
        !best || (d.lastSeen && (!best.lastSeen || Date.parse(d.lastSeen) > Date.parse(best.lastSeen)))
          ? d
          : best,
      undefined,
    );

  const rows: UserRow[] = users.state.users.map((user) => {
    const lastSignIn = lastAllowed.get(user.email);
    return {
      user,
      lastSignIn,
      notSeen: !user.expired && (!lastSignIn || Date.parse(lastSignIn) < threshold.getTime()),
      devices: user.devices.map((device) => ({
        device,
        seen: latest(index.bySerial.get(device.serial.toUpperCase())),
      })),
    };
  });

  // "Not seen for N days" can only be judged as far back as the log goes.
  const judged = Math.min(days, retentionDays);
  const limited = retentionDays < days;
  const planNote = `${PLAN_NAMES[choice.plan]} plan${choice.known ? "" : " (assumed; pass --plan or set zt-cli:plan)"}, Access logs kept ${retentionText(choice.plan)}`;
  const today = users.state.today;
  const expiry = (u: DesiredUser) => {
    if (!u.expires) return "-";
    const left = daysBetween(new Date(`${today}T00:00:00Z`), new Date(`${u.expires}T00:00:00Z`));
    return u.expired ? `${u.expires} (expired)` : `${u.expires} (${left} day${left === 1 ? "" : "s"} left)`;
  };
  const seenText = (d: DeviceRow) =>
    d.seen
      ? d.seen.lastSeen
        ? shortTime(d.seen.lastSeen).slice(0, 16)
        : "enrolled, never connected"
      : "never seen";
  // Expired users' devices are left out: the whole entry is listed for deletion below.
  const neverSeen = rows
    .filter((r) => !r.user.expired)
    .flatMap((r) => r.devices.filter((d) => !d.seen).map((d) => ({ user: r.user, d })));
  const notSeen = rows.filter((r) => r.notSeen);
  const groupsOf = (email: string) =>
    (portal?.groups ?? [])
      .filter((g) => g.members.includes(email))
      .map((g) => g.name)
      .join(" ");

  if (format === "csv") {
    const o = env.output;
    o.out(
      csvLine([
        "email",
        "name",
        "expires",
        "status",
        "last_sign_in",
        `not_seen_${days}d`,
        "device_serial",
        "device_os",
        "device_label",
        "device_last_seen",
        "device_never_seen",
        "users_yaml_line",
        ...(portal ? ["groups"] : []),
      ]),
    );
    for (const r of rows) {
      const base = [
        r.user.email,
        r.user.name ?? "",
        r.user.expires ?? "",
        r.user.expired ? "expired" : "active",
        r.lastSignIn ?? "",
        r.notSeen ? "yes" : "no",
      ];
      // Portal mode: the user's groups, as the last column.
      const groups = portal ? [groupsOf(r.user.email)] : [];
      if (r.devices.length === 0)
        o.out(csvLine([...base, "", "", "", "", "", String(r.user.line), ...groups]));
      for (const d of r.devices) {
        o.out(
          csvLine([
            ...base,
            d.device.serial,
            d.device.os ?? "any",
            d.device.label ?? "",
            d.seen?.lastSeen ?? "",
            d.seen ? "no" : "yes",
            String(d.device.line),
            ...groups,
          ]),
        );
      }
    }
    env.output.err(
      `review: ${rows.length} users, ${notSeen.length} not seen for ${judged === days ? `${days} days` : `${retentionText(choice.plan)} (log retention)`}, ${neverSeen.length} devices never seen (active users); ${planNote}`,
    );
    return EXIT.ok;
  }

  const lines: string[] = [];
  const active = rows.filter((r) => !r.user.expired).length;
  lines.push(`# Access review: stack ${stack.name}, ${today}`, "");
  lines.push(
    `${users.name}: ${rows.length} users (${active} active, ${rows.length - active} expired), ${rows.reduce((n, r) => n + r.devices.length, 0)} devices.`,
  );
  lines.push(
    `Sign-ins from the Access log since ${shortTime(logStart.toISOString())} UTC (${planNote}); device contact from WARP.`,
  );
  if (limited)
    lines.push(
      `The log does not reach back ${days} days: "not seen" below means not seen in the last ${retentionText(choice.plan)}.`,
    );
  lines.push("", "## Users", "");
  lines.push(
    ...mdTable(
      ["Email", "Name", "Expires", "Last sign-in (UTC)", "Devices (last contact)", "users.yaml"],
      rows.map((r) => [
        r.user.email,
        r.user.name ?? "-",
        expiry(r.user),
        r.lastSignIn
          ? shortTime(r.lastSignIn).slice(0, 16)
          : `none since ${shortTime(logStart.toISOString()).slice(0, 10)}`,
        r.devices.length
          ? r.devices
              .map(
                (d) =>
                  `${d.device.serial} (${[d.device.os ?? "any OS", d.device.label].filter(Boolean).join(", ")}): ${seenText(d)}`,
              )
              .join("; ")
          : "none: cannot pass the device check",
        `line ${r.user.line}`,
      ]),
    ),
  );
  lines.push("", `## Not seen for ${limited ? retentionText(choice.plan) : `${days} days`}`, "");
  if (notSeen.length === 0) lines.push("Everyone active signed in within the period.");
  for (const r of notSeen) {
    lines.push(
      `- ${r.user.email} (${users.name} line ${r.user.line}): ${r.lastSignIn ? `last sign-in ${shortTime(r.lastSignIn).slice(0, 16)} UTC` : "no sign-in in the log"}; confirm they still need access, or remove them`,
    );
  }
  lines.push("", "## Devices never seen", "");
  if (neverSeen.length === 0) lines.push("Every registered device has connected with WARP.");
  for (const { user, d } of neverSeen) {
    lines.push(
      `- ${d.device.serial} (${[d.device.os ?? "any OS", d.device.label].filter(Boolean).join(", ")}) of ${user.email} (${users.name} line ${d.device.line}): never enrolled in WARP; check the serial or remove the device`,
    );
  }
  const expiredRows = rows.filter((r) => r.user.expired);
  if (expiredRows.length) {
    lines.push("", "## Expired but still listed", "");
    for (const r of expiredRows)
      lines.push(
        `- ${r.user.email} expired ${r.user.expires} (${users.name} line ${r.user.line}): delete the entry`,
      );
  }
  if (portal) lines.push(...portalReviewLines(portal, stack, users.name, tokens as never, at));
  for (const line of lines) env.output.out(line);
  return EXIT.ok;
}
