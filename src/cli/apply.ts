import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { COMMON_OPTIONS, commonSettings, OVERRIDE_OPTIONS, parseFlags, runMain } from "./args";
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
import { formatProblems } from "../users/problems";

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
Exit 0 applied and checked; 1 refused, failed, or a post-apply check failed; 2 bad arguments.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = parseFlags(
    () =>
      parseArgs({
        args: argv,
        options: {
          ...COMMON_OPTIONS,
          base: { type: "string" },
          refresh: { type: "boolean", default: false },
          summary: { type: "string" },
          ...OVERRIDE_OPTIONS,
        },
      }),
    HELP,
  );
  if (typeof values === "number") return values;
  const common = commonSettings(values);
  if (typeof common === "number") return common;
  const { dir, stack, today } = common;
  const { allowMassRemoval, allowTunnelReplace } = activeOverrides(values, env);
  const report = (markdown: string) => {
    process.stdout.write(markdown);
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
    console.error(
      problems.length ? formatProblems(problems) : `missing: ${missing.join(", ")}; nothing was changed.`,
    );
    return 1;
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
      console.error(`apply: --base ${values.base}: ${error.message}; continuing without it`);
    }
  }
  const limits = [head.config.config, base?.config.kind === "ok" ? base.config.config : undefined]
    .filter((c): c is StackConfig => c !== undefined)
    .map((c) => c.guards.maxRemovalShare);
  const maxShare = limits.length ? Math.min(...limits) : DEFAULT_MAX_REMOVAL_SHARE;

  const { isExpectedEngineError, openProductStack, previewSteps, upSteps } =
    await import("../plan/engine-run");
  const progress = (text: string) => void process.stderr.write(text);
  try {
    const engine = await openProductStack({ projectDir: dir, stack, today, progress });

    // 3. Removals, against what is deployed (the last apply's outputs), not against Git history: a
    //    failed or skipped apply cannot hide a removal. Expired users are the file working as written.
    const outputs = await engine.stack.outputs();
    const deployed = Array.isArray(outputs.managedEmails?.value)
      ? (outputs.managedEmails.value as unknown[]).map(String)
      : [];
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
    const preview = await previewSteps(engine, progress, { refresh: values.refresh });
    refusals.push(...tunnelRefusals(engineFindings(preview), allowTunnelReplace));
    const refused = blocking(refusals);
    if (refused.length > 0) {
      report(renderRefused(stack, refused));
      return 1;
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
    return checkProblems.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(await isExpectedEngineError(error))) throw error;
    if ((await import("../converge")).isGuardRefusal(error)) return (console.error(error.message), 1);
    console.error(`apply: ${(error as Error).message.split("\n")[0]} (see the output above)`);
    return 1;
  }
}

if (require.main === module) runMain(main);
