import { existsSync, readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { InputError, Problem, closest, describePath } from "../diagnostics/problems";
import { Positions } from "../diagnostics/positions";
import { StackConfig, stackConfigSchema } from "./schema";

export const CONFIG_NAMESPACE = "zt";
export const CONFIG_KEYS = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];

/**
 * Validates the `zt:` values of a stack. `read(key)` returns the value as Pulumi holds it (objects parsed);
 * `stackFile` (Pulumi.<stack>.yaml) is only used to point messages at the line the value is written on.
 */
export function parseStackConfig(
  values: Record<string, unknown>,
  stackFile: string,
): { config?: StackConfig; problems: Problem[] } {
  const positions = stackFilePositions(stackFile);
  const where = (path: readonly PropertyKey[]) => {
    const [head, ...rest] = path;
    return positions
      ? positions.of(["config", `${CONFIG_NAMESPACE}:${String(head)}`, ...rest])
      : { line: 1, col: 1 };
  };
  const problems: Problem[] = [];
  const known = new Set<string>(CONFIG_KEYS);
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      const hint = closest(key, CONFIG_KEYS);
      problems.push({
        file: stackFile,
        ...where([key]),
        message: `unknown setting ${CONFIG_NAMESPACE}:${key}${hint ? `: did you mean ${CONFIG_NAMESPACE}:${hint}?` : ""}`,
      });
    }
  }
  const result = stackConfigSchema.safeParse(
    Object.fromEntries(Object.entries(values).filter(([k]) => known.has(k))),
  );
  if (!result.success) {
    for (const issue of result.error.issues)
      problems.push({ file: stackFile, ...where(issue.path), message: configMessage(issue) });
  }
  return result.success && problems.length === 0 ? { config: result.data, problems } : { problems };
}

export function requireStackConfig(values: Record<string, unknown>, stackFile: string): StackConfig {
  const { config, problems } = parseStackConfig(values, stackFile);
  if (!config) throw new InputError(problems);
  return config;
}

function configMessage(issue: z.core.$ZodIssue): string {
  const key = `${CONFIG_NAMESPACE}:${describePath(issue.path)}`;
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) {
    return `${key} is required: set it with \`pulumi config set ${CONFIG_NAMESPACE}:${String(issue.path[0])} ...\` (see README, "Stack configuration")`;
  }
  if (issue.code === "unrecognized_keys") return `${key}: unknown key(s) ${issue.keys.join(", ")}`;
  return `${key}: ${issue.message}`;
}

/** Where a config path (e.g. ["zt:connector", "dockerHost"]) is written in the stack file; 1:1 if unknown. */
export function stackFileLocator(stackFile: string): (path: string[]) => { line: number; col: number } {
  const positions = stackFilePositions(stackFile);
  return (path) => (positions ? positions.of(["config", ...path]) : { line: 1, col: 1 });
}

function stackFilePositions(stackFile: string): Positions | undefined {
  if (!existsSync(stackFile)) return undefined;
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(stackFile, "utf8"), { lineCounter: lines });
  return new Positions(doc, lines);
}
