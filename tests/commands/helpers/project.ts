// A throwaway project directory (Pulumi.local.yaml + users.yaml) pointing at a test's emulator, and a
// runner that drives `zt` in-process and captures what it prints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { EMULATOR_ACCOUNT_ID, EMULATOR_DEFAULT_TOKEN, EMULATOR_ZONE_ID } from "../../../emulator";
import { runZt } from "../../../src/zt";

/** The fixed "now" every command test runs at (users.yaml expiry and log windows depend on it). */
export const NOW = new Date("2026-11-23T12:00:00Z");
export const TOKEN = EMULATOR_DEFAULT_TOKEN;

export const USERS_YAML = `sessions:
  app: 8h
  warp: 24h

users:
  - email: alice@example.org
    name: Alice Example
    devices:
      - serial: C02XL0GHJGH5
        os: macos
        label: work laptop

  - email: bob@example.org
    name: Bob Builder
    devices:
      - serial: 5CG1234XYZ
        os: windows
        label: ThinkPad
      - serial: PF2ABCDE
        os: linux
        label: build workstation

  - email: carol@example.org
    name: Carol Contractor
    expires: 2026-12-01   # within 14 days of NOW
    devices:
      - serial: FVFZK1ABQ6L4
        os: macos

  - email: dan@example.org
    name: Dan Ops
    devices:
      - serial: R90X2Y3Z     # no os: accepted on any operating system
        label: spare laptop

  - email: erin@example.org
    name: Erin Former
    expires: 2026-10-31   # already expired at NOW
    devices:
      - serial: H2WXK9PQ
        os: macos
`;

export interface ProjectOptions {
  baseUrl: string;
  /** tcp://127.0.0.1:PORT of a fake engine, or an unreachable host. */
  dockerHost?: string;
  connectorEnabled?: boolean;
  usersYaml?: string;
  accountId?: string;
  /** Extra top-level config keys (e.g. "zt-cli:plan"). */
  extra?: Record<string, unknown>;
}

export function stackConfig(o: ProjectOptions): Record<string, unknown> {
  return {
    "cloudflare:baseUrl": o.baseUrl,
    "zt:accountId": o.accountId ?? EMULATOR_ACCOUNT_ID,
    "zt:zoneId": EMULATOR_ZONE_ID,
    "zt:teamName": "example-org",
    "zt:tunnelName": "ocs-tunnel",
    "zt:apps": [{ name: "Open Chat Studio", hostname: "ocs.example.org", service: "http://ocs-web:8000" }],
    "zt:privateNetwork": {
      cidr: "172.18.0.0/16",
      internalDomain: "ocs.internal",
      dnsmasqAddress: "172.18.0.53",
      hosts: { "ocs.internal": "172.18.0.7" },
    },
    "zt:connector": {
      enabled: o.connectorEnabled ?? true,
      dockerHost: o.dockerHost ?? "tcp://127.0.0.1:9",
      replicas: 2,
    },
    ...(o.extra ?? {}),
  };
}

export interface Project {
  dir: string;
  write(o: ProjectOptions): void;
  remove(): void;
}

export function makeProject(o: ProjectOptions): Project {
  const dir = mkdtempSync(join(tmpdir(), "zt-commands-"));
  const write = (opts: ProjectOptions) => {
    writeFileSync(join(dir, "Pulumi.local.yaml"), stringify({ config: stackConfig(opts) }));
    writeFileSync(join(dir, "users.yaml"), opts.usersYaml ?? USERS_YAML);
  };
  write(o);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "never printed anywhere" assertions. */
  all: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  now?: Date;
  maxRetries?: number;
}

/** `npm run zt -- ...argv` in-process, with CLOUDFLARE_API_TOKEN set unless env overrides it. */
export async function zt(project: Project, argv: string[], o: RunOptions = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runZt(argv, {
    projectDir: project.dir,
    env: { CLOUDFLARE_API_TOKEN: TOKEN, ...(o.env ?? {}) },
    output: { out: (t) => out.push(t), err: (t) => err.push(t) },
    now: () => o.now ?? NOW,
    clientOptions: o.maxRetries === undefined ? undefined : { maxRetries: o.maxRetries },
  });
  const stdout = out.join("\n");
  const stderr = err.join("\n");
  return { code, stdout, stderr, all: `${stdout}\n${stderr}` };
}
