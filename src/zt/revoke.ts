import { COMMON_HELP } from "./args";
import { connect, loadStack, loadUsers, Users, withApi, ZtEnv } from "./context";
import { EXIT, CliError } from "../command";
import { userSpan } from "./yaml-spans";
import { revokeUser } from "../cloudflare/revoke";

// zt revoke: the runbook's "departing staff" step that cannot wait for a merge: end the person's
// Access sessions and WARP registrations now.

export const REVOKE_HELP = `Usage: npm run zt -- revoke EMAIL [--force] [--stack NAME]

Ends EMAIL's Access sessions and revokes every WARP registration of theirs, now.
Refuses while EMAIL is still an active user in users.yaml (they would be let back in by the next
\`npm run up\`): remove them there first, or pass --force to revoke anyway (for example while the
pull request that removes them waits for review).
  --force           revoke even though EMAIL is still active in users.yaml
${COMMON_HELP}
The token needs Access: Organizations, Identity Providers, and Groups Revoke, and Zero Trust Edit.
Exit 0 when revoked, 1 when refused or users.yaml is invalid, 3 when Cloudflare cannot be used,
64 for a bad command line.

Example: npm run zt -- revoke carol@example.org`;

export interface RevokeOptions {
  stack?: string;
  tokenEnv?: string;
  email: string;
  force?: boolean;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function revoke(opts: RevokeOptions, env: ZtEnv): Promise<number> {
  const email = opts.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email))
    throw new CliError(
      `zt revoke: "${opts.email}" is not an email address; usage: npm run zt -- revoke EMAIL`,
      EXIT.usage,
    );
  const stack = loadStack(env, opts.stack);
  const o = env.output;
  let users: Users | undefined;
  try {
    users = loadUsers(env, stack);
  } catch (error) {
    // Revoking is urgent; a broken users.yaml must not stand in the way of --force.
    if (!(error instanceof CliError) || !opts.force) {
      if (error instanceof CliError)
        throw new CliError(
          `${error.message}; zt cannot tell whether ${email} is still listed: fix it, or pass --force to revoke anyway`,
          error.exitCode,
          error.details,
        );
      throw error;
    }
    o.err(`note: ${error.message}; revoking anyway (--force), without checking users.yaml`);
    for (const line of error.details) o.err(`  ${line}`);
  }
  const entry = users?.state.users.find((u) => u.email === email);
  const span = entry && users ? userSpan(users.path, email) : undefined;
  const where = span ? `lines ${span.user.start}-${span.user.end}` : `line ${entry?.line}`;
  if (users && entry && !entry.expired && !opts.force) {
    o.err(
      `refused: ${email} is still an active user in ${users.name} (${where}), so the next \`npm run up\` would let them back in.`,
    );
    o.err(
      `Remove them from ${users.name} and merge (applying the removal revokes them too), or run again with --force to revoke now anyway.`,
    );
    return EXIT.failure;
  }
  const api = connect(env, stack, opts.tokenEnv);
  const result = await withApi(api, () => revokeUser(api.target, email));
  o.out(
    result.sessionsRevoked
      ? `Revoked the Access sessions of ${email}: every application asks them to sign in again.`
      : `Cloudflare answered that it revoked no Access session of ${email} (none was active, or the email is unknown to Access).`,
  );
  o.out(
    result.registrationIds.length
      ? `Revoked ${result.registrationIds.length} WARP registration${result.registrationIds.length === 1 ? "" : "s"}: ${result.registrationIds.join(", ")}`
      : `No active WARP registration of ${email} was found.`,
  );
  if (!users) {
    o.out(
      `Reminder: make sure ${email} is no longer in ${stack.config.usersFile} once it can be read again.`,
    );
  } else if (entry && !entry.expired) {
    o.out(
      `Reminder: ${email} is still in ${users.name} (${where}). Delete these lines and merge, or the next \`npm run up\` lets them back in:`,
    );
    for (const [i, line] of (span?.user.lines ?? []).entries())
      o.out(`  ${String(span!.user.start + i).padStart(4)} | ${line}`);
  } else if (entry) {
    o.out(
      `Reminder: ${email} expired on ${entry.expires} but is still written in ${users.name} (${where}); delete the entry and merge to keep the file honest.`,
    );
  } else {
    o.out(
      `Reminder: ${email} is not in ${users.name}, so nothing is left to remove there. Check for later sign-in attempts: npm run zt -- audit --email ${email} --since 7d`,
    );
  }
  return EXIT.ok;
}
