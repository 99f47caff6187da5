// Public entry point of the local Cloudflare API emulator. Standalone: it
// imports nothing from the product; the product (local stack, e2e tests,
// `npm run emulator`) imports from here.
import { type EmulatorOptions, type RunningEmulator, startServer } from "./server";

export {
  DEFAULT_FALLBACK_DOMAINS,
  DEFAULT_SPLIT_TUNNEL_EXCLUDE,
  EMULATOR_ACCOUNT_ID,
  EMULATOR_DEFAULT_TOKEN,
  EMULATOR_DEFAULT_VNET_ID,
  EMULATOR_ZONE_ID,
  EMULATOR_ZONE_NAME,
} from "./constants";
export type { FaultRule } from "./faults";
export type { Realism, RealismOption } from "./realism";
export { REALISM_OFF, REALISM_ON, parseRealism, resolveRealism } from "./realism";
export type { RequestLogEntry } from "./log";
export type { EmulatorState } from "./state";
export { Store } from "./state";
export { TOKEN_PATTERN } from "./auth";
export type { EmulatorOptions, RunningEmulator };

/** Start the emulator. Resolves once it listens; `close()` stops it. */
export function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startServer(opts);
}
