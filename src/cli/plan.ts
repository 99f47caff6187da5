import { writeFileSync } from "node:fs";
import { CliError, command, CommandEnv, EXIT, now, Output, Parsed, runEntry } from "../command";
import { GITOPS_FLAGS, gitopsMain, gitopsSettings } from "./gitops";
import { diffPlan } from "../plan/diff";
import { engineFindings, tunnelRefusals } from "../plan/engine";
import { baseTexts, defaultBase, GitError, resolveRef, showFile, workingTexts } from "../plan/git";
import { readRecord, recordFileName } from "../adopt/record";
import { activeOverrides, blocking, OVERRIDES } from "../plan/guards";
import { parseSide, PlanSide } from "../plan/inputs";
import { renderPlan, RenderOptions } from "../plan/markdown";
import { planTokenExpiry } from "../plan/token-expiry-read";

// npm run plan -- [--base REF] [--stack NAME] [--engine]: the pull-request comment, in the admin's words.
const HELP = `Usage: npm run plan -- [--base REF] [--stack NAME] [--engine] [--out FILE] [overrides]

Compares users.yaml and Pulumi.<stack>.yaml at a Git ref with the working tree and prints, as Markdown,
what the change does to people: users and devices added, moved or removed (and revoked), session
changes and who must reconnect WARP, expiring access, users without a device, and refusals.

  --base REF              base to compare with (default origin/main, else main)
  --stack NAME            stack (default prod when Pulumi.prod.yaml exists, else local)
  --engine                also run the engine's preview: its counts, and any replacement or deletion of
                          the tunnel, an Access application or the Access policy, in bold at the top
  --out FILE              also write the Markdown to FILE
  --today YYYY-MM-DD      evaluate expiry on this day (default: today, UTC)
  --project-dir DIR       where Pulumi.yaml, users.yaml and the stack files are (default: current directory)
  --allow-mass-removal    lift the removal guard   (also ${OVERRIDES.massRemoval.env}=1; label ${OVERRIDES.massRemoval.label})
  --allow-tunnel-replace  lift the tunnel guard    (also ${OVERRIDES.tunnelReplace.env}=1; label ${OVERRIDES.tunnelReplace.label})

Exit 0: nothing refused. 1: refused, invalid input, or the engine preview failed (the Markdown says
which). 64: bad arguments or an unknown ref.`;

const OPTIONS = {
  ...GITOPS_FLAGS,
  base: { type: "string" },
  engine: { type: "boolean" },
  out: { type: "string" },
} as const;

export const PLAN = command({
  name: "plan",
  script: "npm run plan --",
  help: HELP,
  options: OPTIONS,
  run: (args, env) => plan(args.values, env),
});

export const main = gitopsMain(PLAN);

async function plan(values: Parsed<typeof OPTIONS>["values"], env: CommandEnv): Promise<number> {
  const { dir, stack, today } = gitopsSettings(values, env);
  const { allowMassRemoval, allowTunnelReplace } = activeOverrides(values, env.env);

  let baseRef: string;
  let base: PlanSide;
  let head: PlanSide;
  try {
    baseRef = values.base ?? defaultBase(dir);
    base = parseSide(baseTexts(dir, resolveRef(dir, baseRef), stack));
    head = parseSide(workingTexts(dir, stack, today));
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new CliError(`plan: ${error.message}`, EXIT.usage);
  }
  // The change that adds adoption.NAME.json is the adoption: its first apply is described as such, and
  // the users.yaml it writes holds the people and devices the account already admits, so nobody is
  // "added" (no welcome or WARP-enrolment steps for people who are already in).
  const adoption = readRecord(dir, stack);
  const adopting = adoption !== undefined && showFile(dir, baseRef, recordFileName(stack)) === undefined;
  // (whatever users.yaml the repository held before is not what the account admits: adopt overwrote it)
  if (adopting && head.users.kind === "ok") base = { ...base, users: head.users };
  const plan = diffPlan(base, head, { stack, allowMassRemoval });

  const command = [
    "npm run plan --",
    `--base ${baseRef}`,
    `--stack ${stack}`,
    values.engine ? "--engine" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const render: RenderOptions = { command };
  if (adoption && adopting)
    render.adoption = [
      ...(head.users.kind === "ok"
        ? [
            `keeps the ${head.users.state.activeUsers.length} people already allowed (now in users.yaml): nobody is added or removed by this change`,
          ]
        : []),
      ...adoption.firstApply,
      `imports ${adoption.imports.map((i) => i.what).join(", ")} instead of creating them`,
      ...(adoption.retire.length
        ? [`then deletes ${adoption.retire.map((r) => r.what).join(", ")}, once nothing refers to them`]
        : []),
    ];
  // The engine only runs on a change that can be applied: on invalid input the program would refuse anyway.
  if (values.engine && head.users.kind === "ok" && head.config.kind === "ok") {
    render.engine = await enginePreview(dir, stack, today, allowTunnelReplace, env.output);
  } else if (values.engine) {
    render.engine = { error: "skipped, because the input above does not validate" };
  }

  if (head.users.kind === "ok" && head.config.kind === "ok") {
    const declared = head.users.state.portal?.serviceTokens.map((t) => t.name) ?? [];
    render.tokens = await planTokenExpiry(
      dir,
      stack,
      head.config.config.accountId,
      declared,
      env.env,
      now(env),
    );
  }
  const markdown = renderPlan(plan, render);
  env.output.out(markdown.replace(/\n$/, ""));
  if (values.out) writeFileSync(values.out, markdown);

  const refused = blocking([
    ...plan.refusals,
    ...(render.engine && "refusals" in render.engine ? render.engine.refusals : []),
  ]);
  if (refused.length > 0) env.output.err(`plan: refused (${refused.map((r) => r.code).join(", ")})`);
  return refused.length > 0 || (render.engine && "error" in render.engine) ? EXIT.failure : EXIT.ok;
}

async function enginePreview(
  dir: string,
  stack: string,
  today: string,
  allowTunnelReplace: boolean,
  output: Output,
): Promise<NonNullable<RenderOptions["engine"]>> {
  const { isExpectedEngineError, openProductStack, previewSteps } = await import("../plan/engine-run");
  // Engine progress goes to stderr: stdout is the Markdown.
  const progress = (text: string) => output.progress(text, "err");
  let engine: Awaited<ReturnType<typeof openProductStack>> | undefined;
  try {
    engine = await openProductStack({ projectDir: dir, stack, today, progress, output });
    const preview = await previewSteps(engine, progress, {}, { projectDir: dir, stackName: stack, today });
    const findings = engineFindings(preview);
    return { findings, refusals: tunnelRefusals(findings, allowTunnelReplace) };
  } catch (error) {
    if (!(await isExpectedEngineError(error))) throw error;
    const first =
      String((error as Error).message)
        .split("\n")
        .find((l) => l.trim() !== "") ?? "unknown error";
    output.err((error as Error).message);
    return { error: `${(error as Error).name}: ${first}` };
  } finally {
    await engine?.close();
  }
}

if (require.main === module) runEntry(PLAN);
