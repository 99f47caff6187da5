// The one exit-code table of every command (npm run validate, plan, apply, drift, preview, up, ...,
// compose, start, zt ...). The README lists it; `npm run zt -- --help` prints EXIT_HELP.

export const EXIT = {
  ok: 0,
  /** The command ran and the answer is no: invalid input, a refusal, a failed check or post-apply
   *  check, a finding (an expiring user, a SKIPped doctor check), or a failed engine operation. */
  failure: 1,
  /** Changes found: drift outside Git, or `preview --expect-no-changes` would change something. */
  changes: 2,
  /** Cloudflare could not be used: token, account, rate limit, network. */
  api: 3,
  /** Bad command line: unknown flag or command, a bad flag value, an unknown Git ref (sysexits EX_USAGE). */
  usage: 64,
  /** A bug: an unexpected error, printed as one line (ZT_DEBUG=1 prints the stack; sysexits EX_SOFTWARE). */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_HELP = `Exit codes: 0 ok; 1 failure (invalid input, refused, failed check, finding); 2 changes or drift found;
3 Cloudflare unusable (token, account, rate limit, network); 64 bad command line; 70 unexpected error.`;
