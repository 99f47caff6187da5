// Derive the shapes of Cloudflare's recorded real responses from a checkout of
// cloudflare/cf-terraforming (go-vcr cassettes under testdata/cloudflare/v4|v5):
//
//   tsx emulator/contract/derive.ts --from DIR [--out emulator/contract/recorded-shapes.json]
//
// DIR is a git directory or work tree of cf-terraforming (e.g. what the search
// tool's `fetch` brings). Only shapes are kept: method, path template, query
// names, request field names and, per response, every field path with its JSON
// type. No value, no recording, no third-party code is copied (the recordings
// carry test credentials in their values).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { buildRouter } from "../server";
import { type Shape, pathTemplate, shapeOf } from "./shape";

const router = buildRouter();
// Literal paths that only look like an emulator route with an id: other endpoints.
const OTHER_ENDPOINTS = [/\/access\/apps\/ca$/, /\/devices\/posture\/integration$/];

/** Only endpoints the emulator serves are kept. */
function served(method: string, path: string): boolean {
  if (OTHER_ENDPOINTS.some((re) => re.test(path))) return false;
  try {
    router.match(method, path);
    return true;
  } catch {
    return false;
  }
}

interface Interaction {
  method: string;
  template: string;
  query: string[];
  requestFields: string[];
  status: number;
  envelope: string[];
  shape: Shape;
}

interface RecordingFile {
  file: string;
  interactions: Interaction[];
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

function gitDirOf(dir: string): string {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--absolute-git-dir"], { encoding: "utf8" }).trim();
  } catch {
    return dir; // a bare git directory
  }
}

function derive(from: string): { source: object; files: RecordingFile[] } {
  const gitDir = gitDirOf(from);
  const commit = git(gitDir, "rev-parse", "HEAD").trim();
  const paths = git(gitDir, "ls-tree", "-r", "--name-only", "HEAD", "testdata/cloudflare/")
    .split("\n")
    .filter((p) => /^testdata\/cloudflare\/v[45]\/.*\.yaml$/.test(p));
  const files: RecordingFile[] = [];
  for (const file of paths) {
    const doc = parse(git(gitDir, "show", `HEAD:${file}`)) as { interactions?: unknown[] };
    const interactions: Interaction[] = [];
    for (const it of (doc?.interactions ?? []) as Array<Record<string, Record<string, unknown>>>) {
      const url = new URL(String(it.request.url));
      if (!url.pathname.startsWith("/client/v4/")) continue;
      if (!served(String(it.request.method), url.pathname.slice("/client/v4".length))) continue;
      let reqBody: unknown;
      try {
        reqBody = it.request.body ? JSON.parse(String(it.request.body)) : undefined;
      } catch {
        reqBody = undefined;
      }
      let resBody: Record<string, unknown> | undefined;
      try {
        resBody = JSON.parse(String(it.response.body));
      } catch {
        continue; // not JSON: nothing to compare
      }
      interactions.push({
        method: String(it.request.method),
        template: pathTemplate(url.pathname.slice("/client/v4".length)),
        query: [...new Set(url.searchParams.keys())].sort(),
        requestFields:
          reqBody && typeof reqBody === "object" && !Array.isArray(reqBody)
            ? Object.keys(reqBody).sort()
            : [],
        status: Number(it.response.code),
        envelope: Object.keys(resBody ?? {}).sort(),
        shape: shapeOf(resBody),
      });
    }
    if (interactions.length) files.push({ file, interactions });
  }
  return {
    source: { repo: "cloudflare/cf-terraforming", commit, derivedBy: "emulator/contract/derive.ts" },
    files,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      out: { type: "string", default: "emulator/contract/recorded-shapes.json" },
    },
  });
  if (!values.from)
    throw new Error("usage: tsx emulator/contract/derive.ts --from CF_TERRAFORMING_DIR [--out FILE]");
  const derived = derive(values.from);
  writeFileSync(values.out!, `${JSON.stringify(derived, null, 1)}\n`);
  const n = derived.files.reduce((a, f) => a + f.interactions.length, 0);
  console.log(`${values.out}: ${derived.files.length} recording files, ${n} interactions`);
}

main();
