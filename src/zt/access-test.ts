import { COMMON_HELP } from "./args";
import { Api, connect, loadStack, loadUsers, withApi, ZtEnv } from "./context";
import { CliError, EXIT } from "../command";
import { AccessTest } from "../model/portal";
import { appKey } from "./doctor/portal-checks";
import { collect, Loose } from "./inventory";

// zt test: users.yaml `tests:` against a real account, through Cloudflare's Access policy tester
// (SDK node_modules/cloudflare resources/zero-trust/access/applications/policy-tests/: POST
// accounts/{a}/access/policy-tests {policies: [ids]} starts a test, GET .../policy-tests/{id} reports
// status and progress, GET .../policy-tests/{id}/users lists each user approved/blocked/error).
// What the tester cannot answer is said per test, never counted as a pass:
//  - a user who never signed in: "For the policy tester to work, users must have logged into the App
//    Launcher or any other Access application at some point in time" (cloudflare-docs PR 21167,
//    policy-management.mdx);
//  - a service token: the tester evaluates the account's users, and a token is not one;
//  - the device: "Cloudflare will use the most recent device that was authenticated with Access"
//    (same PR), so a test naming a device is run with the user's last device and says so.

export const TEST_HELP = `Usage: npm run zt -- test [--stack S]

Runs the tests: of users.yaml against the account, with Cloudflare's Access policy tester on each
application's attached policies. Prints PASS, FAIL or CANNOT RUN per test, with the reason: the tester
only knows users who signed in before, evaluates them with their most recent device, and cannot
evaluate service tokens (validate checks every test offline on the model).
${COMMON_HELP}
The API token needs Access: Apps and Policies Read (the tester is started with a POST).
Exit 0 when every test ran and passed; 1 when one failed or could not run, or an input file is
invalid; 3 when Cloudflare cannot be used; 64 for a bad command line.

Example: npm run zt -- test --stack prod`;

export interface AccessTestOptions {
  stack?: string;
  tokenEnv?: string;
  /** Polls of a running policy test, one a second (default 60). */
  polls?: number;
}

export type Outcome = { status: "PASS" | "FAIL" | "CANNOT RUN"; detail: string };

/** What the tester said about one user: approved/blocked/error, or absent from its user base. */
export type TesterAnswer = "approved" | "blocked" | "error" | "absent";

export const describeTest = (t: AccessTest) =>
  `${t.serviceToken ? `token ${t.serviceToken}` : t.user}${t.device ? ` on ${t.device}` : ""} -> ${t.app}: expect ${t.expect}`;

/** Pure: one test's outcome from the tester's answer for its user. */
export function judge(t: AccessTest, answer: TesterAnswer): Outcome {
  if (t.serviceToken)
    return {
      status: "CANNOT RUN",
      detail: "the policy tester evaluates users, not service tokens (checked offline by validate)",
    };
  if (answer === "absent")
    return {
      status: "CANNOT RUN",
      detail: `${t.user} never signed in to this account, and the policy tester only knows users who have`,
    };
  if (answer === "error")
    return { status: "CANNOT RUN", detail: `the policy tester answered error for ${t.user}` };
  const got = answer === "approved" ? "allow" : "deny";
  const device = t.device
    ? ` (evaluated with ${t.user}'s most recent device, not necessarily ${t.device})`
    : "";
  return got === t.expect
    ? { status: "PASS", detail: `${got}${device}` }
    : {
        status: "FAIL",
        detail: `the account says ${got}${device}; users.yaml line ${t.line} expects ${t.expect}`,
      };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one policy test over `policyIds`; the users' answers by lowercase email. */
async function testerAnswers(
  api: Api,
  policyIds: string[],
  polls: number,
): Promise<Map<string, TesterAnswer>> {
  const account_id = api.accountId;
  const pt = api.client.zeroTrust.access.applications.policyTests;
  const started = await pt.create({ account_id, policies: policyIds });
  if (!started.id) throw new CliError("zt test: the policy tester answered no test id", EXIT.api);
  for (let i = 0; ; i++) {
    const s = await pt.get(started.id, { account_id });
    if (s.status === "complete") break;
    if (s.status !== "processing" || i >= polls)
      throw new CliError(
        `zt test: the policy test ${started.id} ended "${s.status ?? "unknown"}" after ${s.percent_users_processed ?? 0}% of users`,
        EXIT.api,
      );
    await sleep(1000);
  }
  const users = (await collect(pt.users.list(started.id, { account_id }))) as Loose[];
  return new Map(users.map((u) => [String(u.email).toLowerCase(), (u.status ?? "error") as TesterAnswer]));
}

export async function accessTest(opts: AccessTestOptions, env: ZtEnv): Promise<number> {
  const stack = loadStack(env, opts.stack);
  const users = loadUsers(env, stack);
  const tests = users.state.portal?.tests ?? [];
  const o = env.output;
  if (tests.length === 0) {
    o.err(`zt test: ${users.name} has no tests: (add some under tests:; nothing was run)`);
    return EXIT.failure;
  }
  const api = connect(env, stack, opts.tokenEnv);
  const apps = (await withApi(api, () =>
    collect(api.client.zeroTrust.access.applications.list({ account_id: api.accountId })),
  )) as Loose[];
  const answers = new Map<string, Map<string, TesterAnswer> | string>();
  const results: Array<{ t: AccessTest; r: Outcome }> = [];
  for (const t of tests) {
    const config = stack.config.apps.find((a) => appKey(a) === t.app);
    const app = config && apps.find((a) => a.domain === config.hostname);
    if (t.serviceToken || !app) {
      results.push({
        t,
        r: t.serviceToken
          ? judge(t, "absent")
          : {
              status: "CANNOT RUN",
              detail: `no Access application for ${t.app} in the account (apply first)`,
            },
      });
      continue;
    }
    if (!answers.has(app.id)) {
      const ids = ((app.policies ?? []) as Loose[]).map((p) => String(p.id));
      const answer = await withApi(api, async () => {
        try {
          return await testerAnswers(api, ids, opts.polls ?? 60);
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (status !== 404 && status !== 403) throw error;
          // Plainly: this account (or the emulator) has no policy tester, or the token may not use it.
          return status === 404
            ? `this API has no Access policy tester (404 on POST accounts/${api.accountId}/access/policy-tests; the local emulator does not implement it, its e2e suite checks the tests through the emulator's own Access evaluation)`
            : "the API token may not use the Access policy tester (403)";
        }
      });
      answers.set(app.id, answer);
    }
    const a = answers.get(app.id)!;
    results.push({
      t,
      r: typeof a === "string" ? { status: "CANNOT RUN", detail: a } : judge(t, a.get(t.user!) ?? "absent"),
    });
  }
  for (const { t, r } of results)
    o.out(`${r.status}  ${describeTest(t)} (${users.name} line ${t.line}): ${r.detail}`);
  const n = (s: Outcome["status"]) => results.filter((x) => x.r.status === s).length;
  o.out(
    `${results.length} tests on stack ${stack.name}: ${n("PASS")} passed, ${n("FAIL")} failed, ${n("CANNOT RUN")} could not run here (not a pass)`,
  );
  return n("PASS") === results.length ? EXIT.ok : EXIT.failure;
}
