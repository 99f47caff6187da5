import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import type Cloudflare from "cloudflare";
import { parse } from "yaml";
import { ApiTarget, createClient } from "../cloudflare/client";
import { StackConfig } from "../config/schema";
import { loadStackFile, stackFilePath } from "../config/stack-file";
import { DesiredState, isoDay } from "../model/desired";
import { formatProblem } from "../users/problems";
import { loadUsersFile } from "../users/load";
import { explainApiError } from "./errors";
import { EXIT, Output, ZtError } from "./io";

// What a command needs from the outside world, injected so tests can run every command in-process
// against an emulator, and the three things most commands build from it: the stack's settings,
// users.yaml as DesiredState, and an API client.

export interface ZtEnv {
  /** Where Pulumi.<stack>.yaml and users.yaml live. */
  projectDir: string;
  env: Readonly<Record<string, string | undefined>>;
  output: Output;
  /** The clock (expiry, log windows); tests pin it. */
  now?: () => Date;
  /** SDK tuning; the CLI keeps the client factory's defaults (4 retries with backoff, 30 s timeout). */
  clientOptions?: { maxRetries?: number; timeoutMs?: number };
  /** The docker CLI doctor runs (default: `docker` on PATH). */
  dockerCommand?: string;
}

export const DEFAULT_STACK = "local";
export const DEFAULT_TOKEN_ENV = "CLOUDFLARE_API_TOKEN";
/** Settings for the zt commands that are not part of the stack's `zt:` schema live in their own namespace. */
export const CLI_NAMESPACE = "zt-cli";

export const now = (env: ZtEnv): Date => (env.now ? env.now() : new Date());

export interface StackInfo {
  name: string;
  /** Pulumi.<stack>.yaml, absolute. */
  file: string;
  config: StackConfig;
  /** undefined: Cloudflare's own API. */
  baseUrl?: string;
  /** Where baseUrl came from, for messages. */
  baseUrlSource: string;
  /** `zt-cli:plan` (free, standard, enterprise) when the stack file sets it. */
  plan?: string;
}

/** Pulumi.<stack>.yaml through the project's own loader; every problem is reported at once. */
export function loadStack(env: ZtEnv, stackName = DEFAULT_STACK): StackInfo {
  if (!/^[A-Za-z0-9_.-]+$/.test(stackName))
    throw new ZtError(`--stack must be a stack name such as local or prod (got "${stackName}")`, EXIT.usage);
  const file = stackFilePath(env.projectDir, stackName);
  const { config, problems } = loadStackFile(env.projectDir, stackName);
  if (!config) {
    throw new ZtError(
      `cannot use stack ${stackName}: ${basename(file)} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
      EXIT.usage,
      problems.map((p) => formatProblem({ ...p, file: basename(p.file) })),
    );
  }
  const raw = existsSync(file)
    ? (((parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {})
    : {};
  const text = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : undefined);
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
    throw new ZtError(
      `cannot use ${name}: ${loaded.problems.length} problem${loaded.problems.length === 1 ? "" : "s"} (npm run validate shows the same)`,
      EXIT.usage,
      loaded.problems.map(formatProblem),
    );
  }
  return { state: loaded.state, path, name };
}

export interface Api {
  client: Cloudflare;
  target: ApiTarget;
  accountId: string;
  /** Name of the variable the token came from (never the token). */
  tokenEnv: string;
  stack: StackInfo;
}

export function connect(env: ZtEnv, stack: StackInfo, tokenEnv = DEFAULT_TOKEN_ENV): Api {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
    throw new ZtError(
      `--token-env must name an environment variable, e.g. CLOUDFLARE_API_TOKEN (got "${tokenEnv}")`,
      EXIT.usage,
    );
  const token = env.env[tokenEnv]?.trim();
  if (!token) {
    throw new ZtError(
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

/** Runs API work; any SDK error becomes one explained line (ZtError, exit 3). */
export async function withApi<T>(api: Api, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ZtError) throw error;
    const message = await explainApiError(error, api);
    if (message === undefined) throw error;
    throw new ZtError(message, EXIT.api);
  }
}
