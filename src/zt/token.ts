import { chmodSync, closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { COMMON_HELP } from "./args";
import { Api, connect, loadStack, loadUsers, now, withApi, ZtEnv } from "./context";
import { CliError, EXIT } from "../command";
import { closest } from "../diagnostics/problems";
import { serviceTokenName, SERVICE_TOKEN_PATTERN } from "../model/names";
import { Loose } from "./inventory";

// zt token rotate: renew a service token (extend its expiry) and give it a new secret without downtime.
// Cloudflare's API (SDK node_modules/cloudflare resources/zero-trust/access/service-tokens.d.ts):
//   POST accounts/{a}/access/service_tokens/{id}/refresh  extends the expiry (secret unchanged);
//   POST accounts/{a}/access/service_tokens/{id}/rotate   issues a new client_secret (same client_id);
//   `previous_client_secret_expires_at` keeps the old secret valid until then ("If not provided, it
//   defaults to the current timestamp in order to immediately expire the previous secret").
// The secret is answered once, by rotate: it goes to a 0600 file, never to the terminal.

export const TOKEN_HELP = `Usage: npm run zt -- token rotate NAME [--grace 24h] [--keep-secret] [--out FILE] [--stack S]

Renews the service token NAME of users.yaml (the account's "zt-gitops NAME"): extends its expiry by
Cloudflare's refresh (one year), and issues a new client secret (same client id) while the previous
secret keeps working for the grace period, so CI can switch without downtime.
  --grace DURATION  how long the previous secret keeps working: 24h (default), 7d, 90m; 0 revokes it
                    at once (the secret was exposed: CI fails until it has the new one)
  --keep-secret     only extend the expiry (nothing to update in CI)
  --out FILE        where the new secret is written, mode 0600 (default .zt/secrets/<stack>/NAME.json,
                    git-ignored); the secret is never printed
${COMMON_HELP}
The API token needs Access: Service Tokens Edit.
Exit 0 when renewed, 1 when NAME is unknown or the file cannot be written, 3 when Cloudflare cannot be
used, 64 for a bad command line.

Example: npm run zt -- token rotate ci-deploy --stack prod`;

export interface TokenRotateOptions {
  stack?: string;
  tokenEnv?: string;
  name: string;
  grace?: string;
  keepSecret?: boolean;
  out?: string;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h", "7d", "90m", "0" -> milliseconds. */
export function graceMs(value: string): number {
  if (value === "0") return 0;
  const m = /^(\d{1,5})(m|h|d)$/.exec(value);
  if (!m)
    throw new CliError(
      `zt token rotate: --grace must be a duration such as 24h, 7d or 90m, or 0 to revoke the previous secret now (got "${value}")`,
      EXIT.usage,
    );
  return Number(m[1]) * UNIT_MS[m[2]];
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

async function findToken(api: Api, name: string): Promise<Loose> {
  const account_id = api.accountId;
  const all: Loose[] = [];
  for await (const t of api.client.zeroTrust.access.serviceTokens.list({ account_id })) all.push(t as Loose);
  const wanted = serviceTokenName(name);
  const found = all.find((t) => t.name === wanted);
  if (found) return found;
  const ours = all
    .map((t) => SERVICE_TOKEN_PATTERN.exec(String(t.name))?.[1])
    .filter((n): n is string => !!n);
  const hint = closest(name, ours);
  throw new CliError(
    `zt token rotate: the account has no service token "${wanted}"${hint ? `; did you mean ${hint}?` : ""}${ours.length ? ` (zt-gitops tokens: ${ours.join(", ")})` : ""}; apply users.yaml first if it is new`,
    EXIT.failure,
  );
}

/** Opens a private temporary file next to `file` before any API call, so a new secret is never lost. */
function privateFile(file: string): { write(text: string): void; abandon(): void } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  chmodSync(tmp, 0o600);
  return {
    write(text) {
      writeSync(fd, text);
      closeSync(fd);
      renameSync(tmp, file);
      chmodSync(file, 0o600);
    },
    abandon() {
      closeSync(fd);
      rmSync(tmp, { force: true });
    },
  };
}

export async function tokenRotate(opts: TokenRotateOptions, env: ZtEnv): Promise<number> {
  const grace = graceMs(opts.grace ?? "24h");
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const declared = users.state.portal?.serviceTokens.map((t) => t.name);
  if (declared && !declared.includes(opts.name)) {
    const hint = closest(opts.name, declared);
    throw new CliError(
      `zt token rotate: ${users.name} declares no service token "${opts.name}"${hint ? `; did you mean ${hint}?` : ""}${declared.length ? ` (serviceTokens: ${declared.join(", ")})` : " (it has no serviceTokens)"}`,
      EXIT.failure,
    );
  }
  const api = connect(env, stack, opts.tokenEnv);
  const o = env.output;
  const account_id = api.accountId;
  const st = api.client.zeroTrust.access.serviceTokens;
  const token = await withApi(api, () => findToken(api, opts.name));

  if (opts.keepSecret) {
    const renewed = (await withApi(api, () => st.refresh(token.id, { account_id }))) as Loose;
    o.out(
      `${opts.name}: expiry extended from ${token.expires_at} to ${renewed.expires_at}; secret unchanged.`,
    );
    o.out("Nothing to update in CI.");
    return EXIT.ok;
  }

  const file = resolve(env.projectDir, opts.out ?? `.zt/secrets/${stack.name}/${opts.name}.json`);
  const shown = relative(env.projectDir, file) || file;
  let out: ReturnType<typeof privateFile>;
  try {
    out = privateFile(file);
  } catch (error) {
    throw new CliError(
      `zt token rotate: cannot write ${shown} (${(error as Error).message}); nothing was changed. Pass --out FILE`,
      EXIT.failure,
    );
  }
  const at = now(env);
  const previousUntil = iso(new Date(at.getTime() + grace));
  let rotated: Loose;
  try {
    rotated = (await withApi(api, () =>
      st.rotate(token.id, { account_id, previous_client_secret_expires_at: previousUntil }),
    )) as Loose;
  } catch (error) {
    out.abandon();
    throw error;
  }
  if (typeof rotated.client_secret !== "string") {
    out.abandon();
    throw new CliError(
      `zt token rotate: Cloudflare rotated ${opts.name} but answered no secret; rotate it again (the previous secret works until ${previousUntil})`,
      EXIT.api,
    );
  }
  out.write(
    `${JSON.stringify(
      {
        name: opts.name,
        clientId: rotated.client_id,
        clientSecret: rotated.client_secret,
        clientSecretVersion: rotated.client_secret_version,
        previousSecretValidUntil: previousUntil,
        rotatedAt: iso(at),
      },
      null,
      2,
    )}\n`,
  );
  o.out(
    `${opts.name}: new client secret (version ${rotated.client_secret_version}) written to ${shown} (mode 0600).`,
  );
  // Renewal after the secret is safe on disk: a failed refresh loses nothing.
  const renewed = (await withApi(api, () => st.refresh(token.id, { account_id }))) as Loose;
  o.out(`Expiry extended from ${token.expires_at} to ${renewed.expires_at}.`);
  o.out(
    grace === 0
      ? "The previous secret stopped working now (--grace 0): CI fails until it has the new one."
      : `The previous secret keeps working until ${previousUntil}.`,
  );
  o.out("Update CI before then:");
  o.out(
    `  - the CF-Access-Client-Secret header's secret (e.g. CF_ACCESS_CLIENT_SECRET) := clientSecret in ${shown}`,
  );
  o.out(`  - CF-Access-Client-Id is unchanged (${rotated.client_id})`);
  o.out(`Then delete ${shown} (it is the only copy: Cloudflare never shows the secret again).`);
  return EXIT.ok;
}
