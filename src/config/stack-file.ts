import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, parseStackConfig } from "./load";
import { StackConfig } from "./schema";
import { Problem } from "../diagnostics/problems";

// Reads a stack's settings straight from Pulumi.<stack>.yaml, for commands that run without the engine
// (plan, compose, zt doctor). Secret values stay encrypted: they are skipped here, never decrypted.

/** Keys held only as secrets and handled outside the schema. */
export const SECRET_KEYS = ["logpushSecret", "identityProviderSecrets"] as const;

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

export function readStackValues(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  return stackValuesFromText(readFileSync(file, "utf8"));
}

/** Everything under `config:` as written, every namespace (secure values as their `{ secure }` objects). */
export function configSection(text: string): Record<string, unknown> {
  const doc = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  return doc.config ?? {};
}

/** The `zt:` values of a config section, without the secrets (they stay encrypted). */
function ztValues(section: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    const [ns, name] = key.split(":");
    if (ns !== CONFIG_NAMESPACE || !name || (SECRET_KEYS as readonly string[]).includes(name)) continue;
    if (typeof value === "object" && value !== null && "secure" in value) continue;
    values[name] = value;
  }
  return values;
}

/** The same, from the file's text (e.g. `git show REF:Pulumi.prod.yaml` for the PR plan's base). */
export function stackValuesFromText(text: string): Record<string, unknown> {
  return ztValues(configSection(text));
}

export interface StackFile {
  config?: StackConfig;
  problems: Problem[];
  /** The whole `config:` section as written (other namespaces too, e.g. cloudflare:baseUrl). */
  settings: Record<string, unknown>;
}

export function loadStackFile(projectDir: string, stack: string): StackFile {
  const file = stackFilePath(projectDir, stack);
  if (!existsSync(file))
    return {
      settings: {},
      problems: [
        {
          file,
          line: 1,
          col: 1,
          message: `no such stack file; create it with \`pulumi stack init ${stack}\` or pass --stack`,
        },
      ],
    };
  const settings = configSection(readFileSync(file, "utf8"));
  return { ...parseStackConfig(ztValues(settings), file), settings };
}
