import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { COMMON_OPTIONS, commonSettings, parseFlags, runMain } from "./args";
import { driftFromEvents, hasDrift, renderDrift } from "../plan/drift";
import { workingTexts } from "../plan/git";
import { parseSide } from "../plan/inputs";

// npm run drift: the scheduled check. `preview --refresh --expect-no-changes` (the refresh is not saved:
// the check reads Cloudflare and the state, and writes neither), reported as Markdown.
const HELP = `Usage: npm run drift -- [--stack NAME] [--issue-file PATH]

Refreshes the stack from Cloudflare in a preview (nothing is saved or changed) and reports, as Markdown,
what was changed outside Git (resource, property), what the next apply would change, and users whose
access expired but who are still deployed.

  --stack NAME        stack (default prod when Pulumi.prod.yaml exists, else local)
  --issue-file PATH   also write the report to PATH (the drift workflow's issue body)
  --today YYYY-MM-DD  evaluate expiry on this day (default today, UTC)
  --project-dir DIR   default: current directory
Exit 0 no drift; 2 drift (report printed); 1 the check itself failed.`;

export async function main(argv: string[]): Promise<number> {
  const values = parseFlags(
    () =>
      parseArgs({
        args: argv,
        options: {
          ...COMMON_OPTIONS,
          "issue-file": { type: "string" },
        },
      }),
    HELP,
  );
  if (typeof values === "number") return values;
  const common = commonSettings(values);
  if (typeof common === "number") return common;
  const { dir, stack, today } = common;

  const { isExpectedEngineError, openProductStack, previewSteps } = await import("../plan/engine-run");
  const progress = (text: string) => void process.stderr.write(text);
  try {
    const engine = await openProductStack({ projectDir: dir, stack, today, progress });
    const { events } = await previewSteps(engine, progress, { refresh: true });
    const findings = driftFromEvents(events);

    // Expiry only takes effect at the next apply: name who is past their last day but still deployed.
    const outputs = await engine.stack.outputs();
    const deployed = new Set(
      Array.isArray(outputs.managedEmails?.value)
        ? (outputs.managedEmails.value as unknown[]).map(String)
        : [],
    );
    const head = parseSide(workingTexts(dir, stack, today));
    const expiredNotApplied =
      head.users.kind === "ok"
        ? head.users.state.users
            .filter((u) => u.expired && deployed.has(u.email))
            .map((u) => ({ email: u.email, expires: u.expires ?? "" }))
        : [];

    const markdown = renderDrift(findings, {
      stack,
      when: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      expiredNotApplied,
      applyHint: "Actions → apply → Run workflow, or `npm run apply -- --refresh`",
    });
    process.stdout.write(markdown);
    if (values["issue-file"]) writeFileSync(values["issue-file"], markdown);
    return hasDrift(findings) || expiredNotApplied.length > 0 ? 2 : 0;
  } catch (error) {
    if (!(await isExpectedEngineError(error))) throw error;
    console.error(`drift: ${(error as Error).message.split("\n")[0]} (see the output above)`);
    return 1;
  }
}

if (require.main === module) runMain(main);
