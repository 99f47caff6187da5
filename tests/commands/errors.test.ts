// What every command prints when Cloudflare cannot be used: one line, exit 3, no stack trace, never
// the token. Driven through real failures: an emulator with a token allow-list, a foreign account id,
// injected 429s and 5xx, and a port nobody listens on.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN } from "../../emulator";
import { zt } from "./helpers/project";
import { startWorld, World } from "./helpers/world";

const WRONG_TOKEN = "wrong-token-but-well-formed-00000000000000000";
const API_COMMANDS: string[][] = [
  ["doctor"],
  ["audit"],
  ["review"],
  ["revoke", "nobody@example.org"],
  ["device", "lost", "NOSUCHSERIAL"],
];

function expectOneLine(stderr: string) {
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:|node_modules/);
}

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("API failures, explained in one line", () => {
  let w: World;
  beforeAll(async () => {
    // Only the emulator's default token is valid here.
    w = await startWorld({ tokens: [EMULATOR_DEFAULT_TOKEN] });
  });
  afterAll(() => w.close());
  beforeEach(() => w.reset());

  it("refuses to start without a token, naming the variable", async () => {
    for (const argv of API_COMMANDS) {
      const run = await zt(w.project, argv, { env: { CLOUDFLARE_API_TOKEN: undefined } });
      expect(run.code, argv.join(" ")).toBe(3);
      expect(run.stderr).toContain("no API token: CLOUDFLARE_API_TOKEN is not set");
      expectOneLine(run.stderr);
    }
    expect(w.emu.requests()).toHaveLength(0);
  });

  it("says the token was refused (403) for every command, and never prints it", async () => {
    for (const argv of API_COMMANDS) {
      const run = await zt(w.project, argv, { env: { CLOUDFLARE_API_TOKEN: WRONG_TOKEN } });
      expect(run.code, argv.join(" ")).toBe(3);
      expect(run.stderr).toContain(
        "Cloudflare refused the API token in CLOUDFLARE_API_TOKEN (403, code 9109: Invalid access token)",
      );
      expectOneLine(run.stderr);
      expect(run.all).not.toContain(WRONG_TOKEN);
    }
  });

  it("says a malformed token was rejected (401)", async () => {
    const run = await zt(w.project, ["audit"], { env: { CLOUDFLARE_API_TOKEN: "short-token" } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^zt audit: Cloudflare rejected the API token in CLOUDFLARE_API_TOKEN \(401, code 6003: Invalid request headers\): it is malformed, expired or revoked/,
    );
    expect(run.all).not.toContain("short-token");
  });

  it("reads the token from --token-env and keeps that value out of the output too", async () => {
    const ok = await zt(w.project, ["audit", "--token-env", "ZT_TEST_TOKEN"], {
      env: { CLOUDFLARE_API_TOKEN: undefined, ZT_TEST_TOKEN: EMULATOR_DEFAULT_TOKEN },
    });
    expect(ok.code).toBe(0);
    const bad = await zt(w.project, ["audit", "--token-env", "ZT_TEST_TOKEN"], {
      env: { ZT_TEST_TOKEN: WRONG_TOKEN },
    });
    expect(bad.stderr).toContain("refused the API token in ZT_TEST_TOKEN");
    expect(bad.all).not.toContain(WRONG_TOKEN);
    const unset = await zt(w.project, ["audit", "--token-env", "ZT_TEST_TOKEN"], {
      env: { ZT_TEST_TOKEN: undefined },
    });
    expect(unset.stderr).toContain("ZT_TEST_TOKEN is not set");
  });

  it("tells a wrong account id apart from a bad token", async () => {
    w.project.write({ ...w.options, accountId: "0123456789abcdef0123456789abcdef" });
    for (const argv of API_COMMANDS) {
      const run = await zt(w.project, argv);
      expect(run.code, argv.join(" ")).toBe(3);
      expect(run.stderr).toContain(
        "the API token is valid but cannot use account 0123456789abcdef0123456789abcdef (403, code 9109: Unauthorized to access requested resource): check zt:accountId in Pulumi.local.yaml",
      );
      expectOneLine(run.stderr);
    }
  });

  it("retries through a few 429s with backoff and succeeds", async () => {
    w.emu.faults.add({
      method: "GET",
      path: "/accounts/*/access/logs/access_requests",
      status: 429,
      retryAfter: 0,
      count: 3,
    });
    const run = await zt(w.project, ["audit"]);
    expect(run.code).toBe(0);
    const statuses = w.emu
      .requests()
      .filter((r) => r.path.endsWith("/access_requests"))
      .map((r) => r.status);
    expect(statuses.slice(0, 4)).toEqual([429, 429, 429, 200]);
  });

  it("gives up on a persistent 429 after the SDK's retries with a rate-limit message", async () => {
    w.emu.faults.add({
      method: "GET",
      path: "/accounts/*/access/logs/access_requests",
      status: 429,
      retryAfter: 0,
      count: Infinity,
    });
    const run = await zt(w.project, ["audit"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "zt audit: Cloudflare is rate limiting this token (429, code 971: Please wait and consider throttling your request speed) and still was after retrying with backoff (it asks to wait 0 s): wait a few minutes, then run the command again",
    );
    // the factory's default: the first try and 4 retries
    expect(w.emu.requests().filter((r) => r.status === 429)).toHaveLength(5);
  });

  it("does not sleep for a Retry-After of an hour: backs off normally and reports the 429", async () => {
    w.emu.faults.add({
      method: "GET",
      path: "/accounts/*/devices/physical-devices",
      status: 429,
      retryAfter: 3600,
      count: Infinity,
    });
    const started = Date.now();
    const run = await zt(w.project, ["review"], { maxRetries: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("Cloudflare is rate limiting this token (429");
    expect(w.emu.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it("reports a final server error without a stack trace", async () => {
    w.emu.faults.add({
      method: "GET",
      path: "/accounts/*/cfd_tunnel",
      status: 503,
      shouldRetry: false,
      count: Infinity,
    });
    const run = await zt(w.project, ["doctor"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "zt doctor: the Cloudflare API failed (503, code 10001: Internal server error) even after retries: try again later (status: https://www.cloudflarestatus.com)",
    );
  });

  it("says the API is unreachable (connection refused), naming the address and where it came from", async () => {
    const port = await closedPort();
    w.project.write({ ...w.options, baseUrl: `http://127.0.0.1:${port}/client/v4` });
    const run = await zt(w.project, ["review"], { maxRetries: 1 });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `zt review: cannot reach the Cloudflare API at http://127.0.0.1:${port}/client/v4 (cloudflare:baseUrl in Pulumi.local.yaml): connection refused (ECONNREFUSED); check the address (CLOUDFLARE_BASE_URL or cloudflare:baseUrl) and that the service is up`,
    );
    // CLOUDFLARE_BASE_URL wins over the stack file
    const env = await zt(w.project, ["audit"], { env: { CLOUDFLARE_BASE_URL: w.emu.apiBase } });
    expect(env.code).toBe(0);
  });
});
