import { Problem } from "./problems";
import { Positions } from "./positions";
import { DATE_PATTERN, DURATION_PATTERN, Os, SERIAL_PATTERN } from "./schema";
import { durationMinutes, formatDuration, SESSION_LIMITS } from "../model/sessions";
import { DesiredState, DesiredUser, buildDesiredState } from "../model/desired";

// Step two of validation: rules that need more than one value at a time (ranges, duplicates,
// WARP >= app, real calendar dates, someone left to sign in). It reads the raw YAML data defensively,
// so it also runs when the schema found problems elsewhere: the admin sees everything in one pass.

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, pattern?: RegExp): string | undefined =>
  typeof v === "string" && (!pattern || pattern.test(v)) ? v : undefined;

export function checkUsers(
  data: unknown,
  positions: Positions,
  file: string,
  today: string,
): { state?: DesiredState; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (path: PropertyKey[], message: string) =>
    problems.push({ file, ...positions.of(path), message });
  const root = isObject(data) ? data : {};
  const sessions = isObject(root.sessions) ? root.sessions : {};

  const app = text(sessions.app, DURATION_PATTERN) ?? SESSION_LIMITS.app.default;
  const warp = text(sessions.warp, DURATION_PATTERN) ?? SESSION_LIMITS.warp.default;
  const appMinutes = durationMinutes(app);
  const warpMinutes = durationMinutes(warp);
  if (appMinutes < SESSION_LIMITS.app.min || appMinutes > SESSION_LIMITS.app.max) {
    report(["sessions", "app"], `sessions.app is ${app}: the app session must be between 4h and 24h`);
  }
  if (warpMinutes < SESSION_LIMITS.warp.min || warpMinutes > SESSION_LIMITS.warp.max) {
    report(["sessions", "warp"], `sessions.warp is ${warp}: the WARP session must be between 8h and 168h`);
  }
  if (warpMinutes < appMinutes) {
    const written = (key: "app" | "warp", value: string) =>
      text(sessions[key], DURATION_PATTERN) === undefined ? `${value}, the default` : value;
    report(
      ["sessions", sessions.warp !== undefined ? "warp" : "app"],
      `sessions.warp (${written("warp", warp)}) is shorter than sessions.app (${written("app", app)}): users would lose the network while the app still thinks they are signed in; set warp to at least ${app}`,
    );
  }

  const emailLine = new Map<string, number>();
  const serialOwner = new Map<string, { user: number; email: string; line: number }>();
  const users: DesiredUser[] = list(root.users)
    .filter(isObject)
    .map((u, i) => {
      const email = (text(u.email) ?? "").toLowerCase();
      const line = positions.of(["users", i]).line;
      const firstLine = emailLine.get(email);
      if (email && firstLine !== undefined) {
        report(
          ["users", i, "email"],
          `${email} is listed twice (first at line ${firstLine}); keep one entry and merge the devices`,
        );
      } else if (email) emailLine.set(email, positions.of(["users", i, "email"]).line);

      const expires = text(u.expires, DATE_PATTERN);
      if (expires !== undefined && !isCalendarDate(expires)) {
        report(
          ["users", i, "expires"],
          `expires ${expires} is not a real date; write YYYY-MM-DD, e.g. 2027-03-31`,
        );
      }

      const devices = list(u.devices)
        .filter(isObject)
        .flatMap((d, j) => {
          const serial = text(d.serial, SERIAL_PATTERN);
          if (!serial) return [];
          const key = serial.toUpperCase();
          const dline = positions.of(["users", i, "devices", j, "serial"]).line;
          const owner = serialOwner.get(key);
          if (owner) {
            const whose =
              owner.user === i ? "already listed for this user" : `already registered to ${owner.email}`;
            report(
              ["users", i, "devices", j, "serial"],
              `serial ${serial} is ${whose} (line ${owner.line}); a device belongs to one person: remove one of them`,
            );
          } else serialOwner.set(key, { user: i, email, line: dline });
          return [{ serial, os: text(d.os) as Os | undefined, label: text(d.label), line: dline }];
        });
      return {
        email,
        name: text(u.name),
        expires,
        expired: expires !== undefined && expires < today,
        devices,
        line,
      };
    });

  if (users.length > 0 && users.every((u) => u.expired)) {
    report(
      ["users"],
      `every user has expired (today is ${today}): nobody could sign in; extend an expires date or add a user`,
    );
  }
  if (problems.length > 0) return { problems };
  return {
    state: buildDesiredState(
      users,
      { appMinutes, warpMinutes, app: formatDuration(appMinutes), warp: formatDuration(warpMinutes) },
      today,
    ),
    problems,
  };
}

function isCalendarDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
