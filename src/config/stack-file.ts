import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, parseStackConfig } from "./load";
import { StackConfig } from "./schema";
import { Problem } from "../users/problems";

// Reads a stack's settings straight from Pulumi.<stack>.yaml, for commands that run without the engine
// (plan, compose, zt doctor). Secret values stay encrypted: they are skipped here, never decrypted.

/** Keys held only as secrets and handled outside the schema. */
export const SECRET_KEYS = ["logpushSecret"] as const;

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

export function readStackValues(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  return stackValuesFromText(readFileSync(file, "utf8"));
}

/** The same, from the file's text (e.g. `git show REF:Pulumi.prod.yaml` for the PR plan's base). */
export function stackValuesFromText(text: string): Record<string, unknown> {
  const doc = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const [ns, name] = key.split(":");
    if (ns !== CONFIG_NAMESPACE || !name || (SECRET_KEYS as readonly string[]).includes(name)) continue;
    if (typeof value === "object" && value !== null && "secure" in value) continue;
    values[name] = value;
  }
  return values;
}

export function loadStackFile(
  projectDir: string,
  stack: string,
): { config?: StackConfig; problems: Problem[] } {
  const file = stackFilePath(projectDir, stack);
  if (!existsSync(file))
    return {
      problems: [
        {
          file,
          line: 1,
          col: 1,
          message: `no such stack file; create it with \`pulumi stack init ${stack}\` or pass --stack`,
        },
      ],
    };
  return parseStackConfig(readStackValues(file), file);
}
