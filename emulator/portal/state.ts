// State for the portal's objects (identity providers, service tokens), kept in
// a `portal` slot of the emulator state. The slot is declared here by module
// augmentation and created lazily, so state files written before it existed
// (schema 1) still load and nothing outside emulator/portal/ had to change.
import { createHash } from "node:crypto";
import type { Obj } from "../http";
import type { AccountStore as Store } from "../state";

export interface PortalState {
  identityProviders: Obj[];
  serviceTokens: Obj[];
}

declare module "../state" {
  interface EmulatorState {
    portal?: PortalState;
  }
}

export function portal(store: Store): PortalState {
  const s = store.data;
  s.portal ??= { identityProviders: [], serviceTokens: [] };
  s.portal.identityProviders ??= [];
  s.portal.serviceTokens ??= [];
  return s.portal;
}

/** Secrets are kept only as SHA-256 digests: the state file (and GET /__admin/state)
 * must never hold a client secret in plaintext, yet the decision evaluator and
 * tests still need to check "is this the secret Cloudflare issued / was sent". */
export function digest(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
