import { createClient } from "../cloudflare/client";
import { loadStackFile } from "../config/stack-file";
import { AccountToken, TokenExpiry, tokenExpiries } from "./token-expiry";

// The plan's one read of the account, for the service tokens' expiry (issue 17, item 3): a list call
// (names and expires_at; a token list never carries a secret), only when users.yaml declares tokens
// and CLOUDFLARE_API_TOKEN is set. It never fails the plan: what it could not read becomes a note.

export type PlanTokens = TokenExpiry[] | { note: string };

export async function planTokenExpiry(
  dir: string,
  stack: string,
  accountId: string,
  declared: readonly string[],
  env: Record<string, string | undefined>,
  now: Date,
): Promise<PlanTokens | undefined> {
  if (declared.length === 0) return undefined;
  const apiToken = env.CLOUDFLARE_API_TOKEN?.trim();
  if (!apiToken)
    return {
      note: "service tokens' expiry not checked: set CLOUDFLARE_API_TOKEN (Access: Service Tokens Read) for the plan to read it",
    };
  const settings = loadStackFile(dir, stack).settings;
  const fromStack =
    typeof settings["cloudflare:baseUrl"] === "string" ? settings["cloudflare:baseUrl"] : undefined;
  const baseUrl = env.CLOUDFLARE_BASE_URL?.trim() || fromStack || undefined;
  try {
    const client = createClient({ apiToken, baseUrl }, { maxRetries: 2, timeoutMs: 15_000 });
    const tokens: AccountToken[] = [];
    for await (const t of client.zeroTrust.access.serviceTokens.list({ account_id: accountId }))
      tokens.push({ name: String(t.name), expires_at: (t as { expires_at?: string }).expires_at });
    return tokenExpiries(declared, tokens, now, { stack });
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      note: `service tokens' expiry not checked: the account's token list could not be read (${status ? `HTTP ${status}` : (error as Error).message})`,
    };
  }
}

/** The plan's lines: only what needs action (expiring, expired), or the note. */
export function tokenExpiryLines(tokens: PlanTokens | undefined): string[] {
  if (!tokens) return [];
  if ("note" in tokens) return [`- ${tokens.note}`];
  return tokens.filter((t) => t.status === "soon" || t.status === "expired").map((t) => `- **${t.message}**`);
}
