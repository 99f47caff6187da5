import { appendFileSync } from "node:fs";
import { command, CommandEnv, EXIT, Parsed, runEntry } from "../command";
import { deployedEmails, GITOPS_FLAGS, gitopsMain, gitopsSettings } from "./gitops";
import { StackConfig } from "../config/schema";
import { postApplyProblems, renderApplied, renderRefused } from "../plan/apply-report";
import { diffPlan, Plan } from "../plan/diff";
import { engineFindings, tunnelRefusals } from "../plan/engine";
import { baseTexts, GitError, resolveRef, workingTexts } from "../plan/git";
import {
  activeOverrides,
  blocking,
  DEFAULT_MAX_REMOVAL_SHARE,
  lockoutRefusals,
  OVERRIDES,
  Refusal,
  removalRefusals,
} from "../plan/guards";
import { parseSide, PlanSide } from "../plan/inputs";
import { formatProblems } from "../diagnostics/problems";

// npm run apply: the merge-to-main path. Guards first (nothing is touched when one refuses), then `up`
// through the engine driver, then checks of what was deployed and who must reconnect WARP.
const HELP = `Usage: npm run apply -- [--stack NAME] [--base REF] [--refresh] [overrides] [--summary FILE]

Refuses, exiting 1 and changing nothing, when the change would
  - leave the application with no allowed user (never overridable),
  - remove every user, or more than guards.maxRemovalShare of them, compared with what is deployed now
    (the stack's managedEmails output), unless --allow-mass-removal (${OVERRIDES.massRemoval.env}=1),
  - replace or delete the tunnel (seen in a preview), unless --allow-tunnel-replace
    (${OVERRIDES.tunnelReplace.env}=1): the connector must then be restarted with the new token.
Then runs \`up\`, checks the deployed lists against users.yaml, and prints who must do what.

  --stack NAME        stack (default prod when Pulumi.prod.yaml exists, else local)
  --base REF          the commit before this change (CI: github.event.before): its guard limit also
                      applies (the stricter wins), and the summary names added users and WARP reconnects
  --refresh           refresh from Cloudflare first, so changes made outside Git are put back
  --summary FILE      append the Markdown summary to FILE (CI: $GITHUB_STEP_SUMMARY)
  --today YYYY-MM-DD  evaluate expiry on this day (default today, UTC)
  --project-dir DIR   default: current directory
Exit 0 applied and checked; 1 refused, failed, or a post-apply check failed; 64 bad arguments.`;

const OPTIONS = {
  ...GITOPS_FLAGS,
  base: { type: "string" },
  refresh: { type: "boolean" },
  summary: { type: "string" },
} as const;

export const APPLY = command({
  name: "apply",
  script: "npm run apply --",
  help: HELP,
  options: OPTIONS,
  run: (args, env) => apply(args.values, env),
});

export const main = gitopsMain(APPLY);

async function apply(values: Parsed<typeof OPTIONS>["values"], env: CommandEnv): Promise<number> {
  const { dir, stack, today } = gitopsSettings(values, env);
  const { allowMassRemoval, allowTunnelReplace } = activeOverrides(values, env.env);
  const report = (markdown: string) => {
    env.output.out(markdown.replace(/\n$/, ""));
    if (values.summary) appendFileSync(values.summary, markdown + "\n");
  };

  // 1. The input itself.
  const head = parseSide(workingTexts(dir, stack, today));
  if (head.users.kind !== "ok" || head.config.kind !== "ok") {
    const problems = [
      ...(head.users.kind === "invalid" ? head.users.problems : []),
      ...(head.config.kind === "invalid" ? head.config.problems : []),
    ];
    const missing = [
      head.users.kind === "missing" ? head.usersFile : "",
      head.config.kind === "missing" ? head.stackFile : "",
    ].filter(Boolean);
    env.output.err(
      problems.length ? formatProblems(problems) : `missing: ${missing.join(", ")}; nothing was changed.`,
    );
    return EXIT.failure;
  }
  const desired = head.users.state;
  const refusals: Refusal[] = lockoutRefusals(desired);

  // 2. The base, when given: its removal limit also holds, and the plan names people for the summary.
  let base: PlanSide | undefined;
  let plan: Plan | undefined;
  if (values.base) {
    try {
      base = parseSide(baseTexts(dir, resolveRef(dir, values.base), stack));
      plan = diffPlan(base, head, { stack, allowMassRemoval });
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      // The deployed state is the guard's reference; a missing base only costs the summary's names.
      env.output.err(`apply: --base ${values.base}: ${error.message}; continuing without it`);
    }
  }
  const limits = [head.config.config, base?.config.kind === "ok" ? base.config.config : undefined]
    .filter((c): c is StackConfig => c !== undefined)
    .map((c) => c.guards.maxRemovalShare);
  const maxShare = limits.length ? Math.min(...limits) : DEFAULT_MAX_REMOVAL_SHARE;

  const { isExpectedEngineError, openProductStack, previewSteps, upSteps } =
    await import("../plan/engine-run");
  const progress = (text: string) => env.output.progress(text, "err");
  let engine: Awaited<ReturnType<typeof openProductStack>> | undefined;
  try {
    engine = await openProductStack({ projectDir: dir, stack, today, progress, output: env.output });

    // 3. Removals, against what is deployed (the last apply's outputs), not against Git history: a
    //    failed or skipped apply cannot hide a removal. Expired users are the file working as written.
    const deployed = deployedEmails(await engine.stack.outputs());
    const inFile = new Set(desired.users.map((u) => u.email));
    refusals.push(
      ...removalRefusals({
        before: deployed.length,
        removed: deployed.filter((e) => !inFile.has(e)),
        maxShare,
        allowMassRemoval,
      }),
    );

    // 4. The engine's preview: a tunnel replacement is refused before anything is touched.
    const preview = await previewSteps(
      engine,
      progress,
      { refresh: values.refresh },
      { projectDir: dir, stackName: stack, today },
    );
    refusals.push(...tunnelRefusals(engineFindings(preview), allowTunnelReplace));
    const refused = blocking(refusals);
    if (refused.length > 0) {
      report(renderRefused(stack, refused));
      return EXIT.failure;
    }

    // 5. Apply, then check what is deployed.
    const up = await upSteps(
      engine,
      progress,
      { refresh: values.refresh },
      { projectDir: dir, stackName: stack, today },
    );
    const applied = engineFindings(up.preview);
    const checkProblems =
      up.summary.result === "succeeded"
        ? postApplyProblems(desired, up.outputs)
        : [`the update ended as ${up.summary.result}`];
    report(
      renderApplied({
        stack,
        applied,
        plan,
        activeUsers: desired.activeUsers.length,
        checkProblems,
        overridden: refusals.filter((r) => r.overridden),
      }),
    );
    return checkProblems.length > 0 ? EXIT.failure : EXIT.ok;
  } catch (error) {
    // A refusal before any write (a collision, a held lock) is the whole message.
    if ((await import("../converge")).isGuardRefusal(error))
      return (env.output.err(error.message), EXIT.failure);
    if (!(await isExpectedEngineError(error))) throw error;
    env.output.err(`apply: ${(error as Error).message.split("\n")[0]} (see the output above)`);
    return EXIT.failure;
  } finally {
    await engine?.close();
  }
}

if (require.main === module) runEntry(APPLY);
