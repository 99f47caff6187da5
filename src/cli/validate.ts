import { summarize } from "../model/desired";
import { formatProblems } from "../users/problems";
import { loadUsersFile } from "../users/load";

// npm run validate -- [PATH]: the same checks `pulumi preview/up` run, without touching anything.
const HELP = `Usage: npm run validate -- [PATH]

Checks users.yaml (default: ./users.yaml) and prints a one-line summary.
Exit 0 when valid, 1 when not (each problem as PATH:LINE:COL: message on stderr).

Example: npm run validate -- users.yaml`;

export function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const path = argv.find((a) => !a.startsWith("-")) ?? "users.yaml";
  const loaded = loadUsersFile(path);
  if (!loaded.state) {
    console.error(formatProblems(loaded.problems));
    return 1;
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
  console.log(
    `${path}: valid: ${s.activeUsers} active users, ${s.devices} devices (${os || "none"}); sessions app ${loaded.state.sessions.app}, warp ${loaded.state.sessions.warp}${notes.length ? "; " + notes.join("; ") : ""}`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
