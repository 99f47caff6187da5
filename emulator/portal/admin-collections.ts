// The portal's collections under /__admin/resources/<kind>/<id>, so tests can edit an
// identity provider or a service token behind the stack's back (drift) like any other object.
import type { Obj } from "../http";
import type { EmulatorState } from "../state";

const slot = (s: EmulatorState) => (s.portal ??= { identityProviders: [], serviceTokens: [] });

export const PORTAL_COLLECTIONS: Record<
  string,
  { get(s: EmulatorState): Obj[]; set(s: EmulatorState, v: Obj[]): void }
> = {
  identity_providers: {
    get: (s) => slot(s).identityProviders,
    set: (s, v) => (slot(s).identityProviders = v),
  },
  service_tokens: { get: (s) => slot(s).serviceTokens, set: (s, v) => (slot(s).serviceTokens = v) },
};
