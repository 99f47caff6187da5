import { command, EXIT, mainOf, runEntry } from "../command";
import { summarize } from "../model/desired";
import { formatProblems } from "../diagnostics/problems";
import { loadUsersFile } from "../users/load";

// npm run validate -- [PATH]: the same checks `pulumi preview/up` run, without touching anything.
const HELP = `Usage: npm run validate -- [PATH]

Checks users.yaml (default: ./users.yaml) and prints a one-line summary.
Exit 0 when valid, 1 when not (each problem as PATH:LINE:COL: message on stderr), 64 for a bad flag.

Example: npm run validate -- users.yaml`;

export const VALIDATE = command({
  name: "validate",
  script: "npm run validate --",
  help: HELP,
  options: { help: { type: "boolean", short: "h" } },
  positionals: 1,
  async run({ positionals }, env) {
    const path = positionals[0] ?? "users.yaml";
    const loaded = loadUsersFile(path);
    if (!loaded.state) {
      env.output.err(formatProblems(loaded.problems));
      return EXIT.failure;
    }
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
    return EXIT.ok;
  },
});

export const main = mainOf(VALIDATE);

if (require.main === module) runEntry(VALIDATE);
