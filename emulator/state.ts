// The emulator's whole world as one JSON document, persisted atomically so a
// restart (or another process reading the file) never sees a half-written state.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  DEFAULT_FALLBACK_DOMAINS,
  DEFAULT_SPLIT_TUNNEL_EXCLUDE,
  EMULATOR_ACCOUNT_ID,
  EMULATOR_ACCOUNT_NAME,
  EMULATOR_DEFAULT_VNET_ID,
  EMULATOR_ZONE_ID,
  EMULATOR_ZONE_NAME,
} from "./constants";
import { type Obj, clone, hex, nowIso } from "./http";
import { REALISM_ON, type Realism } from "./realism";

export interface EmulatorState {
  schema: 1;
  account: { id: string; name: string; created_on: string };
  zones: Array<{ id: string; name: string; status: string; created_on: string }>;
  dnsRecords: Obj[];
  logpush: {
    nextId: number;
    jobs: Obj[];
    /** destination_conf -> the challenge token Cloudflare would write there. */
    challenges: Record<string, { token: string; filename: string; created_at: string }>;
  };
  access: {
    apps: Obj[];
    groups: Obj[];
    policies: Obj[];
    organization: Obj | null;
    /** Access sign-in events (access_requests logs), newest last. */
    requests: Obj[];
    /** Every revoke_user call, for tests and audits to assert against. */
    revocations: Obj[];
  };
  devices: {
    profile: Obj;
    fallbackDomains: Obj[];
    settings: Obj;
    posture: Obj[];
    registrations: Obj[];
  };
  lists: Obj[];
  tunnels: {
    items: Obj[];
    /** tunnel id -> base64 secret (never returned by GET, only inside the token). */
    secrets: Record<string, string>;
    /** tunnel id -> remote configuration. */
    configs: Record<string, Obj>;
    /** tunnel id -> connectors (cloudflared processes) and their connections. */
    connectors: Record<string, Obj[]>;
    routes: Obj[];
    vnets: Obj[];
  };
  /** Further accounts created through `POST /__admin/accounts` (only on the primary state). */
  otherAccounts?: Record<string, EmulatorState>;
}

/** What a handler sees: the state of the account (or zone) in its path. */
export interface AccountStore {
  data: EmulatorState;
  realism: Realism;
  now(): string;
  save(): void;
}

export interface SeedOptions {
  accountId?: string;
  accountName?: string;
  /** The zone the account starts with; null = none. Default: the emulator's zone. */
  zone?: { id: string; name: string } | null;
  realism?: Realism;
}

/** The organization a fresh account has once Zero Trust onboarding chose a team
 * name (FIDELITY.md "organization"): the recorded shape's name and auth_domain. */
export function onboardedOrganization(team: string, created: string): Obj {
  return {
    name: `${team}.cloudflareaccess.com`,
    auth_domain: `${team}.cloudflareaccess.com`,
    allow_authenticate_via_warp: false,
    is_ui_read_only: false,
    session_duration: "24h",
    created_at: created,
    updated_at: created,
  };
}

/** A new account as Cloudflare hands it out: one zone, the default device
 * profile with its split-tunnel excludes, the default fallback domains, the
 * default virtual network, and nothing else. */
export function seedState(opts: SeedOptions = {}): EmulatorState {
  const created = "2024-01-01T00:00:00Z";
  const realism = opts.realism ?? REALISM_ON;
  const accountId = opts.accountId ?? EMULATOR_ACCOUNT_ID;
  const zone = opts.zone === undefined ? { id: EMULATOR_ZONE_ID, name: EMULATOR_ZONE_NAME } : opts.zone;
  // Team name: "zt-gitops-emulator" for the seeded account, "team-<first 8 hex>" for others (guess).
  const team = accountId === EMULATOR_ACCOUNT_ID ? "zt-gitops-emulator" : `team-${accountId.slice(0, 8)}`;
  return {
    schema: 1,
    account: { id: accountId, name: opts.accountName ?? EMULATOR_ACCOUNT_NAME, created_on: created },
    zones: zone ? [{ id: zone.id, name: zone.name, status: "active", created_on: created }] : [],
    dnsRecords: [],
    logpush: { nextId: 1, jobs: [], challenges: {} },
    access: {
      apps: [],
      groups: [],
      policies: [],
      organization: realism.organization ? onboardedOrganization(team, created) : null,
      requests: [],
      revocations: [],
    },
    devices: {
      profile: {
        allow_mode_switch: false,
        allow_updates: false,
        allowed_to_leave: true,
        auto_connect: 0,
        captive_portal: 180,
        disable_auto_fallback: false,
        exclude_office_ips: false,
        register_interface_ip_with_dns: true,
        sccm_vpn_boundary_support: false,
        support_url: "",
        switch_locked: false,
        tunnel_protocol: "wireguard",
        service_mode_v2: { mode: "warp" },
        exclude: DEFAULT_SPLIT_TUNNEL_EXCLUDE.map((e) => ({ ...e })),
        default: true,
        enabled: true,
        gateway_unique_id: hex(16),
      },
      fallbackDomains: DEFAULT_FALLBACK_DOMAINS.map((d) => ({ ...d })),
      settings: {
        gateway_proxy_enabled: false,
        gateway_udp_proxy_enabled: false,
        root_certificate_installation_enabled: false,
        use_zt_virtual_ip: false,
      },
      posture: [],
      registrations: [],
    },
    lists: [],
    tunnels: {
      items: [],
      secrets: {},
      configs: {},
      connectors: {},
      routes: [],
      vnets: [
        {
          id: EMULATOR_DEFAULT_VNET_ID,
          name: "default",
          comment: "This network was autogenerated because this account lacked a default one",
          is_default_network: true,
          created_at: created,
          deleted_at: null,
        },
      ],
    },
  };
}

/** Holds the state and writes it to disk after every change (when a file is set). */
export class Store implements AccountStore {
  data: EmulatorState;

  constructor(
    readonly file?: string,
    readonly realism: Realism = REALISM_ON,
  ) {
    this.data = file && existsSync(file) ? Store.read(file) : seedState({ realism });
    if (file && !existsSync(file)) this.save();
  }

  /** The state of one account: the seeded one, or one created by `addAccount`. */
  account(id: string): AccountStore | undefined {
    if (id === this.data.account.id) return this;
    const other = this.data.otherAccounts?.[id];
    if (!other) return undefined;
    return { data: other, realism: this.realism, now: () => this.now(), save: () => this.save() };
  }

  /** Every account's state, the seeded one first. */
  allAccounts(): EmulatorState[] {
    return [this.data, ...Object.values(this.data.otherAccounts ?? {})];
  }

  /** The account holding a zone id. */
  accountOfZone(zoneId: string): AccountStore | undefined {
    const s = this.allAccounts().find((a) => a.zones.some((z) => z.id === zoneId));
    return s ? this.account(s.account.id) : undefined;
  }

  /** A further account with its own fresh state (and, when given, its own zone). */
  addAccount(id: string, name?: string, zone?: { id: string; name: string } | null): EmulatorState {
    if (!/^[0-9a-f]{32}$/.test(id)) throw new Error("account id must be 32 lowercase hex characters");
    if (this.account(id)) throw new Error(`account ${id} already exists`);
    if (zone && (!/^[0-9a-f]{32}$/.test(zone.id) || this.accountOfZone(zone.id)))
      throw new Error("zone.id must be 32 lowercase hex characters and not used by another account");
    const s = seedState({
      accountId: id,
      accountName: name ?? `account ${id.slice(0, 8)}`,
      zone: zone ?? null,
      realism: this.realism,
    });
    this.data.otherAccounts = { ...(this.data.otherAccounts ?? {}), [id]: s };
    this.save();
    return s;
  }

  private static read(file: string): EmulatorState {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
    if (parsed?.schema !== 1 || parsed.account?.id !== EMULATOR_ACCOUNT_ID)
      throw new Error(`${file} is not an emulator state file (schema 1, account ${EMULATOR_ACCOUNT_ID})`);
    return parsed;
  }

  /** Write temp + rename: a crash mid-write leaves the previous file intact. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    renameSync(tmp, this.file);
  }

  replace(next: EmulatorState): void {
    if (next?.schema !== 1 || next.account?.id !== EMULATOR_ACCOUNT_ID)
      throw new Error(`state must have schema 1 and account ${EMULATOR_ACCOUNT_ID}`);
    this.data = clone(next);
    this.save();
  }

  reset(): void {
    this.data = seedState({ realism: this.realism });
    this.save();
  }

  now(): string {
    return nowIso();
  }
}
