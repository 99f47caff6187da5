import {
  Command,
  command,
  EntryEnv,
  EXIT,
  EXIT_HELP,
  flags,
  outputFor,
  positiveInt,
  runCommand,
  usageError,
} from "../command";
import { audit, AUDIT_HELP } from "./audit";
import { deviceLost, DEVICE_LOST_HELP } from "./device-lost";
import { doctor, DOCTOR_HELP } from "./doctor";
import { expire, EXPIRE_HELP } from "./expire";
import { revoke, REVOKE_HELP } from "./revoke";
import { review, REVIEW_HELP } from "./review";
import { accessTest, TEST_HELP } from "./access-test";
import { tokenRotate, TOKEN_HELP } from "./token";
import { tunnelRotateToken, TUNNEL_HELP } from "./tunnel";

// `npm run zt -- <command>`: the zt part of the command table. Each command is a plain function in its
// own file; its entry here only turns the parsed flags into its options. Parsing, --help, errors and
// exit codes are the framework's (src/command), as for every other npm script.

export type { ZtEnv } from "./context";
export { EXIT } from "../command";

export const ZT_HELP = `Usage: npm run zt -- <command> [flags]    (npm run zt -- <command> --help for details)

Day-2 operations for the Zero Trust setup described by users.yaml and Pulumi.<stack>.yaml:
  doctor [--email E] [--serial S]              run the connectivity checklist against Cloudflare
  audit [--since 24h] [--email E] [--denied] [--json]   Access sign-in events
  review [--days N] [--format md|csv]          access-review report (users, devices, last sign-in)
  revoke EMAIL [--force]                       end a person's sessions and WARP registrations now
  device lost SERIAL                           revoke a lost device and show the users.yaml edit
  expire [--days N]                            users expired or expiring within N days (default 14)
  token rotate NAME [--grace 24h] [--keep-secret]   renew a service token, new secret without downtime
  tunnel rotate-token [--compromised]          rotate the tunnel token (connectors get it on the next up)
  test                                         users.yaml tests: on the account (Access policy tester)

Token: CLOUDFLARE_API_TOKEN (or --token-env NAME); it is never printed. API address:
CLOUDFLARE_BASE_URL, else cloudflare:baseUrl in the stack file. Stack: --stack NAME (default local).
${EXIT_HELP}

Example: npm run zt -- doctor --email alice@example.org`;

const zt = (name: string) => ({ name: `zt ${name}`, script: `npm run zt -- ${name}` });
const CLOUDFLARE = flags("stack", "token-env");

export const ZT_COMMANDS: Record<string, Command> = {
  doctor: command({
    ...zt("doctor"),
    help: DOCTOR_HELP,
    options: { ...CLOUDFLARE, email: { type: "string" }, serial: { type: "string" } },
    run: ({ values: v }, env) =>
      doctor({ stack: v.stack, tokenEnv: v["token-env"], email: v.email, serial: v.serial }, env),
  }),
  audit: command({
    ...zt("audit"),
    help: AUDIT_HELP,
    options: {
      ...CLOUDFLARE,
      ...flags("json"),
      since: { type: "string" },
      email: { type: "string" },
      denied: { type: "boolean" },
      plan: { type: "string" },
    },
    run: ({ values: v }, env) =>
      audit(
        {
          stack: v.stack,
          tokenEnv: v["token-env"],
          since: v.since,
          email: v.email,
          denied: v.denied,
          json: v.json,
          plan: v.plan,
        },
        env,
      ),
  }),
  review: command({
    ...zt("review"),
    help: REVIEW_HELP,
    options: {
      ...CLOUDFLARE,
      days: { type: "string" },
      format: { type: "string" },
      plan: { type: "string" },
    },
    run: ({ values: v }, env) =>
      review(
        {
          stack: v.stack,
          tokenEnv: v["token-env"],
          days: positiveInt("zt review", "days", v.days, 30),
          format: v.format,
          plan: v.plan,
        },
        env,
      ),
  }),
  revoke: command({
    ...zt("revoke"),
    help: REVOKE_HELP,
    options: { ...CLOUDFLARE, force: { type: "boolean" } },
    positionals: 1,
    async run({ values: v, positionals }, env) {
      if (!positionals[0])
        throw usageError("zt revoke: which person? usage: npm run zt -- revoke EMAIL [--force]");
      return revoke({ stack: v.stack, tokenEnv: v["token-env"], email: positionals[0], force: v.force }, env);
    },
  }),
  device: command({
    ...zt("device"),
    help: DEVICE_LOST_HELP,
    options: CLOUDFLARE,
    positionals: 2,
    async run({ values: v, positionals }, env) {
      if (positionals[0] !== "lost") {
        throw usageError(
          `zt device: ${positionals[0] ? `unknown subcommand "${positionals[0]}"` : "missing subcommand"}; usage: npm run zt -- device lost SERIAL`,
        );
      }
      if (!positionals[1])
        throw usageError("zt device lost: which device? usage: npm run zt -- device lost SERIAL");
      return deviceLost({ stack: v.stack, tokenEnv: v["token-env"], serial: positionals[1] }, env);
    },
  }),
  expire: command({
    ...zt("expire"),
    help: EXPIRE_HELP,
    options: { ...flags("stack"), days: { type: "string" } },
    run: ({ values: v }, env) =>
      expire({ stack: v.stack, days: positiveInt("zt expire", "days", v.days, 14) }, env),
  }),
  token: command({
    ...zt("token"),
    help: TOKEN_HELP,
    options: {
      ...CLOUDFLARE,
      grace: { type: "string" },
      "keep-secret": { type: "boolean" },
      out: { type: "string" },
    },
    positionals: 2,
    async run({ values: v, positionals }, env) {
      const usage = "usage: npm run zt -- token rotate NAME";
      if (positionals[0] !== "rotate")
        throw usageError(
          `zt token: ${positionals[0] ? `unknown subcommand "${positionals[0]}"` : "missing subcommand"}; ${usage}`,
        );
      if (!positionals[1]) throw usageError(`zt token rotate: which service token? ${usage}`);
      return tokenRotate(
        {
          stack: v.stack,
          tokenEnv: v["token-env"],
          name: positionals[1],
          grace: v.grace,
          keepSecret: v["keep-secret"],
          out: v.out,
        },
        env,
      );
    },
  }),
  test: command({
    ...zt("test"),
    help: TEST_HELP,
    options: CLOUDFLARE,
    run: ({ values: v }, env) => accessTest({ stack: v.stack, tokenEnv: v["token-env"] }, env),
  }),
  tunnel: command({
    ...zt("tunnel"),
    help: TUNNEL_HELP,
    options: { ...CLOUDFLARE, compromised: { type: "boolean" } },
    positionals: 1,
    async run({ values: v, positionals }, env) {
      if (positionals[0] !== "rotate-token")
        throw usageError(
          `zt tunnel: ${positionals[0] ? `unknown subcommand "${positionals[0]}"` : "missing subcommand"}; usage: npm run zt -- tunnel rotate-token`,
        );
      return tunnelRotateToken({ stack: v.stack, tokenEnv: v["token-env"], compromised: v.compromised }, env);
    },
  }),
};

/** Runs one zt command line; never throws, never exits the process. */
export async function runZt(argv: readonly string[], entry: EntryEnv): Promise<number> {
  const output = outputFor(argv, entry);
  const env = { ...entry, output };
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    output.out(ZT_HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = ZT_COMMANDS[name];
  if (!cmd) {
    output.err(
      `zt: unknown command "${name}"; commands: ${Object.keys(ZT_COMMANDS).join(", ")} (npm run zt -- --help)`,
    );
    return EXIT.usage;
  }
  // --help anywhere wins, even next to flags the command does not know.
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(cmd.help);
    return EXIT.ok;
  }
  return runCommand(cmd, rest, env);
}
