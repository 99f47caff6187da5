// Realism switches: where the evidence (FIDELITY.md) and the emulator's older,
// provider-shaped behaviour differ, each difference is one switch. The
// evidenced behaviour is the default; `off` brings back the behaviour the
// emulator had before issue 14, exactly.
//
//   --realism off                         every switch off
//   --realism lists=off,ratelimit=off     per-switch overrides (the rest stay on)
//   --realism ratelimit=5000              rate limit on, 5000 requests per window
//   --realism off,lists=on                start from off, turn one back on

/** One flag per behaviour; see FIDELITY.md for the source of each. */
export interface Realism {
  /** GET lists/{id} without items; flat, paginated /items newest first; PUT without items keeps them. */
  lists: boolean;
  /** GET devices/settings answers every documented field; PUT replaces, PATCH merges. */
  deviceSettings: boolean;
  /** A fresh account already has its Zero Trust organization (team domain, name). */
  organization: boolean;
  /** Account-wide limit per token: `rateLimit` requests per `rateLimitWindowMs`, then 429/971. */
  rateLimit: boolean;
  /** Requests allowed per window and token (Cloudflare: 1,200 per 5 minutes). */
  rateLimitMax: number;
  /** Window length in ms (Cloudflare: 300,000). */
  rateLimitWindowMs: number;
  /** Never send `x-should-retry` (no evidence Cloudflare sends it); off: `false` on 409/5xx. */
  noRetryHeader: boolean;
  /** SDK-shaped inputs: app `policies` as id strings, posture `type` changes, unknown fields dropped. */
  sdkInputs: boolean;
}

export const REALISM_ON: Readonly<Realism> = Object.freeze({
  lists: true,
  deviceSettings: true,
  organization: true,
  rateLimit: true,
  rateLimitMax: 1200,
  rateLimitWindowMs: 300_000,
  noRetryHeader: true,
  sdkInputs: true,
});

export const REALISM_OFF: Readonly<Realism> = Object.freeze({
  ...REALISM_ON,
  lists: false,
  deviceSettings: false,
  organization: false,
  rateLimit: false,
  noRetryHeader: false,
  sdkInputs: false,
});

/** Names accepted by `--realism` (snake or camel case) -> the field they set. */
const NAMES: Record<string, keyof Realism> = {
  lists: "lists",
  device_settings: "deviceSettings",
  devicesettings: "deviceSettings",
  organization: "organization",
  ratelimit: "rateLimit",
  rate_limit: "rateLimit",
  retry_header: "noRetryHeader",
  retryheader: "noRetryHeader",
  sdk_inputs: "sdkInputs",
  sdkinputs: "sdkInputs",
};

export type RealismOption = "on" | "off" | string | Partial<Realism>;

/** Resolve the option of `startEmulator` (object, "on", "off" or a `--realism` string). */
export function resolveRealism(opt: RealismOption | undefined): Realism {
  if (opt === undefined) return { ...REALISM_ON };
  if (typeof opt === "object") return { ...REALISM_ON, ...opt };
  return parseRealism(opt);
}

/** Parse a `--realism` value; throws with the accepted names on anything else. */
export function parseRealism(text: string): Realism {
  const out: Realism = { ...REALISM_ON };
  for (const raw of text.split(",").map((s) => s.trim().toLowerCase())) {
    if (!raw) continue;
    if (raw === "on" || raw === "off") {
      Object.assign(out, raw === "on" ? REALISM_ON : REALISM_OFF);
      continue;
    }
    const m = /^([a-z_]+)=([a-z0-9_]+)$/.exec(raw);
    const key = m ? NAMES[m[1]] : undefined;
    if (!m || !key)
      throw new Error(
        `--realism: cannot read "${raw}"; use on, off or NAME=on|off with NAME one of ` +
          "lists, device_settings, organization, ratelimit, retry_header, sdk_inputs" +
          ` (ratelimit=N sets the limit per 5 minutes)`,
      );
    const v = m[2];
    if (v === "on" || v === "off") {
      (out[key] as boolean) = v === "on";
    } else if (key === "rateLimit" && /^\d+$/.test(v) && Number(v) > 0) {
      out.rateLimit = true;
      out.rateLimitMax = Number(v);
    } else {
      throw new Error(
        `--realism: ${m[1]} takes on or off${key === "rateLimit" ? " or a number" : ""}, got ${v}`,
      );
    }
  }
  return out;
}
