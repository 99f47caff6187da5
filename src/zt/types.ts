import type Cloudflare from "cloudflare";
import type { ApiTarget } from "../cloudflare/client";
import type { StackConfig } from "../config/schema";

// What the zt commands build from the environment (see context.ts), in a module of its own so that
// errors.ts can name an Api without importing context.ts (which imports errors.ts).

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

export interface Api {
  client: Cloudflare;
  target: ApiTarget;
  accountId: string;
  /** Name of the variable the token came from (never the token). */
  tokenEnv: string;
  stack: StackInfo;
}
