// What `npm run adopt` read from the account, as plain data: src/adopt/read.ts fills it with read-only
// SDK calls, src/adopt/map.ts turns it into users.yaml, the stack's settings and the adoption record.
// Kept close to Cloudflare's own field names, so a test can write one by hand (no mocks needed).

/** An Access rule as Cloudflare answers it: one selector key (`email`, `email_list`, `group`, ...). */
export type Rule = Record<string, unknown>;

export interface FoundApp {
  id: string;
  name: string;
  type: string;
  domain: string;
  sessionDuration?: string;
  /** In the application's order: reusable policy ids (with precedence), or app-scoped policies inline. */
  policies: { id?: string; precedence?: number; name?: string; decision?: string }[];
}

export interface FoundPolicy {
  id: string;
  name: string;
  decision: string;
  include: Rule[];
  require: Rule[];
  exclude: Rule[];
  sessionDuration?: string;
}

export interface FoundList {
  id: string;
  name: string;
  type: string;
  items: string[];
}

export interface FoundPostureRule {
  id: string;
  name: string;
  type: string;
  /** serial_number: the id of the SERIAL list it checks. */
  inputId?: string;
  /** Cloudflare platforms: mac, windows, linux, ios, android, chromeos. */
  platforms: string[];
}

export interface FoundTunnel {
  id: string;
  name: string;
  ingress: { hostname?: string; service: string }[];
}

export interface FoundRoute {
  id: string;
  network: string;
  tunnelId: string;
  comment?: string;
}

export interface FoundDnsRecord {
  id: string;
  name: string;
  type: string;
  content: string;
}

export interface FoundFallback {
  suffix: string;
  description?: string;
  dnsServers: string[];
}

/** A WARP enrolment: which user enrolled which serial, and the OS Cloudflare saw. */
export interface FoundRegistration {
  serial: string;
  email: string;
  /** mac, windows, linux, ...; undefined when Cloudflare does not say. */
  deviceType?: string;
}

export interface Discovery {
  accountId: string;
  zoneId: string;
  apps: FoundApp[];
  policies: FoundPolicy[];
  groups: { id: string; name: string }[];
  lists: FoundList[];
  posture: FoundPostureRule[];
  tunnels: FoundTunnel[];
  routes: FoundRoute[];
  dns: FoundDnsRecord[];
  fallback: FoundFallback[];
  /** devices/settings as answered (snake_case). */
  deviceSettings: Record<string, unknown>;
  /** devices/policy (the default profile) as answered (snake_case). */
  defaultProfile: Record<string, unknown>;
  organization?: Record<string, unknown>;
  logpushJobs: { id: string; name?: string; dataset?: string }[];
  registrations: FoundRegistration[];
  /** Reads that failed (e.g. Logpush on a plan without it): named in the report, never hidden. */
  unreadable: string[];
}
