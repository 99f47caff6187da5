import { STACK_HELP } from "./args";
import { loadStack, loadUsers, ZtEnv } from "./context";
import { daysBetween, textTable } from "./format";
import { EXIT } from "../command";

// zt expire: whose access ends soon, or has ended and is still written in users.yaml. Offline:
// reads users.yaml only, so it can run in a scheduled CI job without a token.

export const EXPIRE_HELP = `Usage: npm run zt -- expire [--days N] [--stack NAME]

Lists users whose \`expires\` date has passed or falls within the next N days (default 14), soonest first.
Reads users.yaml only (the stack's zt:usersFile); no API token is needed.
  --days N          look ahead N days (default 14)
${STACK_HELP}
Exit 0 when nobody is listed, 1 when someone is (handy for a scheduled job) or users.yaml is
invalid, 64 for a bad command line.

Example: npm run zt -- expire --days 30`;

export interface ExpireOptions {
  stack?: string;
  days?: number;
}

export async function expire(opts: ExpireOptions, env: ZtEnv): Promise<number> {
  const days = opts.days ?? 14;
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const today = new Date(`${users.state.today}T00:00:00Z`);
  const horizon = new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const due = users.state.users
    .filter((u) => u.expires !== undefined && u.expires <= horizon)
    .sort((a, b) => a.expires!.localeCompare(b.expires!) || a.email.localeCompare(b.email));
  if (due.length === 0) {
    env.output.out(
      `Nobody in ${users.name} has expired or expires by ${horizon} (today ${users.state.today} + ${days} days).`,
    );
    return EXIT.ok;
  }
  const rows = due.map((u) => {
    // `expires` is the last day of access: access ends at the start of the next day.
    const left = daysBetween(today, new Date(`${u.expires}T00:00:00Z`));
    const status = u.expired
      ? `expired ${-left} day${-left === 1 ? "" : "s"} ago`
      : left === 0
        ? "last day today"
        : `${left} day${left === 1 ? "" : "s"} left`;
    return [u.email, u.name ?? "-", u.expires!, status, `${users.name}:${u.line}`];
  });
  for (const line of textTable(["EMAIL", "NAME", "EXPIRES", "STATUS", "WHERE"], rows)) env.output.out(line);
  const expired = due.filter((u) => u.expired).length;
  env.output.out(
    `${due.length} user${due.length === 1 ? "" : "s"}: ${expired} expired (left out of every list; delete the entries), ${due.length - expired} expiring by ${horizon} (extend \`expires\` if they still need access)`,
  );
  return EXIT.failure;
}
