import { COMMON_OPTIONS, parseCommandArgs, positiveInt } from "./args";
import { audit, AUDIT_HELP } from "./audit";
import { DEFAULT_TOKEN_ENV, ZtEnv } from "./context";
import { deviceLost, DEVICE_LOST_HELP } from "./device-lost";
import { doctor, DOCTOR_HELP } from "./doctor";
import { expire, EXPIRE_HELP } from "./expire";
import { EXIT, redacting, ZtError } from "./io";
import { revoke, REVOKE_HELP } from "./revoke";
import { review, REVIEW_HELP } from "./review";

// `npm run zt -- <command>`: the command table. Each command is a plain function in its own file;
// this file only turns argv into its options, and any failure into one line and an exit code.

export type { ZtEnv } from "./context";
export { EXIT } from "./io";

export const ZT_HELP = `Usage: npm run zt -- <command> [flags]    (npm run zt -- <command> --help for details)

Day-2 operations for the Zero Trust setup described by users.yaml and Pulumi.<stack>.yaml:
  doctor [--email E] [--serial S]              run the connectivity checklist against Cloudflare
  audit [--since 24h] [--email E] [--denied] [--json]   Access sign-in events
  review [--days N] [--format md|csv]          access-review report (users, devices, last sign-in)
  revoke EMAIL [--force]                       end a person's sessions and WARP registrations now
  device lost SERIAL                           revoke a lost device and show the users.yaml edit
  expire [--days N]                            users expired or expiring within N days (default 14)

Token: CLOUDFLARE_API_TOKEN (or --token-env NAME); it is never printed. API address:
CLOUDFLARE_BASE_URL, else cloudflare:baseUrl in the stack file. Stack: --stack NAME (default local).
Exit codes: 0 ok; 1 findings (failed check, expiring user, refused revoke); 2 bad input;
3 Cloudflare unusable (token, account, rate limit, network); 70 unexpected error.

Example: npm run zt -- doctor --email alice@example.org`;

interface Command {
  help: string;
  run(argv: string[], env: ZtEnv): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  doctor: {
    help: DOCTOR_HELP,
    async run(argv, env) {
      const { values } = parseCommandArgs("doctor", argv, {
        ...COMMON_OPTIONS,
        email: { type: "string" },
        serial: { type: "string" },
      });
      return doctor(
        { stack: values.stack, tokenEnv: values["token-env"], email: values.email, serial: values.serial },
        env,
      );
    },
  },
  audit: {
    help: AUDIT_HELP,
    async run(argv, env) {
      const { values } = parseCommandArgs("audit", argv, {
        ...COMMON_OPTIONS,
        since: { type: "string" },
        email: { type: "string" },
        denied: { type: "boolean" },
        json: { type: "boolean" },
        plan: { type: "string" },
      });
      return audit(
        {
          stack: values.stack,
          tokenEnv: values["token-env"],
          since: values.since,
          email: values.email,
          denied: values.denied,
          json: values.json,
          plan: values.plan,
        },
        env,
      );
    },
  },
  review: {
    help: REVIEW_HELP,
    async run(argv, env) {
      const { values } = parseCommandArgs("review", argv, {
        ...COMMON_OPTIONS,
        days: { type: "string" },
        format: { type: "string" },
        plan: { type: "string" },
      });
      return review(
        {
          stack: values.stack,
          tokenEnv: values["token-env"],
          days: positiveInt("review", "days", values.days, 30),
          format: values.format,
          plan: values.plan,
        },
        env,
      );
    },
  },
  revoke: {
    help: REVOKE_HELP,
    async run(argv, env) {
      const { values, positionals } = parseCommandArgs(
        "revoke",
        argv,
        { ...COMMON_OPTIONS, force: { type: "boolean" } },
        1,
      );
      if (!positionals[0])
        throw new ZtError("zt revoke: which person? usage: npm run zt -- revoke EMAIL [--force]", EXIT.usage);
      return revoke(
        { stack: values.stack, tokenEnv: values["token-env"], email: positionals[0], force: values.force },
        env,
      );
    },
  },
  device: {
    help: DEVICE_LOST_HELP,
    async run(argv, env) {
      const { values, positionals } = parseCommandArgs("device", argv, COMMON_OPTIONS, 2);
      if (positionals[0] !== "lost") {
        throw new ZtError(
          `zt device: ${positionals[0] ? `unknown subcommand "${positionals[0]}"` : "missing subcommand"}; usage: npm run zt -- device lost SERIAL`,
          EXIT.usage,
        );
      }
      if (!positionals[1])
        throw new ZtError(
          "zt device lost: which device? usage: npm run zt -- device lost SERIAL",
          EXIT.usage,
        );
      return deviceLost({ stack: values.stack, tokenEnv: values["token-env"], serial: positionals[1] }, env);
    },
  },
  expire: {
    help: EXPIRE_HELP,
    async run(argv, env) {
      const { values } = parseCommandArgs("expire", argv, {
        stack: COMMON_OPTIONS.stack,
        help: COMMON_OPTIONS.help,
        days: { type: "string" },
      });
      return expire({ stack: values.stack, days: positiveInt("expire", "days", values.days, 14) }, env);
    },
  },
};

/** The token variable named on the command line, so its value can be kept out of every line printed. */
function tokenEnvOf(argv: readonly string[]): string {
  const i = argv.findIndex((a) => a === "--token-env" || a.startsWith("--token-env="));
  if (i < 0) return DEFAULT_TOKEN_ENV;
  return argv[i].includes("=") ? argv[i].slice("--token-env=".length) : (argv[i + 1] ?? DEFAULT_TOKEN_ENV);
}

/** Runs one zt command line; never throws, never exits the process. */
export async function runZt(argv: readonly string[], env: ZtEnv): Promise<number> {
  const output = redacting(env.output, [env.env[DEFAULT_TOKEN_ENV], env.env[tokenEnvOf(argv)]]);
  const safeEnv: ZtEnv = { ...env, output };
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    output.out(ZT_HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    output.err(
      `zt: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")} (npm run zt -- --help)`,
    );
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, safeEnv);
  } catch (error) {
    if (error instanceof ZtError) {
      output.err(error.message.startsWith("zt ") ? error.message : `zt ${name}: ${error.message}`);
      for (const line of error.details) output.err(`  ${line}`);
      return error.exitCode;
    }
    const e = error as Error;
    output.err(
      `zt ${name}: unexpected error: ${e?.message ?? String(error)} (run with ZT_DEBUG=1 for the stack trace, and report it)`,
    );
    if (env.env.ZT_DEBUG) output.err(String(e?.stack ?? error));
    return EXIT.internal;
  }
}
