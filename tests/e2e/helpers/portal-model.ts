// A portal-mode model built in the test (docs/design-portal.md), for e2e tests that drive the real
// program's declarations (readInputs + declare) before the users.yaml parser fills DesiredState.portal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { chunk } from "../../../src/model/chunks";
import { buildDesiredState, DesiredState, DesiredUser } from "../../../src/model/desired";
import { AccessTest, LoginMethod, PortalState } from "../../../src/model/portal";
import { REPO_ROOT } from "../../../toolchain/layout";
import type { Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { portal as portalStore } from "../../../emulator/portal/state";
import { admin } from "../../../bench/harness/product-run";

export interface PortalSketch {
  groups: Record<string, LoginMethod>;
  users: Array<{
    email: string;
    groups: string[];
    devices?: Array<{ serial: string; os: "macos" | "windows" | "linux" }>;
  }>;
  access: Record<string, { allow: string[]; devices?: string[]; serviceTokens?: string[] }>;
  serviceTokens: string[];
  tests: AccessTest[];
}

/** users.yaml for the legacy part (sessions and users with devices) the program reads itself. */
export function legacyUsersYaml(s: PortalSketch): string {
  const users = s.users.map(
    (u) =>
      `  - email: ${u.email}\n    devices: [${(u.devices ?? []).map((d) => `{ serial: ${d.serial}, os: ${d.os} }`).join(", ")}]\n`,
  );
  return `sessions:\n  app: 8h\n  warp: 24h\nusers:\n${users.join("")}`;
}

export function portalState(s: PortalSketch): PortalState {
  return {
    groups: Object.entries(s.groups).map(([name, login], i) => {
      const members = s.users
        .filter((u) => u.groups.includes(name))
        .map((u) => u.email)
        .sort();
      return { name, login, members, emailChunks: chunk(members), line: i + 1 };
    }),
    access: Object.entries(s.access).map(([app, a], i) => ({
      app,
      allow: a.allow,
      devices: a.devices ?? a.allow,
      serviceTokens: a.serviceTokens ?? [],
      line: i + 1,
    })),
    serviceTokens: s.serviceTokens.map((name, i) => ({ name, duration: "8760h", line: i + 1 })),
    tests: s.tests,
  };
}

/** The legacy model with the sketch's portal state added. */
export function withPortal(desired: DesiredState, s: PortalSketch): DesiredState {
  const users: DesiredUser[] = desired.users;
  return { ...buildDesiredState(users, desired.sessions, desired.today), portal: portalState(s) };
}

/** zt:* values of examples/portal/Pulumi.local.yaml. */
export function portalStackConfig(): Record<string, unknown> {
  const doc = parse(readFileSync(join(REPO_ROOT, "examples/portal/Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(doc.config).filter(([k]) => k.startsWith("zt:")));
}

export interface Decision {
  decision: "allow" | "deny";
  reason: string;
}

/**
 * The emulator's own Access decision (POST /__admin/access/decide) for one `tests:` entry, on what the
 * engine created: allow when some login method the test allows lets the user in, deny when none does.
 * Apps are found by hostname `<key>.<domain>`.
 */
export async function emulatorVerdict(
  emu: RunningEmulator,
  stack: Stack,
  t: AccessTest,
  domain = "example.org",
): Promise<{ got: "allow" | "deny"; why: string[] }> {
  const app = `${t.app}.${domain}`;
  const all: Decision[] = [];
  if (t.serviceToken) {
    const tokens = (await stack.outputs()).serviceTokens;
    if (!tokens?.secret) throw new Error("the serviceTokens output is missing or not a secret");
    const issued = (tokens.value as Record<string, { clientId: string; clientSecret: string }>)[
      t.serviceToken
    ];
    all.push(
      await admin<Decision>(emu, "POST", "access/decide", {
        app,
        serviceToken: { client_id: issued.clientId, client_secret: issued.clientSecret },
      }),
    );
  } else {
    const idps = portalStore(emu.state).identityProviders;
    const tried = idps.filter((p) => !t.login || (t.login === "otp") === (p.type === "onetimepin"));
    for (const idp of tried)
      all.push(
        await admin<Decision>(emu, "POST", "access/decide", {
          app,
          identity: { email: t.user, loginMethod: idp.id },
          ...(t.device ? { device: { serial: t.device } } : {}),
        }),
      );
  }
  return {
    got: all.some((d) => d.decision === "allow") ? "allow" : "deny",
    why: all.map((d) => `${d.decision}: ${d.reason}`),
  };
}
