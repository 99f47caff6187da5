import { basename, resolve } from "node:path";
import { ApiTarget, createClient } from "../cloudflare/client";
import { loadStackFile, stackFilePath } from "../config/stack-file";
import { DesiredState, isoDay } from "../model/desired";
import { formatProblem } from "../diagnostics/problems";
import { loadUsersFile } from "../users/load";
import { explainApiError } from "./errors";
import type { Api, StackInfo } from "./types";

export type { Api, StackInfo } from "./types";
import { CliError, CommandEnv, EXIT, now } from "../command";

// What a command needs from the outside world, injected so tests can run every command in-process
// against an emulator, and the three things most commands build from it: the stack's settings,
// users.yaml as DesiredState, and an API client.

/** The environment every command gets (src/command): project directory, variables, output, clock. */
export type ZtEnv = CommandEnv;

export const DEFAULT_STACK = "local";
export const DEFAULT_TOKEN_ENV = "CLOUDFLARE_API_TOKEN";
/** Settings for the zt commands that are not part of the stack's `zt:` schema live in their own namespace. */
export const CLI_NAMESPACE = "zt-cli";

export { now };

/** Pulumi.<stack>.yaml through the project's own loader; every problem is reported at once. */
export function loadStack(env: ZtEnv, stackName = DEFAULT_STACK): StackInfo {
  if (!/^[A-Za-z0-9_.-]+$/.test(stackName))
    throw new CliError(`--stack must be a stack name such as local or prod (got "${stackName}")`, EXIT.usage);
  const file = stackFilePath(env.projectDir, stackName);
  const { config, problems, settings } = loadStackFile(env.projectDir, stackName);
  if (!config) {
    throw new CliError(
      `cannot use stack ${stackName}: ${basename(file)} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
      EXIT.failure,
      problems.map((p) => formatProblem({ ...p, file: basename(p.file) })),
    );
  }
  const text = (key: string) => (typeof settings[key] === "string" ? (settings[key] as string) : undefined);
  const fromEnv = env.env.CLOUDFLARE_BASE_URL?.trim();
  const fromStack = text("cloudflare:baseUrl");
  return {
    name: stackName,
    file,
    config,
    baseUrl: fromEnv || fromStack || undefined,
    baseUrlSource: fromEnv
      ? "CLOUDFLARE_BASE_URL"
      : fromStack
        ? `cloudflare:baseUrl in ${basename(file)}`
        : "Cloudflare's API",
    plan: text(`${CLI_NAMESPACE}:plan`),
  };
}

export interface Users {
  state: DesiredState;
  /** users.yaml, absolute. */
  path: string;
  /** As written in messages (relative to the project). */
  name: string;
}

/** users.yaml (the stack's zt:usersFile) as DesiredState, evaluated against today. */
export function loadUsers(env: ZtEnv, stack: StackInfo): Users {
  const path = resolve(env.projectDir, stack.config.usersFile);
  const name = stack.config.usersFile;
  const loaded = loadUsersFile(path, { displayName: name, today: isoDay(now(env)) });
  if (!loaded.state) {
    throw new CliError(
      `cannot use ${name}: ${loaded.problems.length} problem${loaded.problems.length === 1 ? "" : "s"} (npm run validate shows the same)`,
      EXIT.failure,
      loaded.problems.map(formatProblem),
    );
  }
  return { state: loaded.state, path, name };
}

export function connect(env: ZtEnv, stack: StackInfo, tokenEnv = DEFAULT_TOKEN_ENV): Api {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
    throw new CliError(
      `--token-env must name an environment variable, e.g. CLOUDFLARE_API_TOKEN (got "${tokenEnv}")`,
      EXIT.usage,
    );
  const token = env.env[tokenEnv]?.trim();
  if (!token) {
    throw new CliError(
      `no API token: ${tokenEnv} is not set; export ${tokenEnv} with a Cloudflare API token for account ${stack.config.accountId} (Zero Trust read; Access revoke for revoke/device lost)`,
      EXIT.api,
    );
  }
  const target: ApiTarget = { apiToken: token, baseUrl: stack.baseUrl, accountId: stack.config.accountId };
  return {
    client: createClient(target, env.clientOptions),
    target,
    accountId: stack.config.accountId,
    tokenEnv,
    stack,
  };
}

/** Runs API work; any SDK error becomes one explained line (CliError, exit 3). */
export async function withApi<T>(api: Api, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = await explainApiError(error, api);
    if (message === undefined) throw error;
    throw new CliError(message, EXIT.api);
  }
}
