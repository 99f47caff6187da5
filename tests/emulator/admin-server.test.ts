import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_ACCOUNT_ID,
  EMULATOR_ZONE_ID,
  REALISM_ON,
  type RunningEmulator,
  startEmulator,
} from "../../emulator";
import { TOKEN, acct, admin, call, result } from "./helpers";

describe("admin API and server behaviour", () => {
  let emu: RunningEmulator;
  const lines: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ log: (l) => lines.push(l) });
  });
  afterAll(() => emu.close());

  it("answers health with the seeded ids", async () => {
    const h = await admin(emu, "GET", "/health");
    expect(h.json).toEqual({
      ok: true,
      accountId: EMULATOR_ACCOUNT_ID,
      zoneId: EMULATOR_ZONE_ID,
      zoneName: "example.org",
      realism: REALISM_ON,
    });
  });

  it("lets a person change a resource behind the stack's back", async () => {
    const app = await result(emu, "POST", `${acct(emu)}/access/apps`, {
      name: "a",
      type: "self_hosted",
      domain: "a.example.org",
    });
    const p = await admin(emu, "PATCH", `/resources/access_apps/${app.id}`, {
      session_duration: "1h",
      app_launcher_visible: null,
    });
    expect(p.status).toBe(200);
    const got = await result(emu, "GET", `${acct(emu)}/access/apps/${app.id}`);
    expect(got.session_duration).toBe("1h");
    expect(got).not.toHaveProperty("app_launcher_visible");
    expect(got.updated_at >= app.updated_at).toBe(true);

    const prof = await admin(emu, "PATCH", "/resources/device_profile", { captive_portal: 30 });
    expect(prof.json.captive_portal).toBe(30);
    expect((await result(emu, "GET", `${acct(emu)}/devices/policy`)).captive_portal).toBe(30);
    expect((await admin(emu, "PATCH", "/resources/access_apps/nope", { a: 1 })).status).toBe(404);
    expect((await admin(emu, "GET", "/resources/widgets")).status).toBe(404);
    const del = await admin(emu, "DELETE", `/resources/access_apps/${app.id}`);
    expect(del.status).toBe(200);
    expect((await call(emu, "GET", `${acct(emu)}/access/apps/${app.id}`)).status).toBe(404);
  });

  it("reads, replaces and resets the whole state", async () => {
    await result(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "s", type: "SERIAL" });
    const snap = (await admin(emu, "GET", "/state")).json;
    expect(snap.lists).toHaveLength(1);
    await admin(emu, "POST", "/reset");
    expect(await result(emu, "GET", `${acct(emu)}/gateway/lists`)).toEqual([]);
    expect((await admin(emu, "PUT", "/state", snap)).status).toBe(200);
    expect(await result(emu, "GET", `${acct(emu)}/gateway/lists`)).toHaveLength(1);
    expect((await admin(emu, "PUT", "/state", { schema: 2 })).status).toBe(400);
    expect(emu.state.data.lists).toHaveLength(1);
  });

  it("reads and clears the request log; lines carry method, path, status and ms but no secrets", async () => {
    emu.clearRequests();
    await call(emu, "GET", `${acct(emu)}/devices/policy?cursor=abc&api_key=sekrit`);
    const log = (await admin(emu, "GET", "/requests")).json;
    const entry = log.find((e: { path: string }) => e.path.endsWith("/devices/policy"));
    expect(entry).toMatchObject({ method: "GET", status: 200, query: "?cursor=abc&api_key=REDACTED" });
    expect(typeof entry.ms).toBe("number");
    expect(lines.join("\n")).not.toContain("sekrit");
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(
      lines.some((l) =>
        /GET \/client\/v4\/accounts\/\w+\/devices\/policy\?cursor=abc&api_key=REDACTED -> 200 \d+ms/.test(l),
      ),
    ).toBe(true);
    await admin(emu, "DELETE", "/requests");
    expect(emu.requests()).toEqual([]);
  });

  it("answers unknown routes, wrong methods and malformed JSON in Cloudflare's envelope", async () => {
    const unknown = await call(emu, "GET", `${acct(emu)}/nothing/here`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ success: false, errors: [{ code: 7003 }] });
    const wrong = await call(emu, "PATCH", `${acct(emu)}/access/policies`, {});
    expect(wrong.status).toBe(405);
    const malformed = await call(emu, "POST", `${acct(emu)}/gateway/lists`, "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].code).toBe(6007);
    const notObject = await call(emu, "POST", `${acct(emu)}/gateway/lists`, [1, 2]);
    expect(notObject.status).toBe(400);
    const outside = await fetch(`${emu.url}/v4/accounts`);
    expect(outside.status).toBe(404);
  });
});

describe("npm run emulator", () => {
  it("starts alone, prints url, account and zone, and closes cleanly on SIGINT", async () => {
    const root = join(__dirname, "..", "..");
    const child = spawn(
      process.execPath,
      [
        join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        join(root, "emulator", "main.ts"),
        "--port",
        "0",
        "--quiet",
      ],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no url printed: ${out}`)), 20_000);
      child.stdout.on("data", () => {
        const m = /zone id:\s+\w+/.test(out) && /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(out).toContain(EMULATOR_ACCOUNT_ID);
    expect(out).toContain(EMULATOR_ZONE_ID);
    const h = await fetch(`${url}/__admin/health`);
    expect(h.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
    expect(out).toContain("closing emulator");
  }, 30_000);
});
