import { COMMON_HELP } from "./args";
import { connect, loadStack, loadUsers, now, withApi, ZtEnv } from "./context";
import { EXIT } from "../command";
import { gather } from "./doctor/gather";
import { runChecks } from "./doctor/checks";
import { Status } from "./doctor/types";

export { gather } from "./doctor/gather";
export { runChecks } from "./doctor/checks";
export type { CheckResult, Focus, Inventory, Status } from "./doctor/types";

// zt doctor: the runbook's "a user cannot connect" checklist, run against the live account. Every
// check prints PASS, WARN, FAIL or SKIP; a FAIL comes with the one-line fix. SKIP is not a pass; WARN is
// a pass that needs action soon (a service token expiring within 30 days).

export const DOCTOR_HELP = `Usage: npm run zt -- doctor [--email EMAIL] [--serial SERIAL] [--stack NAME]

Runs the runbook's connectivity checklist against Cloudflare and prints PASS/WARN/FAIL/SKIP per check,
with the fix under each failure: tunnel health and connectors, tunnel routes, the connector
containers on the Docker host (zt:connector.dockerHost), the Access applications and policy, the
email lists, the device serial lists, Local Domain Fallback -> dnsmasq, the split tunnel, Gateway
TCP/UDP proxy, session lengths against users.yaml, and the internal domain (.local never works).
When users.yaml declares groups: each application's policies, each group's email lists and policies,
and the service tokens' expiry (WARN under 30 days, with the renew command).

  --email EMAIL     check this person: in users.yaml, not expired, in the Access email list,
                    and each of their devices in the serial list of its OS
  --serial SERIAL   check this device: in users.yaml and in the serial list of its OS
${COMMON_HELP}

Exit 0 when every check passes (warnings included); 1 when any check fails or could not run (SKIP), or an input file is
invalid; 3 when Cloudflare cannot be used (token, account, network, rate limit); 64 for a bad command line.

Example: npm run zt -- doctor --email alice@example.org --serial C02XL0GHJGH5`;

export interface DoctorOptions {
  stack?: string;
  tokenEnv?: string;
  email?: string;
  serial?: string;
}

export async function doctor(opts: DoctorOptions, env: ZtEnv): Promise<number> {
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const api = connect(env, stack, opts.tokenEnv);
  const o = env.output;
  o.out(
    `zt doctor: stack ${stack.name}, account ${api.accountId}, API ${api.target.baseUrl ?? "https://api.cloudflare.com/client/v4"}`,
  );
  const inventory = await withApi(api, () => gather(api, stack, env));
  const results = runChecks(stack, users, inventory, { email: opts.email, serial: opts.serial }, now(env));
  for (const r of results) {
    o.out(`${r.status}  ${r.title}: ${r.detail}`);
    if (r.status !== "PASS" && r.fix) o.out(`      fix: ${r.fix}`);
  }
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const [pass, fail, skip, warned] = [count("PASS"), count("FAIL"), count("SKIP"), count("WARN")];
  const verdict =
    fail + skip === 0
      ? warned
        ? "healthy, but act on the warnings"
        : "all checks passed"
      : fail > 0
        ? "not healthy"
        : "incomplete: a skipped check is not a pass";
  const warnings = warned ? `, ${warned} warning${warned === 1 ? "" : "s"}` : "";
  o.out(`${results.length} checks: ${pass} passed${warnings}, ${fail} failed, ${skip} skipped; ${verdict}`);
  return fail + skip === 0 ? EXIT.ok : EXIT.failure;
}
