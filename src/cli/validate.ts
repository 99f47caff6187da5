import { command, EXIT, mainOf, runEntry } from "../command";
import { CONFIG_NAMESPACE, stackFileLocator } from "../config/load";
import { loadStackFile, stackFilePath } from "../config/stack-file";
import { DesiredState, summarize } from "../model/desired";
import { checkPortalAgainstConfig } from "../model/portal-config-check";
import { formatProblem, formatProblems, Problem } from "../diagnostics/problems";
import { loadUsersFile } from "../users/load";

// npm run validate -- [PATH]: the same checks `pulumi preview/up` run, without touching anything.
const HELP = `Usage: npm run validate -- [PATH]
       npm run validate -- [PATH] --stack NAME

Checks users.yaml (default: ./users.yaml) and prints a one-line summary.
With --stack, also checks it against Pulumi.<NAME>.yaml in the current directory: every access: key is
an app in zt:apps and every app has one, login: idp has an identity provider, active users fit zt:seats.
Exit 0 when valid, 1 when not (each problem as PATH:LINE:COL: message on stderr), 64 for a bad flag.

Example: npm run validate -- users.yaml --stack prod`;

export const VALIDATE = command({
  name: "validate",
  script: "npm run validate --",
  help: HELP,
  options: { help: { type: "boolean", short: "h" }, stack: { type: "string" } },
  positionals: 1,
  async run({ positionals, values }, env) {
    const path = positionals[0] ?? "users.yaml";
    const loaded = loadUsersFile(path);
    const stack = values.stack as string | undefined;
    const cross =
      stack === undefined ? { problems: [], warnings: [] } : againstStack(loaded.state, path, stack);
    if (!loaded.state || cross.problems.length > 0) {
      env.output.err(formatProblems([...loaded.problems, ...cross.problems]));
      return EXIT.failure;
    }
    for (const w of cross.warnings) env.output.err(`warning: ${formatProblem(w)}`);
    const s = summarize(loaded.state);
    const os = Object.entries(s.perOs)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    const notes = [
      s.expiredUsers ? `${s.expiredUsers} expired (left out)` : "",
      s.usersWithoutDevice.length
        ? `${s.usersWithoutDevice.length} without a device (cannot pass the device check)`
        : "",
    ].filter(Boolean);
    env.output.out(
      `${path}: valid: ${s.activeUsers} active users, ${s.devices} devices (${os || "none"}); sessions app ${loaded.state.sessions.app}, warp ${loaded.state.sessions.warp}${notes.length ? "; " + notes.join("; ") : ""}`,
    );
    if (loaded.state.portal) env.output.out(portalSummary(loaded.state, stack));
    return EXIT.ok;
  },
});

/** Config problems and the cross-file checks, when the stack file is given. */
function againstStack(desired: DesiredState | undefined, usersFile: string, stack: string) {
  const stackFile = stackFilePath(process.cwd(), stack);
  const { config, problems } = loadStackFile(process.cwd(), stack);
  if (!config || !desired) return { problems, warnings: [] as Problem[] };
  const locate = stackFileLocator(stackFile);
  return checkPortalAgainstConfig(desired, config, {
    usersFile,
    stackFile,
    stackAt: (p) => locate([`${CONFIG_NAMESPACE}:${String(p[0])}`, ...p.slice(1).map(String)]),
  });
}

function portalSummary(state: DesiredState, stack: string | undefined): string {
  const p = state.portal!;
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? "" : "s"}`;
  const against = stack
    ? `checked against Pulumi.${stack}.yaml`
    : "not checked against a stack: pass --stack NAME to check access: keys against zt:apps";
  return (
    `portal: ${n(p.groups.length, "group")}, ${n(p.access.length, "application")}, ` +
    `${n(p.serviceTokens.length, "service token")}, ${n(p.tests.length, "access test")} passed; ${against}`
  );
}

export const main = mainOf(VALIDATE);

if (require.main === module) runEntry(VALIDATE);
