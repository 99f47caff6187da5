// The plan's service-token expiry, read from the account (the emulator here) with one list call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { planTokenExpiry, tokenExpiryLines } from "../../src/plan/token-expiry-read";
import { makeProject, Project, TOKEN } from "./helpers/project";
import { sdk } from "./helpers/seed";

describe("plan: service tokens' expiry from the account", () => {
  let emu: RunningEmulator;
  let project: Project;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    project = makeProject({ baseUrl: emu.apiBase });
    await sdk(emu).zeroTrust.access.serviceTokens.create({
      account_id: emu.accountId,
      name: "zt-gitops ci-deploy",
      duration: "516h", // 21.5 days
    });
  });
  afterAll(async () => {
    await emu.close();
    project.remove();
  });

  it("says ci-deploy expires in 21 days with the renew command, in bold, and reads no secret", async () => {
    emu.clearRequests();
    const tokens = await planTokenExpiry(
      project.dir,
      "local",
      emu.accountId,
      ["ci-deploy", "nightly"],
      { CLOUDFLARE_API_TOKEN: TOKEN },
      new Date(),
    );
    const lines = tokenExpiryLines(tokens);
    expect(lines).toHaveLength(1); // "nightly" is not created yet: no action, no line
    expect(lines[0]).toMatch(
      /^- \*\*ci-deploy expires in 21 days \(\d{4}-\d\d-\d\d\): renew with `npm run zt -- token rotate ci-deploy`\*\*$/,
    );
    const calls = emu.requests().map((r) => `${r.method} ${r.path.split("?")[0]}`);
    expect(new Set(calls)).toEqual(
      new Set([`GET /client/v4/accounts/${emu.accountId}/access/service_tokens`]),
    );
  });

  it("without an API token, or with a rejected one, the plan says it did not check (and does not fail)", async () => {
    const none = await planTokenExpiry(project.dir, "local", emu.accountId, ["ci-deploy"], {}, new Date());
    expect(tokenExpiryLines(none)[0]).toContain(
      "service tokens' expiry not checked: set CLOUDFLARE_API_TOKEN",
    );
    const bad = await planTokenExpiry(
      project.dir,
      "local",
      emu.accountId,
      ["ci-deploy"],
      { CLOUDFLARE_API_TOKEN: "wrong" },
      new Date(),
    );
    expect(tokenExpiryLines(bad)[0]).toMatch(/could not be read \(HTTP 40[13]\)/);
    expect(await planTokenExpiry(project.dir, "local", emu.accountId, [], {}, new Date())).toBeUndefined();
  });
});
