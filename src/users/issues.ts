import { z } from "zod";
import { hintFor } from "./hints";
import { MergeKeys } from "./merge";
import { closest, describePath, Problem } from "./problems";
import { Positions } from "./positions";
import { accessEntrySchema, accessTestSchema, groupSchema, serviceTokenSchema } from "./portal-schema";
import { deviceSchema, sessionsSchema, userSchema, usersFileSchema } from "./schema";

// zod issues -> problems at the node they are about, with a did-you-mean or the actual cause when
// there is one (hints.ts), and without the echoes of a problem already reported (a typo'd key is not
// also a missing key; the keys a merge key would have brought are not missing either).

// Which keys are allowed where, for "did you mean" hints.
const SHAPES: Record<string, { shape: Record<string, unknown> }> = {
  users: userSchema,
  groups: groupSchema,
  access: accessEntrySchema,
  serviceTokens: serviceTokenSchema,
  tests: accessTestSchema,
};
const PORTAL_KEYS = new Set(["groups", "access", "serviceTokens", "tests"]);

function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(usersFileSchema.shape);
  if (path.length === 1 && path[0] === "sessions") return Object.keys(sessionsSchema.shape);
  if (path[0] === "users" && path.length === 4) return Object.keys(deviceSchema.shape);
  return Object.keys(SHAPES[String(path[0])]?.shape ?? {});
}

/**
 * The keys listed when no known key is close: a file without `groups:` (legacy mode) is not told about
 * the portal-only keys, which would mean nothing to it (a did-you-mean still finds them).
 */
function listedKeys(path: readonly PropertyKey[], data: unknown): string[] {
  const portal = valueAt(data, ["groups"]) !== undefined;
  return knownKeys(path).filter(
    (k) => portal || (!(PORTAL_KEYS.has(k) && path.length === 0) && !(k === "groups" && path[0] === "users")),
  );
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path)
    v = v === null || typeof v !== "object" ? undefined : (v as Record<PropertyKey, unknown>)[p];
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function issueToProblems(
  issue: z.core.$ZodIssue,
  data: unknown,
  positions: Positions,
  file: string,
  merges: MergeKeys,
): Problem[] {
  if (merges.covers(issue.path)) return [];
  const where = describePath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = knownKeys(issue.path);
    return issue.keys
      .filter((key) => !merges.isSource(issue.path, key))
      .map((key) => {
        const hint = closest(key, allowed);
        const fix = hint
          ? `did you mean "${hint}"?`
          : `allowed keys: ${listedKeys(issue.path, data).join(", ")}`;
        return {
          file,
          ...positions.ofKey(issue.path, key),
          message: `unknown key "${key}" in ${where}: ${fix}`,
        };
      });
  }
  if (issue.code === "invalid_key") {
    // A record's key (a group or app name) is refused: point at the key itself, with the key's reason.
    const key = String(issue.path[issue.path.length - 1]);
    const reason = issue.issues[0]?.message ?? issue.message;
    const parent = describePath(issue.path.slice(0, -1));
    return [
      { file, ...positions.ofKey(issue.path.slice(0, -1), key), message: `${parent}: "${key}": ${reason}` },
    ];
  }
  const value = valueAt(data, issue.path);
  const parentExists = issue.path.length === 0 || valueAt(data, issue.path.slice(0, -1)) !== undefined;
  if (issue.code === "invalid_type" && value === undefined && parentExists && issue.path.length > 0) {
    const key = String(issue.path[issue.path.length - 1]);
    // `emial: ...` is already reported as an unknown key with "did you mean "email"?": one typo, one message.
    if (misspelled(issue.path.slice(0, -1), data).includes(key)) return [];
    const parent = describePath(issue.path.slice(0, -1));
    return [{ file, ...positions.of(issue.path), message: `${parent} is missing the required key "${key}"` }];
  }
  if (issue.code === "invalid_type" && issue.path.length === 0) {
    return [
      {
        file,
        ...positions.of([]),
        message: `the file must be a mapping with a "users:" list, not ${kindOf(value)}`,
      },
    ];
  }
  const hint = hintFor(issue.path, where, value);
  if (hint) return [{ file, ...positions.of(issue.path), message: hint }];
  const got = issue.code === "invalid_type" ? ` (got ${kindOf(value)})` : "";
  // "sessions.app must be ..." already names its path: no "sessions.app: sessions.app must be ...".
  const message = issue.message.startsWith(`${where} `) ? issue.message : `${where}: ${issue.message}`;
  return [{ file, ...positions.of(issue.path), message: `${message}${got}` }];
}

/** Known keys that unknown keys of the mapping at `path` were probably meant to be. */
function misspelled(path: readonly PropertyKey[], data: unknown): string[] {
  const map = valueAt(data, path);
  if (map === null || typeof map !== "object" || Array.isArray(map)) return [];
  const allowed = knownKeys(path);
  return Object.keys(map)
    .filter((k) => !allowed.includes(k))
    .map((k) => closest(k, allowed))
    .filter((k) => k !== undefined);
}
