// Records the engine output the plan-engine and plan-drift unit tests read, from the real engine (built
// toolchain) against the emulator. Not a test: run it when the program, provider or engine changes:
//
//   npx tsx tests/e2e/gitops-record-fixtures.ts
//
// Previews are stored as `npm run preview -- --json` prints them ({changeSummary, changes}); drift as the
// engine's resource events, trimmed to what the report reads (no diagnostics, no bridge raw-state blobs).
import * as cloudflare from "@pulumi/cloudflare";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_ACCOUNT_ID, EMULATOR_DEFAULT_TOKEN, startEmulator } from "../../emulator";
import { openStack, summarizeChanges } from "../../src/engine";
import { REPO_ROOT } from "../../toolchain/layout";
import { openProductStack } from "../../bench/harness/product-stack";
import { makeProject } from "../../bench/harness/project";

const OUT = join(REPO_ROOT, "tests", "unit", "plan-fixtures");
const TEAM = readFileSync(join(OUT, "team.yaml"), "utf8");

function save(name: string, value: unknown) {
  writeFileSync(join(OUT, name), JSON.stringify(value, null, 1) + "\n");
  console.log(`wrote ${name}`);
}

function recorder() {
  const events: EngineEvent[] = [];
  const opts = { onEvent: (e: EngineEvent) => events.push(e), onOutput: () => undefined };
  return {
    opts,
    reset: () => (events.length = 0),
    // Steps sorted by URN and op: the engine runs independent steps in parallel, so their order varies
    // between recordings while their content does not.
    preview: (result: { changeSummary: unknown }, what: string) => ({
      recorded: what,
      changeSummary: result.changeSummary,
      changes: summarizeChanges(events).sort(
        (a, b) => a.urn.localeCompare(b.urn) || a.op.localeCompare(b.op),
      ),
    }),
    resourceEvents: (what: string) => ({
      recorded: what,
      events: events
        .filter((e) => e.resourcePreEvent || e.resOutputsEvent)
        .map(
          (e) =>
            JSON.parse(
              JSON.stringify(e, (k, v) =>
                k === "__pulumi_raw_state_delta" || k === "__provider" || k === "inputs" || k === "__meta"
                  ? undefined
                  : v,
              ),
            ) as EngineEvent,
        ),
    }),
  };
}

async function product() {
  const p = await openProductStack({ usersYaml: TEAM, name: "zt-gitops", today: "2026-11-23" });
  const r = recorder();
  try {
    save(
      "preview-first-deploy.json",
      r.preview(await p.stack.preview(r.opts), "preview of the example team on an empty stack"),
    );
    await p.stack.up(r.opts);

    p.writeUsers(
      TEAM.replace(/ {2}- email: bob@example\.org\n(?: {4}.*\n)*/, "") +
        "  - email: erin@example.org\n    devices:\n      - serial: C02ERIN0001\n        os: macos\n",
    );
    r.reset();
    save(
      "preview-add-remove.json",
      r.preview(await p.stack.preview({ ...r.opts, diff: true }), "erin added, bob (2 devices) removed"),
    );

    p.writeUsers(TEAM.replace("warp: 24h", "warp: 48h"));
    r.reset();
    save(
      "preview-warp-session.json",
      r.preview(await p.stack.preview({ ...r.opts, diff: true }), "WARP session 24h -> 48h"),
    );

    p.writeUsers(TEAM);
    await p.stack.setConfig("zt:apps", {
      value: JSON.stringify([
        { name: "Open Chat Studio", hostname: "chat.example.org", service: "http://ocs-web:8000" },
      ]),
    });
    r.reset();
    save(
      "preview-hostname-change.json",
      r.preview(
        await p.stack.preview({ ...r.opts, diff: true }),
        "app hostname ocs.example.org -> chat.example.org",
      ),
    );
    await p.stack.setConfig("zt:apps", {
      value: JSON.stringify([
        { name: "Open Chat Studio", hostname: "ocs.example.org", service: "http://ocs-web:8000" },
      ]),
    });

    // Behind the engine's back, as a dashboard user would: a longer app session, one email added to the
    // allow list by hand, and the application's DNS record deleted.
    const data = p.emulator.state.data;
    const app = data.access.apps.find((a) => a.domain === "ocs.example.org")!;
    app.session_duration = "24h";
    const emails = data.lists.find((l) => l.type === "EMAIL")!;
    (emails.items as { value: string }[]).push({ value: "mallory@example.net" });
    data.dnsRecords.splice(0, data.dnsRecords.length);
    p.emulator.state.save();
    r.reset();
    await p.stack.preview({ ...r.opts, refresh: true, diff: true });
    save(
      "drift-events.json",
      r.resourceEvents(
        "preview --refresh after: app session 24h, mallory@example.net added to the email list, DNS record deleted (all in the emulator)",
      ),
    );
  } finally {
    await p.close();
  }
}

/** A tunnel replacement through the real engine: config_src local -> cloudflare forces a new tunnel. */
async function tunnelReplace() {
  const emulator = await startEmulator({ port: 0 });
  const project = makeProject("zt-gitops");
  const configSrc = { value: "local" as "local" | "cloudflare" };
  try {
    const { stack } = await openStack({
      projectDir: project.dir,
      stackName: "tunnel",
      program: async () => {
        new cloudflare.ZeroTrustTunnelCloudflared("tunnel", {
          accountId: EMULATOR_ACCOUNT_ID,
          name: "ocs-tunnel",
          configSrc: configSrc.value,
        });
      },
      config: {
        "cloudflare:baseUrl": { value: emulator.apiBase },
        "cloudflare:apiToken": { value: EMULATOR_DEFAULT_TOKEN, secret: true },
      },
      env: { PULUMI_CONFIG_PASSPHRASE: "record-fixtures" },
      log: () => undefined,
    });
    const r = recorder();
    await stack.up(r.opts);
    configSrc.value = "cloudflare";
    r.reset();
    save(
      "preview-tunnel-replace.json",
      r.preview(
        await stack.preview({ ...r.opts, diff: true }),
        "tunnel config_src local -> cloudflare (forces replacement)",
      ),
    );
  } finally {
    await emulator.close();
    project.remove();
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  await product();
  await tunnelReplace();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
