// Several audiences (docs/design-portal.md): the part of DesiredState that portal-mode users.yaml adds.
// Legacy files (only `sessions:` and `users:`) have no PortalState, and the program declares exactly
// what it declared before. The parser (src/users, src/model/desired.ts) builds this; the components,
// the plan and the zt commands read it and nothing else.

export const LOGIN_METHODS = ["idp", "otp"] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

export interface DesiredGroup {
  name: string;
  login: LoginMethod;
  /** Active members' emails, sorted. */
  members: string[];
  /** The same, split into EMAIL lists (src/model/chunks.ts). */
  emailChunks: string[][];
  /** Where the group's name is written in users.yaml (col: added for LINE:COL in cross-file problems). */
  line: number;
  col?: number;
}

export interface DesiredAppAccess {
  /** The app's key (zt:apps[].key, default the hostname's first label). */
  app: string;
  /** Groups allowed, in file order. */
  allow: string[];
  /** Groups among `allow` that must pass the device check. */
  devices: string[];
  /** Service tokens allowed (Service Auth, decision non_identity). */
  serviceTokens: string[];
  /** Where the app key is written under `access:`. */
  line: number;
  col?: number;
}

export interface DesiredServiceToken {
  name: string;
  /** As written, e.g. "8760h". */
  duration: string;
  line: number;
  col?: number;
}

export type AccessTest = {
  app: string;
  expect: "allow" | "deny";
  line: number;
  col?: number;
} &
  /** user: lower-cased email; login: how they sign in (undefined = any login their groups allow). */
  (
    | { user: string; device?: string; login?: LoginMethod; serviceToken?: undefined }
    | { serviceToken: string; user?: undefined; device?: undefined; login?: undefined }
  );

export interface PortalState {
  groups: DesiredGroup[];
  access: DesiredAppAccess[];
  serviceTokens: DesiredServiceToken[];
  tests: AccessTest[];
}
