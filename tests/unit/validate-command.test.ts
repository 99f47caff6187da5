import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/validate";
import { FIXTURES, REPO, runMain, runScript } from "./helpers/cli";

const VALID = `${FIXTURES}/valid.yaml`;
const INVALID = `${FIXTURES}/invalid.yaml`;

const VALID_SUMMARY =
  `${VALID}: valid: 3 active users, 4 devices (macos 1, windows 1, linux 1, any 1); sessions app 12h, warp 48h; ` +
  "1 expired (left out); 1 without a device (cannot pass the device check)\n";

const INVALID_REPORT = [
  `${INVALID}:3:8: sessions.app is 30h: the app session must be between 4h and 24h`,
  `${INVALID}:3:8: sessions.warp (24h, the default) is shorter than sessions.app (30h): users would lose the network while the app still thinks they are signed in; set warp to at least 30h`,
  `${INVALID}:9:5: unknown key "emial" in users[1]: did you mean "email"?`,
  `${INVALID}:11:12: alice@example.org is listed twice (first at line 6); keep one entry and merge the devices`,
  `${INVALID}:13:17: serial C02XL0GHJGH5 is already registered to alice@example.org (line 8); a device belongs to one person: remove one of them`,
  "5 problems found; nothing was changed.",
  "",
].join("\n");

describe("npm run validate (main)", () => {
  // Fixture paths (and the default ./users.yaml) are relative to the repository root.
  const cwd = process.cwd();
  beforeAll(() => cwd !== REPO && process.chdir(REPO));
  afterAll(() => cwd !== REPO && process.chdir(cwd));

  it("exits 0 with a one-line summary for a valid file", async () => {
    expect(await runMain(main, [VALID])).toEqual({ code: 0, stdout: VALID_SUMMARY, stderr: "" });
  });

  it("exits 1 with every problem as PATH:LINE:COL: message, then the count, on stderr", async () => {
    expect(await runMain(main, [INVALID])).toEqual({ code: 1, stdout: "", stderr: INVALID_REPORT });
  });

  it("checks ./users.yaml when no path is given", async () => {
    const run = await runMain(main, []);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(
      /^users\.yaml: valid: \d+ active users, \d+ devices \(.*\); sessions app \w+, warp \w+.*\n$/,
    );
  });

  it("exits 1 when the file does not exist", async () => {
    expect(await runMain(main, ["missing/users.yaml"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "missing/users.yaml:1:1: cannot read missing/users.yaml: file not found\n1 problem found; nothing was changed.\n",
    });
  });

  it("exits 1 for an empty file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zt-validate-"));
    const path = join(dir, "users.yaml");
    try {
      writeFileSync(path, "");
      expect(await runMain(main, [path])).toEqual({
        code: 1,
        stdout: "",
        stderr: `${path}:1:1: the file is empty: it must contain \`users:\` with at least one user (an empty list would lock everyone out)\n1 problem found; nothing was changed.\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the file as bytes: a UTF-16 file (Notepad's Unicode) is one line saying to save it as UTF-8", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zt-validate-"));
    const path = join(dir, "users.yaml");
    try {
      writeFileSync(
        path,
        Buffer.from("\uFEFFusers:\n  - email: alice@example.org\n    devices: []\n", "utf16le"),
      );
      expect(await runMain(main, [path])).toEqual({
        code: 1,
        stdout: "",
        stderr: `${path}:1:1: the file is saved as UTF-16 (little-endian), not UTF-8: save it as UTF-8 (in Notepad: File → Save as → Encoding: UTF-8)\n1 problem found; nothing was changed.\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file where nobody has a device, as plan and up do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zt-validate-"));
    const path = join(dir, "users.yaml");
    try {
      writeFileSync(path, "users:\n  - email: alice@example.org\n    devices: []\n");
      const run = await runMain(main, [path]);
      expect([run.code, run.stdout]).toEqual([1, ""]);
      expect(run.stderr).toBe(
        `${path}:2:3: no active user has a registered device: nobody could pass the device check, so the application would admit nobody; add a device to at least one user, e.g. \`devices: [{ serial: C02XL0GHJGH5, os: macos }]\`\n1 problem found; nothing was changed.\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints usage for --help and exits 0", async () => {
    const run = await runMain(main, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Usage: npm run validate -- [PATH]");
    expect(run.stderr).toBe("");
  });
});

describe("npx tsx src/cli/validate.ts (a real process)", () => {
  it("sets exit code 0 and prints the summary on stdout", async () => {
    expect(runScript("src/cli/validate.ts", [VALID])).toEqual({ code: 0, stdout: VALID_SUMMARY, stderr: "" });
  });

  it("sets exit code 1 and prints the problems on stderr", async () => {
    expect(runScript("src/cli/validate.ts", [INVALID])).toEqual({
      code: 1,
      stdout: "",
      stderr: INVALID_REPORT,
    });
  });
});
