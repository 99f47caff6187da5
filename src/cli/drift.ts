import { writeFileSync } from "node:fs";
import { command, CommandEnv, EXIT, flags, mainOf, Parsed, runEntry } from "../command";
import { deployedEmails, gitopsSettings } from "./gitops";
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
Exit 0 no drift; 2 drift (report printed); 1 the check itself failed; 64 bad arguments.`;

const OPTIONS = { ...flags("stack", "today", "project-dir"), "issue-file": { type: "string" } } as const;

export const DRIFT = command({
  name: "drift",
  script: "npm run drift --",
  help: HELP,
  options: OPTIONS,
  run: (args, env) => drift(args.values, env),
});

export const main = mainOf(DRIFT);

async function drift(values: Parsed<typeof OPTIONS>["values"], env: CommandEnv): Promise<number> {
  const { dir, stack, today } = gitopsSettings(values, env);

  const { isExpectedEngineError, openProductStack, previewSteps } = await import("../plan/engine-run");
  const progress = (text: string) => env.output.progress(text, "err");
  let engine: Awaited<ReturnType<typeof openProductStack>> | undefined;
  try {
    engine = await openProductStack({ projectDir: dir, stack, today, progress, output: env.output });
    const { events } = await previewSteps(engine, progress, { refresh: true });
    const findings = driftFromEvents(events);

    // Expiry only takes effect at the next apply: name who is past their last day but still deployed.
    const deployed = new Set(deployedEmails(await engine.stack.outputs()));
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
    env.output.out(markdown.replace(/\n$/, ""));
    if (values["issue-file"]) writeFileSync(values["issue-file"], markdown);
    return hasDrift(findings) || expiredNotApplied.length > 0 ? EXIT.changes : EXIT.ok;
  } catch (error) {
    if (!(await isExpectedEngineError(error))) throw error;
    env.output.err(`drift: ${(error as Error).message.split("\n")[0]} (see the output above)`);
    return EXIT.failure;
  } finally {
    await engine?.close();
  }
}

if (require.main === module) runEntry(DRIFT);
