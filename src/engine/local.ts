import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { EMULATOR_DEFAULT_TOKEN, startEmulator, type RunningEmulator } from "../../emulator";
import { LOCAL_STACK } from "./settings";

// The `local` stack is the embedded default: it talks to the emulator on a fixed port, with the
// emulator's token. Any command on that stack starts the emulator when nobody else is serving it.

// ZT_EMULATOR_PORT moves it, for a copy of the project whose Pulumi.local.yaml points elsewhere (the
// `npm start` smoke test), so a developer's emulator on 8788 is never touched.
export const LOCAL_EMULATOR_PORT = Number(process.env.ZT_EMULATOR_PORT) || 8788;

export function localStateFile(projectDir: string): string {
  mkdirSync(join(projectDir, ".zt"), { recursive: true });
  return join(projectDir, ".zt", "emulator-state.json");
}

/** Environment for the engine on the local stack: the emulator's token, unless one is already set. */
export function localStackEnv(
  stackName: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (stackName !== LOCAL_STACK || env.CLOUDFLARE_API_TOKEN) return {};
  return { CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts the emulator for the local stack unless one already listens on the port (for example
 * `npm start` in another terminal). Returns the one started here, to close when done.
 */
export async function ensureLocalEmulator(
  projectDir: string,
  port = LOCAL_EMULATOR_PORT,
): Promise<RunningEmulator | undefined> {
  if (await listening(port)) return undefined;
  return startEmulator({ port, stateFile: localStateFile(projectDir) });
}
