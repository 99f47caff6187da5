import {
  Command,
  CommandEnv,
  EntryEnv,
  flags,
  now,
  Options,
  processEnv,
  projectDirOf,
  runCommand,
  stackOf,
  todayOf,
} from "../command";

// What the GitOps commands (plan, apply, drift) read alike from their flags: where the project is,
// which stack (prod when Pulumi.prod.yaml exists, else local), and the day expiry is evaluated on.

/** The flags plan and apply share (drift takes the first three). */
export const GITOPS_FLAGS = flags(
  "stack",
  "today",
  "project-dir",
  "allow-mass-removal",
  "allow-tunnel-replace",
);

/** plan's and apply's `main`: `vars` stands for the process environment (the override variables). */
export function gitopsMain<O extends Options>(cmd: Command<O>) {
  return (argv: string[], vars: NodeJS.ProcessEnv = process.env, entry: EntryEnv = processEnv(vars)) =>
    runCommand(cmd, argv, { ...entry, env: vars });
}

export interface GitopsSettings {
  dir: string;
  stack: string;
  today: string;
}

export function gitopsSettings(
  values: { stack?: string; today?: string; "project-dir"?: string },
  env: Pick<CommandEnv, "projectDir" | "now">,
): GitopsSettings {
  const dir = projectDirOf(values, env.projectDir);
  return { dir, stack: stackOf(values, dir, "prod-if-present"), today: todayOf(values, now(env)) };
}

/** The deployed users: the stack's managedEmails output (empty before the first apply). */
export function deployedEmails(outputs: Record<string, { value?: unknown }>): string[] {
  const value = outputs.managedEmails?.value;
  return Array.isArray(value) ? value.map(String) : [];
}
