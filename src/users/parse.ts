import { LineCounter, parseDocument, visit } from "yaml";
import { z } from "zod";
import { closest, describePath, Problem } from "./problems";
import { Positions } from "./positions";
import { deviceSchema, sessionsSchema, userSchema, usersFileSchema, UsersFile } from "./schema";

// Step one of validation: text -> YAML -> schema. Every failure is collected with the position of the
// node it is about; nothing here stops at the first problem unless the YAML cannot be read at all.

const MAX_ALIAS_EXPANSIONS = 100;
const MAX_BYTES = 5_000_000;

// C0/C1 controls (tab, LF and CR are fine), and invisible characters that can hide a different
// address inside an innocent-looking line (bidi marks and overrides, zero-width characters).
const FORBIDDEN_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** `data` is the plain YAML content when it could be read, even if the schema rejected it, so later
 * checks (duplicates, ranges) still run and every problem is reported in one pass. */
export interface Parsed {
  value?: UsersFile;
  data?: unknown;
  positions?: Positions;
  problems: Problem[];
}

export function parseUsersText(text: string, file: string): Parsed {
  const problems: Problem[] = [];
  const at = (line: number, col: number, message: string) => problems.push({ file, line, col, message });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  if (text.length > MAX_BYTES) {
    at(1, 1, `the file is larger than ${MAX_BYTES / 1_000_000} MB; split it or remove unused entries`);
    return { problems };
  }
  forbiddenCharacters(text, at);

  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: true,
    version: "1.2",
  });
  const positions = new Positions(doc, lines);
  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    at(pos.line, pos.col, yamlMessage(error.code, error.message));
  }
  if (doc.errors.length > 0) return { positions, problems };

  if (doc.contents === null || (isEmptyScalar(doc.contents) && !text.trim().replace(/#.*$/gm, "").trim())) {
    at(
      1,
      1,
      "the file is empty: it must contain `users:` with at least one user (an empty list would lock everyone out)",
    );
    return { positions, problems };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    const pos = firstAlias(doc, positions);
    at(
      pos.line,
      pos.col,
      `too many YAML alias expansions (more than ${MAX_ALIAS_EXPANSIONS}); write the entries out instead of using anchors and aliases`,
    );
    return { positions, problems };
  }

  const result = usersFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueToProblems(issue, data, positions, file));
  }
  if (problems.length > 0 || !result.success) return { data, positions, problems };
  return { value: result.data, data, positions, problems: [] };
}

function forbiddenCharacters(text: string, at: (line: number, col: number, message: string) => void) {
  let line = 1;
  let lineStart = 0;
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) newlines.push(i);
  for (const match of text.matchAll(FORBIDDEN_CHARS)) {
    const offset = match.index;
    while (line - 1 < newlines.length && newlines[line - 1] < offset) {
      lineStart = newlines[line - 1] + 1;
      line++;
    }
    const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    at(
      line,
      offset - lineStart + 1,
      `invisible or control character U+${code}; delete it and retype the text around it (it often comes from copying out of a PDF or chat)`,
    );
  }
}

function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (code === "DUPLICATE_KEY")
    return `${first}: the same key is written twice in one mapping; keep one of them`;
  return `YAML syntax error: ${first}`;
}

function isEmptyScalar(node: unknown): boolean {
  return (
    typeof node === "object" &&
    node !== null &&
    "value" in node &&
    (node as { value: unknown }).value === null
  );
}

function firstAlias(doc: ReturnType<typeof parseDocument>, positions: Positions) {
  let found: { line: number; col: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!found && node.range) found = positions.at(node.range[0]);
    },
  });
  return found ?? { line: 1, col: 1 };
}

// Which keys are allowed where, for "did you mean" hints.
function knownKeys(path: readonly PropertyKey[]): string[] {
  const shape =
    path.length === 0
      ? usersFileSchema.shape
      : path.length === 1 && path[0] === "sessions"
        ? sessionsSchema.shape
        : path.length === 2
          ? userSchema.shape
          : deviceSchema.shape;
  return Object.keys(shape);
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

function issueToProblems(
  issue: z.core.$ZodIssue,
  data: unknown,
  positions: Positions,
  file: string,
): Problem[] {
  const where = describePath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed);
      const fix = hint ? `did you mean "${hint}"?` : `allowed keys: ${allowed.join(", ")}`;
      return {
        file,
        ...positions.ofKey(issue.path, key),
        message: `unknown key "${key}" in ${where}: ${fix}`,
      };
    });
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
