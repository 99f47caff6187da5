import { StackConfig } from "../config/schema";
import { DesiredState } from "../model/desired";
import { checkPortalAgainstConfig } from "../model/portal-config-check";
import { DEFAULT_MAX_REMOVAL_SHARE, lockoutRefusals, removalRefusals } from "./guards";
import { PlanSide } from "./inputs";
import { afterChangeFacts } from "./after-change";
import { diffConfig } from "./diff-config";
import { diffUsers } from "./diff-users";
import { Plan, PlanOptions } from "./plan-types";

export * from "./plan-types";

// What a change to users.yaml and the stack config means for people, computed from the two parsed sides.
// Pure: no Git, no files, no engine. The Markdown renderer (markdown.ts) turns a Plan into the PR comment.

export function diffPlan(base: PlanSide, head: PlanSide, opts: PlanOptions): Plan {
  const plan: Plan = {
    stack: opts.stack,
    base: {
      label: base.label,
      usersFile: base.usersFile,
      stackFile: base.stackFile,
      users: base.users.kind,
      config: base.config.kind,
    },
    head: { label: head.label, usersFile: head.usersFile, stackFile: head.stackFile },
    added: [],
    restored: [],
    removed: [],
    expiredSinceBase: [],
    expiryChanged: [],
    devices: [],
    cosmeticEdits: 0,
    sessions: [],
    config: [],
    configNew: false,
    expiringSoon: [],
    withoutDevice: [],
    reconnect: [],
    refusals: [],
    notes: [],
    counts: { baseActive: 0, headActive: 0, headDevices: 0 },
    today: head.day,
  };

  // Refusals that come from the inputs themselves.
  if (head.users.kind === "missing") {
    plan.refusals.push({
      code: "invalid-users",
      message: `${head.usersFile} does not exist in this change: with no users file nobody could sign in.`,
      overridden: false,
    });
  } else if (head.users.kind === "invalid") {
    plan.refusals.push({
      code: "invalid-users",
      message: `${head.usersFile} does not validate:`,
      problems: head.users.problems,
      overridden: false,
    });
  }
  if (head.config.kind === "missing") {
    plan.refusals.push({
      code: "missing-config",
      message: `${head.stackFile} does not exist in this change: the stack has no configuration.`,
      overridden: false,
    });
  } else if (head.config.kind === "invalid") {
    plan.refusals.push({
      code: "invalid-config",
      message: `${head.stackFile} does not validate:`,
      problems: head.config.problems,
      overridden: false,
    });
  }
  if (base.users.kind === "missing") {
    plan.notes.push(`${base.usersFile} does not exist at ${base.label}: every user is new.`);
  } else if (base.users.kind === "invalid") {
    plan.notes.push(
      `${base.usersFile} at ${base.label} does not validate, so it cannot be compared: every user is listed as added and the removal guard is not evaluated.`,
    );
  }
  if (base.config.kind === "invalid") {
    plan.notes.push(
      `${base.stackFile} at ${base.label} does not validate, so stack settings are not compared.`,
    );
  }

  const baseConfig = base.config.kind === "ok" ? base.config.config : undefined;
  const headConfig = head.config.kind === "ok" ? head.config.config : undefined;
  plan.teamName = headConfig?.teamName;
  if (head.config.kind === "ok") {
    if (base.config.kind === "missing") plan.configNew = true;
    else if (baseConfig)
      diffConfig(baseConfig, head.config.config, plan, {
        portal: head.users.kind === "ok" && head.users.state.portal !== undefined,
      });
  }

  if (head.users.kind !== "ok") return plan;
  const now = head.users.state;
  const before: DesiredState | undefined = base.users.kind === "ok" ? base.users.state : undefined;
  diffUsers(before, now, plan);
  afterChangeFacts(before, now, plan);
  if (headConfig) {
    // The same cross-file checks as validate --stack and the program (access keys, identity providers, seats).
    const cross = checkPortalAgainstConfig(now, headConfig, {
      usersFile: head.usersFile,
      stackFile: head.stackFile,
    });
    if (cross.problems.length)
      plan.refusals.push({
        code: "invalid-users",
        message: `${head.usersFile} and ${head.stackFile} do not agree:`,
        problems: cross.problems,
        overridden: false,
      });
    plan.notes.push(...cross.warnings.map((w) => w.message));
  }

  // The stricter of the two limits: a change that raises the limit and uses it at once is still refused.
  const limits = [baseConfig, headConfig]
    .filter((c): c is StackConfig => c !== undefined)
    .map((c) => c.guards.maxRemovalShare);
  const maxShare = limits.length ? Math.min(...limits) : DEFAULT_MAX_REMOVAL_SHARE;
  plan.refusals.push(...lockoutRefusals(now));
  if (before) {
    plan.refusals.push(
      ...removalRefusals({
        before: before.activeUsers.length,
        removed: plan.removed.map((u) => u.email),
        maxShare,
        allowMassRemoval: opts.allowMassRemoval,
      }),
    );
  }
  return plan;
}
