// The rules openStack applies before starting the engine: which backend, which passphrase (which CLI
// and plugins: tests/unit/toolchain-choice.test.ts). Cheap, but they decide where state and secrets go.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { backendUrl, EngineSetupError, LOCAL_PASSPHRASE, passphraseEnv } from "../../src/engine";

const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("backend and passphrase", () => {
  it("defaults to a file backend inside the project, else PULUMI_BACKEND_URL", () => {
    const project = temp("zt-project-");
    expect(backendUrl(project, {})).toBe(`file://${join(project, ".pulumi-local")}`);
    expect(backendUrl(project, { PULUMI_BACKEND_URL: "s3://bucket/state" })).toBe("s3://bucket/state");
  });

  it("has a default passphrase for the local stack only", () => {
    expect(passphraseEnv("local", {})).toEqual({ PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE });
    expect(passphraseEnv("prod", { PULUMI_CONFIG_PASSPHRASE: "p" })).toEqual({
      PULUMI_CONFIG_PASSPHRASE: "p",
    });
    expect(passphraseEnv("prod", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pp" })).toEqual({
      PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pp",
    });
    expect(() => passphraseEnv("prod", {})).toThrow(EngineSetupError);
    expect(() => passphraseEnv("prod", {})).toThrow(/PULUMI_CONFIG_PASSPHRASE/);
  });
});
