import { DockerPs } from "../docker";
import type { DnsProbe } from "../dnsmasq-probe";
import { Loose, NamedList, PostureView, TunnelView } from "../inventory";

// What the doctor checks share: the inventory they read, their results, and how a result is written.

export type Status = "PASS" | "WARN" | "FAIL" | "SKIP";

export interface CheckResult {
  status: Status;
  title: string;
  detail: string;
  /** One line: what to do. Printed under WARN, FAIL and SKIP. */
  fix?: string;
}

/** Everything the checks read, fetched once. */
export interface Inventory {
  tunnel?: TunnelView;
  ingress?: Loose[];
  routes: Loose[];
  apps: Loose[];
  policy?: Loose;
  /** Every Access policy (portal mode checks them by name). */
  policies: Loose[];
  group?: Loose;
  /** The portal's per-group EMAIL lists (zt-gitops group <group> <n>), with their items. */
  groupLists: NamedList[];
  /** The account's service tokens (name, expires_at; never a secret). */
  serviceTokens: Loose[];
  emailLists: NamedList[];
  posture: PostureView[];
  organization?: Loose;
  settings?: Loose;
  profile?: Loose;
  fallbackDomains?: Loose[];
  docker: DockerPs;
  /** dnsmasq asked for every zt:privateNetwork.hosts name, when its container runs. */
  dns?: DnsProbe;
}

export interface Focus {
  email?: string;
  serial?: string;
}

export const pass = (title: string, detail: string): CheckResult => ({ status: "PASS", title, detail });
export const fail = (title: string, detail: string, fix: string): CheckResult => ({
  status: "FAIL",
  title,
  detail,
  fix,
});
/** Works today, needs action soon (a token expiring): printed, does not fail the run. */
export const warn = (title: string, detail: string, fix: string): CheckResult => ({
  status: "WARN",
  title,
  detail,
  fix,
});
export const skip = (title: string, detail: string, fix: string): CheckResult => ({
  status: "SKIP",
  title,
  detail,
  fix,
});
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const few = (items: readonly string[], max = 4) =>
  items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
