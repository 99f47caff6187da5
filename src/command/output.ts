// The one way commands print. A command never touches process.stdout or console: it writes through the
// Output its environment carries, which scrubs every registered secret from every line and chunk. The
// entry point registers the API token (and --token-env's variable), the tunnel token and the engine's
// secrets; a command registers any secret value it comes across (e.g. the stack's secret outputs).

/** Where printed text goes: the real streams, or a test's buffers. */
export interface Sink {
  /** One line (or block) of results, on stdout; the sink adds the newline. */
  out(text: string): void;
  /** Errors, warnings and notes, on stderr; the sink adds the newline. */
  err(text: string): void;
  /** A raw chunk (engine progress), no newline added; default: err without the trailing newline. */
  progress?(text: string, stream: "out" | "err"): void;
}

export interface Output extends Required<Sink> {
  /** Registers a value that must never be printed (shorter than 8 characters: ignored, too common). */
  secret(value: string | undefined): void;
}

/** Environment variables whose values are secrets wherever they appear. */
export const SECRET_ENV = ["CLOUDFLARE_API_TOKEN", "TUNNEL_TOKEN", "PULUMI_CONFIG_PASSPHRASE"] as const;

export const REDACTED = "[redacted]";

/** The single redaction point: wraps a sink so that no registered secret can be printed. */
export function createOutput(sink: Sink, secrets: readonly (string | undefined)[] = []): Output {
  const live = new Set<string>();
  const secret = (value: string | undefined) => {
    if (typeof value === "string" && value.trim().length >= 8) live.add(value.trim());
  };
  secrets.forEach(secret);
  // Longest first, so a secret that contains another is replaced whole.
  const scrub = (text: string) =>
    [...live].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join(REDACTED), text);
  const raw = sink.progress;
  const progress = raw
    ? (text: string, stream: "out" | "err") => raw(scrub(text), stream)
    : (text: string, stream: "out" | "err") => {
        const line = scrub(text).replace(/\n$/, "");
        if (line) (stream === "out" ? sink.out : sink.err)(line);
      };
  return {
    out: (t) => sink.out(scrub(t)),
    err: (t) => sink.err(scrub(t)),
    progress,
    secret,
  };
}

/** The process's own streams. */
export const processSink: Sink = {
  out: (t) => void process.stdout.write(`${t}\n`),
  err: (t) => void process.stderr.write(`${t}\n`),
  progress: (t, stream) => void (stream === "out" ? process.stdout : process.stderr).write(t),
};

/** Collects what a command prints (tests). */
export function bufferSink(): Sink & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => void out.push(`${t}\n`),
    err: (t) => void err.push(`${t}\n`),
    progress: (t, stream) => void (stream === "out" ? out : err).push(t),
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
