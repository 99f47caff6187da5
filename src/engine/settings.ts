// Backend and secrets for a stack: the same rules for every script and test.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Default passphrase for the stack named `local` only: that stack lives in the gitignored
 * `.pulumi-local/` backend and talks to the local emulator, so its secrets protect nothing real.
 * Every other stack must get PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE).
 */
export const LOCAL_STACK = "local";
export const LOCAL_PASSPHRASE = "zt-gitops-local-stack";

export class EngineSetupError extends Error {
  override name = "EngineSetupError";
}

/** PULUMI_BACKEND_URL if set, else a file backend inside the project (`.pulumi-local/`, gitignored). */
export function backendUrl(projectDir: string, env: NodeJS.ProcessEnv): string {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  const dir = join(projectDir, ".pulumi-local");
  mkdirSync(dir, { recursive: true });
  return `file://${dir}`;
}

/** The passphrase environment for the CLI; throws for a non-local stack without one. */
export function passphraseEnv(stackName: string, env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined)
    return { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE)
    return { PULUMI_CONFIG_PASSPHRASE_FILE: env.PULUMI_CONFIG_PASSPHRASE_FILE };
  if (stackName === LOCAL_STACK) return { PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE };
  throw new EngineSetupError(
    `Stack "${stackName}" needs a secrets passphrase: set PULUMI_CONFIG_PASSPHRASE ` +
      `(or PULUMI_CONFIG_PASSPHRASE_FILE). Only the "${LOCAL_STACK}" stack has a default.`,
  );
}
