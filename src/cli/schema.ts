import { writeFileSync } from "node:fs";
import { usersJsonSchema } from "../users/schema";

// npm run schema: regenerate users.schema.json from the zod schema (a test fails when it is stale).
export function renderUsersJsonSchema(): string {
  return JSON.stringify(usersJsonSchema(), null, 2) + "\n";
}

if (require.main === module) {
  const path = process.argv[2] ?? "users.schema.json";
  writeFileSync(path, renderUsersJsonSchema());
  console.log(`wrote ${path}`);
}
