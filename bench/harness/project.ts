// A throwaway Pulumi project for engine tests: its own Pulumi.yaml and (through openStack's
// default) its own file backend in <dir>/.pulumi-local, so tests never touch the real stack.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestProject {
  dir: string;
  /** Every file under the project (state, backups, stack config) as text, for secret checks. */
  allText(): string;
  remove(): void;
}

export function makeProject(name: string): TestProject {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime: nodejs\ndescription: engine test project\n`,
  );
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  return {
    dir,
    allText: () =>
      files(dir)
        .map((f) => readFileSync(f, "utf8"))
        .join("\n"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Tokens shaped like Cloudflare's (the provider validates 40-80 of [A-Za-z0-9_-]). */
export const FAKE_API_TOKEN = "zt-engine-test-token-0123456789abcdefghijklmnop";
export const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
