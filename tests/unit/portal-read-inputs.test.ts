import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/diagnostics/problems";
import { readInputs } from "../../src/program";

// The program's readInputs runs the cross-file checks (checkPortalAgainstConfig) before anything is
// declared: config values as the engine holds them (`zt:key` -> JSON text), users.yaml from the project.

const PORTAL = readFileSync(join(__dirname, "../fixtures/users/portal.yaml"), "utf8");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(apps: object[]) {
  const dir = mkdtempSync(join(tmpdir(), "zt-read-inputs-"));
  dirs.push(dir);
  writeFileSync(join(dir, "users.yaml"), PORTAL);
  const config: Record<string, string> = {
    "zt:accountId": "0123456789abcdef0123456789abcdef",
    "zt:zoneId": "fedcba9876543210fedcba9876543210",
    "zt:teamName": "example-org",
    "zt:tunnelName": "portal-tunnel",
    "zt:apps": JSON.stringify(apps),
    "zt:identityProviders": JSON.stringify([
      { name: "Google", type: "google-apps", clientId: "abc", appsDomain: "example.com" },
    ]),
    // A secret as the engine hands it to the program: decrypted (readInputs refuses an OAuth IdP without one).
    "zt:identityProviderSecrets": JSON.stringify({ Google: "google-client-secret" }),
    "zt:privateNetwork": JSON.stringify({
      cidr: "172.18.0.0/16",
      internalDomain: "ocs.internal",
      dnsmasqAddress: "172.18.0.53",
    }),
  };
  return { dir, config };
}

const APPS = [
  { name: "Portal", hostname: "portal.example.com", service: "http://localhost:3000" },
  { name: "Acme", hostname: "client-acme.example.com", service: "http://localhost:3001" },
  { name: "API", key: "internal-api", hostname: "api.example.com", service: "http://localhost:8080" },
];

describe("readInputs with several audiences", () => {
  it("accepts the issue's example with its apps, and builds DesiredState.portal", () => {
    const { dir, config } = project(APPS);
    const { desired, config: cfg } = readInputs(
      { projectDir: dir, today: "2026-11-23" },
      { stack: "x", config },
    );
    expect(desired.portal?.access.map((a) => a.app)).toEqual(cfg.apps.map((a) => a.key));
  });

  it("refuses an access key that is no app, before anything is declared", () => {
    const { dir, config } = project(APPS.slice(0, 2));
    let error: unknown;
    try {
      readInputs({ projectDir: dir, today: "2026-11-23" }, { stack: "x", config });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      "users.yaml:13:3: access: internal-api is not an application in zt:apps (keys: portal, client-acme; set zt:apps[].key or add the app)",
    ]);
  });
});
