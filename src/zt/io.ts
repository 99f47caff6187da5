// What every zt command writes through and returns. Commands never touch process.stdout or
// process.exit: the CLI entry passes the real streams, tests pass a buffer.

export interface Output {
  /** One line (or block) of results, on stdout. */
  out(text: string): void;
  /** Errors, warnings and notes, on stderr. */
  err(text: string): void;
}

/** Exit codes shared by every command (also listed in `zt --help`). */
export const EXIT = {
  ok: 0,
  /** The command ran and found something: a failed doctor check, an expiring user, a refused revoke. */
  findings: 1,
  /** Bad arguments, or users.yaml / Pulumi.<stack>.yaml cannot be used. */
  usage: 2,
  /** Cloudflare could not be used: token, account, rate limit, network. */
  api: 3,
  /** A bug: an unexpected error (one line; ZT_DEBUG=1 prints the stack). */
  internal: 70,
} as const;

/** An error whose message is already written for the admin: printed as is, no stack trace. */
export class ZtError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    /** Extra lines printed after the message (e.g. one per users.yaml problem). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = "ZtError";
  }
}

/** Wraps an output so that none of `secrets` can ever be printed, whatever a message carries. */
export function redacting(output: Output, secrets: readonly (string | undefined)[]): Output {
  const live = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8);
  if (live.length === 0) return output;
  const scrub = (text: string) => live.reduce((t, s) => t.split(s).join("[redacted]"), text);
  return { out: (t) => output.out(scrub(t)), err: (t) => output.err(scrub(t)) };
}
