import { writeFileSync } from "node:fs";
import { command, EXIT, mainOf, runEntry } from "../command";
import { usersJsonSchema } from "../users/schema";

// npm run schema: regenerate users.schema.json from the zod schema (a test fails when it is stale).
export function renderUsersJsonSchema(): string {
  return JSON.stringify(usersJsonSchema(), null, 2) + "\n";
}

export const SCHEMA = command({
  name: "schema",
  script: "npm run schema --",
  help: `Usage: npm run schema -- [PATH]

Writes the JSON Schema of users.yaml (for editors) to PATH (default users.schema.json).
Exit 0 when written, 64 for a bad flag.

Example: npm run schema`,
  options: { help: { type: "boolean", short: "h" } },
  positionals: 1,
  async run({ positionals }, env) {
    const path = positionals[0] ?? "users.schema.json";
    writeFileSync(path, renderUsersJsonSchema());
    env.output.out(`wrote ${path}`);
    return EXIT.ok;
  },
});

export const main = mainOf(SCHEMA);

if (require.main === module) runEntry(SCHEMA);
