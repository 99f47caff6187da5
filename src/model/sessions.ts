// Session lengths, from the runbook: app 4-24h (default 8h), WARP 8-168h (default 24h), WARP >= app.
export const SESSION_LIMITS = {
  app: { min: 4 * 60, max: 24 * 60, default: "8h" },
  warp: { min: 8 * 60, max: 168 * 60, default: "24h" },
} as const;

/** "8h" -> 480, "90m" -> 90. The schema has already checked the shape. */
export function durationMinutes(text: string): number {
  const n = Number(text.slice(0, -1));
  return text.endsWith("h") ? n * 60 : n;
}

/** 480 -> "8h", 90 -> "90m": the form Cloudflare's session_duration fields accept and echo. */
export function formatDuration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** Human form for plans and messages: 480 -> "8 hours". */
export function humanDuration(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  const h = minutes / 60;
  return h === 1 ? "1 hour" : `${h} hours`;
}
