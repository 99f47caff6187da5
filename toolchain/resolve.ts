// Between the choice (choice.ts) and the build table (build.ts): what the table can build, and which
// of its steps the chosen toolchain needs. The table is passed in, so build.ts can use this too.
import { join } from "node:path";
import type { Step } from "./build";
import type { Buildable, ToolchainChoice } from "./choice";
import type { Layout } from "./layout";

export function buildable(l: Layout, table: Step[]): Buildable {
  const plugins: Record<string, string> = {};
  for (const s of table) if (s.plugin) plugins[s.part] = s.plugin(l);
  return { cli: join(l.binDir, "pulumi"), cliRoot: l.root, plugins };
}

/** The steps for the parts chosen as "built here": the CLI's, and each such plugin's. */
export function stepsFor(choice: ToolchainChoice, table: Step[]): Step[] {
  const built = new Set(choice.plugins.filter((p) => p.source === "built here").map((p) => p.name));
  if (choice.cli.source === "built here") built.add("cli");
  return table.filter((s) => built.has(s.part));
}

/** Steps grouped by part, in table order: each group runs in order, groups are independent. */
export function chains(table: Step[]): Step[][] {
  const byPart = new Map<string, Step[]>();
  for (const s of table) byPart.set(s.part, [...(byPart.get(s.part) ?? []), s]);
  return [...byPart.values()];
}
