import { Document, LineCounter, visit } from "yaml";
import { z } from "zod";
import { escapedCharacters, rawCharacters } from "./characters";
import { issueToProblems } from "./issues";
import { mergeKeys } from "./merge";
import { Problem } from "./problems";
import { Positions, positionsInText } from "./positions";
import { salvage, Salvaged } from "./salvage";
import { UsersFile, usersFileSchema } from "./schema";
import { MAX_DEPTH, parseYaml, syntaxProblems } from "./syntax";

// Step one of validation: text -> YAML -> schema. Every failure is collected with the position of the
// node it is about; nothing here stops at the first problem unless the YAML cannot be read at all.

const MAX_ALIAS_EXPANSIONS = 100;
const MAX_BYTES = 5_000_000;

export interface Parsed {
  /** The schema's output, when the whole file passed it. */
  value?: UsersFile;
  /** When the YAML could be read: every field that passed its own schema, so the rules still run. */
  typed?: Salvaged<UsersFile>;
  positions?: Positions;
  problems: Problem[];
}

export function parseUsersText(text: string, file: string): Parsed {
  const problems: Problem[] = [];
  const at = (pos: { line: number; col: number }, message: string) =>
    problems.push({ file, ...pos, message });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  if (text.length > MAX_BYTES) {
    at(
      { line: 1, col: 1 },
      `the file is larger than ${MAX_BYTES / 1_000_000} MB; split it or remove unused entries`,
    );
    return { problems };
  }
  const offsetPos = positionsInText(text);
  rawCharacters(text, (offset, message) => at(offsetPos(offset), message));

  const lines = new LineCounter();
  const { doc, structure } = parseYaml(text, lines);
  if (!doc) {
    at(
      offsetPos(structure.tooDeep ?? 0),
      `nesting deeper than ${MAX_DEPTH} levels: users.yaml needs 5 at most (users, a user, devices, a device); ` +
        "remove the extra brackets or indentation",
    );
    return { problems };
  }
  const positions = new Positions(doc, lines);
  for (const p of syntaxProblems(doc.errors, text, structure, offsetPos)) problems.push({ file, ...p });
  if (doc.errors.length > 0 || structure.unclosed.length > 0) return { positions, problems };
  escapedCharacters(doc, text, (offset, message) => at(offsetPos(offset), message));

  if (doc.contents === null || (isEmptyScalar(doc.contents) && !text.trim().replace(/#.*$/gm, "").trim())) {
    at(
      { line: 1, col: 1 },
      "the file is empty: it must contain `users:` with at least one user (an empty list would lock everyone out)",
    );
    return { positions, problems };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch {
    at(
      firstAlias(doc, positions),
      `too many YAML alias expansions (more than ${MAX_ALIAS_EXPANSIONS}); write the entries out instead of using anchors and aliases`,
    );
    return { positions, problems };
  }

  const merges = mergeKeys(doc, positions, file);
  const result = usersFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues)
      problems.push(...issueToProblems(issue, data, positions, file, merges));
  }
  for (const issue of legacyDevices(data))
    problems.push(...issueToProblems(issue, data, positions, file, merges));
  problems.push(...merges.problems);
  if (result.success) return { value: result.data, typed: result.data, positions, problems };
  return { typed: salvage(usersFileSchema, data) ?? {}, positions, problems };
}

/**
 * Without `groups:` (legacy mode) every user needs a devices list, as the schema required before portal
 * mode made it optional; reported as the schema's own missing-key issue, so the message is unchanged.
 */
function legacyDevices(data: unknown): z.core.$ZodIssue[] {
  if (typeof data !== "object" || data === null || "groups" in data) return [];
  const users = (data as { users?: unknown }).users;
  if (!Array.isArray(users)) return [];
  return users.flatMap((u, i) =>
    typeof u === "object" && u !== null && !Array.isArray(u) && !("devices" in u)
      ? [
          {
            code: "invalid_type",
            expected: "array",
            input: undefined,
            path: ["users", i, "devices"],
            message: "Invalid input: expected array, received undefined",
          } satisfies z.core.$ZodIssueInvalidType,
        ]
      : [],
  );
}

function isEmptyScalar(node: unknown): boolean {
  return (
    typeof node === "object" &&
    node !== null &&
    "value" in node &&
    (node as { value: unknown }).value === null
  );
}

function firstAlias(doc: Document, positions: Positions) {
  let found: { line: number; col: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!found && node.range) found = positions.at(node.range[0]);
    },
  });
  return found ?? { line: 1, col: 1 };
}
