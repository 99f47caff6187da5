// Issue 16 items 1, 2 and 4: an account built by hand the way the runbook says (tests/e2e/helpers/
// runbook-account.ts) is adopted: `npm run adopt` writes users.yaml, the stack's settings and the adoption
// record; the preview creates no second tunnel, application, policy, DNS record or route and deletes
// nothing; `up` imports them, moves the inline emails and serials into the stack's lists with every listed
// user on their device allowed at every step (the emulator's Access decision after each API request),
// keeps the admin's own fallback entry, tunnel_protocol and device settings; a refreshed preview is steady.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN } from "../../emulator";
import { decide } from "../../emulator/portal/decide";
import { bufferSink, runCommand } from "../../src/command";
import { ADOPT } from "../../src/cli/adopt";
import { DEFAULT_FALLBACK_SUFFIXES } from "../../src/config/defaults";
import { adoptedPreview, guardedUp } from "../../src/converge";
import { loadUsersText } from "../../src/users/load";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { capture, objectCounts } from "../../bench/harness/product-run";
import { RUNBOOK, seedRunbookAccount, type RunbookIds } from "./helpers/runbook-account";

const BASE = readFileSync("users.yaml", "utf8");
const HAND_MADE_TYPES = [
  "zeroTrustTunnelCloudflared:",
  "zeroTrustTunnelCloudflaredConfig:",
  "zeroTrustTunnelCloudflaredRoute:",
  "dnsRecord:",
  "zeroTrustAccessApplication:",
  "zeroTrustAccessPolicy:",
  "zeroTrustDeviceDefaultProfileLocalDomainFallback:",
  "zeroTrustDeviceDefaultProfile:",
];

describe("adopt an account built by hand from the runbook", () => {
  let product: ProductStack;
  let ids: RunbookIds;
  /** Set while an engine operation runs: every API request is followed by an Access decision per person. */
  let watching = false;
  const denials: string[] = [];
  let checks = 0;
  const log: string[] = [];
  const ctx = () => ({
    engine: product.engine,
    projectDir: product.project.dir,
    stackName: "e2e",
    log: (l: string) => log.push(l),
  });
  const decideAll = () =>
    RUNBOOK.people.map((p) => ({
      who: `${p.email} on ${p.serial}`,
      d: decide(product.emulator.state, {
        app: RUNBOOK.host,
        identity: { email: p.email },
        device: { serial: p.serial },
      }),
    }));
  const adopt = async (...args: string[]) => {
    const sink = bufferSink();
    const code = await runCommand(ADOPT, ["--stack", "e2e", ...args], {
      projectDir: product.project.dir,
      env: { CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN, CLOUDFLARE_BASE_URL: product.emulator.apiBase },
      output: sink,
    });
    return { code, out: sink.stdout(), err: sink.stderr() };
  };
  const stackFile = () => join(product.project.dir, "Pulumi.e2e.yaml");

  beforeAll(async () => {
    product = await openProductStack({
      usersYaml: BASE,
      name: "zt-e2e-adopt",
      emulator: {
        // Called once per request, after the emulator has applied it: the state between two engine steps.
        log: (line) => {
          if (!watching || !/ (POST|PUT|PATCH|DELETE) /.test(` ${line}`)) return;
          for (const { who, d } of decideAll()) {
            checks++;
            if (d.decision !== "allow") denials.push(`${who} refused after "${line}": ${d.reason}`);
          }
        },
      },
    });
    ids = await seedRunbookAccount(product.emulator, [...DEFAULT_FALLBACK_SUFFIXES]);
    // The admin's own note in the stack file, which adopt must keep.
    writeFileSync(
      stackFile(),
      `# Our production Zero Trust stack (kept by adopt)\n${readFileSync(stackFile(), "utf8")}`,
    );
  });

  afterAll(async () => {
    await product?.close();
  });

  it("before adoption every listed user on their device is allowed by the hand-built policy", () => {
    for (const { who, d } of decideAll()) expect(d.decision, who).toBe("allow");
  });

  it("--dry-run prints the report and writes nothing", async () => {
    const before = [
      readFileSync(stackFile(), "utf8"),
      readFileSync(join(product.project.dir, "users.yaml"), "utf8"),
    ];
    const r = await adopt("--dry-run");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("--dry-run: nothing was written");
    expect([
      readFileSync(stackFile(), "utf8"),
      readFileSync(join(product.project.dir, "users.yaml"), "utf8"),
    ]).toEqual(before);
    expect(() => readFileSync(join(product.project.dir, "adoption.e2e.json"))).toThrow();
  });

  it("adopt writes users.yaml (valid, exactly those people, devices, sessions), the stack and the record", async () => {
    const r = await adopt();
    console.log(`--- adopt report (seeded account) ---\n${r.out}${r.err}`);
    expect(r.code, r.err).toBe(0);
    const usersText = readFileSync(join(product.project.dir, "users.yaml"), "utf8");
    console.log(`--- users.yaml written by adopt ---\n${usersText}`);
    const loaded = loadUsersText(usersText, "users.yaml");
    expect(loaded.problems).toEqual([]);
    const state = loaded.state!;
    expect(state.sessions).toMatchObject({ app: "12h", warp: "48h" });
    expect(
      state.users.map((u) => ({ email: u.email, devices: u.devices.map((d) => [d.serial, d.os]) })),
    ).toEqual(RUNBOOK.people.map((p) => ({ email: p.email, devices: [[p.serial, p.os]] })));
    expect(usersText).toContain('found in Allow policy "Allow team", include: email');
    expect(usersText).toContain("OS macos from its WARP enrolment");
    const stack = readFileSync(stackFile(), "utf8");
    expect(stack).toContain("# Our production Zero Trust stack (kept by adopt)");
    expect(stack).toContain(`zt:tunnelName: ${RUNBOOK.tunnelName}`);
    expect(stack).toContain("zt:teamName: example-org");
    expect(stack).toContain(RUNBOOK.adminFallback.suffix);
    expect(stack).toMatch(/cloudflare:apiToken:\n\s+secure:/);
    const record = readFileSync(join(product.project.dir, "adoption.e2e.json"), "utf8");
    expect(record).toContain(ids.app);
    expect(record).toContain(ids.policy);
    expect(record).not.toContain(EMULATOR_DEFAULT_TOKEN);
    expect(r.out).toContain(
      'moves 3 email(s) from the policy\'s inline rules into the list "zt-gitops users 1"',
    );
  });

  it("the preview creates nothing that already existed and deletes nothing", async () => {
    const c = capture();
    await adoptedPreview(ctx(), () => product.stack.preview({ ...c.opts, diff: true }));
    const steps = c.steps().filter((s) => s.op !== "same");
    console.log(
      `--- first plan after adoption ---\n${steps.map((s) => `${s.op} ${s.name}${s.diffs.length ? ` (${s.diffs.join(", ")})` : ""}`).join("\n")}`,
    );
    const creates = steps.filter((s) => s.op === "create").map((s) => s.type);
    for (const t of HAND_MADE_TYPES)
      expect(
        creates.filter((x) => x.includes(t)),
        t,
      ).toEqual([]);
    expect(steps.filter((s) => /delete|replace/.test(s.op))).toEqual([]);
    const imports = steps.filter((s) => s.op.startsWith("import")).map((s) => s.name);
    expect(imports).toEqual(
      expect.arrayContaining([
        "tunnel",
        "access-allow",
        `access-app-${RUNBOOK.host}`,
        `tunnel-dns-${RUNBOOK.host}`,
      ]),
    );
  });

  it("up keeps one object of each kind, the admin's fallback entry, tunnel_protocol; nobody is refused", async () => {
    const before = objectCounts(product.emulator);
    console.log(`--- object counts before up ---\n${JSON.stringify(before)}`);
    watching = true;
    try {
      const r = await guardedUp(ctx(), () => product.stack.up(capture().opts));
      expect(r.summary.result).toBe("succeeded");
    } finally {
      watching = false;
    }
    const after = objectCounts(product.emulator);
    console.log(
      `--- object counts after up ---\n${JSON.stringify(after)}\n${log.join("\n")}\n` +
        `Access decisions checked during the up: ${checks}, refused: ${denials.length}`,
    );
    expect(denials).toEqual([]);
    expect(checks).toBeGreaterThan(20);
    expect(log.join("\n")).toContain(
      "Adopting: 8 existing object(s) from adoption.e2e.json are imported by this run.",
    );
    for (const { who, d } of decideAll()) expect(d.decision, who).toBe("allow");
    expect(after).toMatchObject({ tunnels: 1, accessApps: 1, accessPolicies: 1, routes: 1, dnsRecords: 1 });
    const s = product.emulator.state.data;
    expect(s.access.apps[0].id).toBe(ids.app);
    expect(s.access.policies[0].id).toBe(ids.policy);
    expect(s.tunnels.items.filter((t) => !t.deleted_at)[0].id).toBe(ids.tunnel);
    // The hand-made rule and list were replaced by the stack's, then deleted once unused.
    expect(s.devices.posture.map((p) => p.id)).not.toContain(ids.postureRule);
    expect(s.lists.map((l) => l.id)).not.toContain(ids.serialList);
    expect(s.devices.fallbackDomains.map((f) => f.suffix)).toContain(RUNBOOK.adminFallback.suffix);
    expect(s.devices.profile.tunnel_protocol).toBe("wireguard");
    expect(JSON.stringify(s.devices.settings)).toContain('"root_certificate_installation_enabled":true');
    expect(s.access.organization).toMatchObject({
      session_duration: "24h",
      auto_redirect_to_identity: true,
      warp_auth_session_duration: "48h",
    });
  });

  it("a refreshed preview is then steady", async () => {
    const c = capture();
    await adoptedPreview(ctx(), () => product.stack.preview({ ...c.opts, refresh: true }));
    expect(c.steps().filter((s) => s.op !== "same")).toEqual([]);
  });
});
