// The portal's API areas (issue 17): identity providers and service tokens. One
// registration call, so the shared router (server.ts) changes by one line.
import type { Router } from "../router";
import { registerIdentityProviders } from "./identity-providers";
import { registerServiceTokens } from "./service-tokens";

export function registerPortal(r: Router): void {
  registerIdentityProviders(r);
  registerServiceTokens(r);
}
