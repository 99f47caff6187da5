import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderUsersJsonSchema } from "../../src/cli/schema";

const COMMITTED = join(__dirname, "../../users.schema.json");

describe("users.schema.json", () => {
  it("is what `npm run schema` generates from the zod schema (run it and commit the result if this fails)", () => {
    expect(readFileSync(COMMITTED, "utf8")).toBe(renderUsersJsonSchema());
  });

  it("describes the rules editors can check: strict keys, at least one user, the patterns", () => {
    const schema = JSON.parse(renderUsersJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["users"]);
    expect(schema.properties.users.minItems).toBe(1);
    const user = schema.properties.users.items;
    expect(user.additionalProperties).toBe(false);
    // devices is required in a file without groups: (legacy), optional once groups: is declared.
    expect(user.required).toEqual(["email"]);
    expect(schema.if).toEqual({ not: { required: ["groups"] } });
    expect(schema.then.properties.users.items.required).toEqual(["email", "devices"]);
    expect(user.properties.devices.items.properties.serial.pattern).toBe("^[A-Za-z0-9-]{1,64}$");
    expect(user.properties.devices.items.properties.os.enum).toEqual(["macos", "windows", "linux"]);
    expect(schema.properties.sessions.properties.app.pattern).toBe("^[1-9][0-9]{0,4}[hm]$");
  });
});
