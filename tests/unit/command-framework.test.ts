import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands";
import {
  bufferSink,
  CliError,
  command,
  createOutput,
  EXIT,
  flags,
  processEnv,
  runCommand,
} from "../../src/command";
import { REPO, runScript } from "./helpers/cli";

// One framework for every command: the table, --help, bad flags (exit 64, one line), the exit-code table
// the README documents, and the single redaction point every line goes through.

const TOKEN = "cf-token-0123456789abcdef";

describe("the command table", () => {
  it("every command answers --help with its usage, exit 0, and prints nothing else", async () => {
    expect(Object.keys(COMMANDS).length).toBeGreaterThanOrEqual(17);
    for (const [name, load] of Object.entries(COMMANDS)) {
      const sink = bufferSink();
      expect(await runCommand(await load(), ["--help"], processEnv({}, sink)), name).toBe(EXIT.ok);
      expect(sink.stdout(), name).toMatch(/^Usage: npm (start|run \S+)/);
      expect(sink.stderr(), name).toBe("");
    }
  }, 60_000); // the first load of the engine's modules (Pulumi's SDK) takes seconds

  it("every command refuses an unknown flag with one usage line and exit 64, before doing anything", async () => {
    for (const [name, load] of Object.entries(COMMANDS)) {
      const cmd = await load();
      const sink = bufferSink();
      expect(await runCommand(cmd, ["--no-such-flag"], processEnv({}, sink)), name).toBe(EXIT.usage);
      expect(sink.stderr(), name).toBe(
        `${cmd.name}: Unknown option '--no-such-flag'; see ${cmd.script} --help\n`,
      );
      expect(sink.stdout(), name).toBe("");
    }
  });

  it("npm run drift with a bad flag exits 64, not 2 (2 means drift found)", () => {
    const run = runScript("src/cli/drift.ts", ["--stack", "prod", "--bogus"]);
    expect(run).toEqual({
      code: 64,
      stdout: "",
      stderr: "drift: Unknown option '--bogus'; see npm run drift -- --help\n",
    });
  });
});

describe("the exit-code table", () => {
  it("is 0 ok, 1 failure, 2 changes, 3 Cloudflare unusable, 64 usage, 70 unexpected", () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, changes: 2, api: 3, usage: 64, internal: 70 });
  });

  it("is the table in the README", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Exit codes (every command)"));
    const rows = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(Object.values(EXIT));
  });

  it("a CliError prints as written with its code; anything else is one line and exit 70", async () => {
    const failing = (error: unknown) =>
      command({
        name: "demo",
        script: "npm run demo --",
        help: "Usage: npm run demo",
        options: flags(),
        run: async () => {
          throw error;
        },
      });
    const sink = bufferSink();
    const env = processEnv({}, sink);
    expect(await runCommand(failing(new CliError("nope", EXIT.api, ["why"])), [], env)).toBe(3);
    expect(await runCommand(failing(new Error("boom")), [], env)).toBe(70);
    expect(sink.stderr()).toBe(
      "demo: nope\n  why\n" +
        "demo: unexpected error: boom (run with ZT_DEBUG=1 for the stack trace, and report it)\n",
    );
  });
});

describe("the single redaction point", () => {
  it("scrubs the API token, --token-env's variable and registered secrets from every line and chunk", async () => {
    const leaky = command({
      name: "leaky",
      script: "npm run leaky --",
      help: "Usage: npm run leaky",
      options: flags("token-env"),
      run: async (_args, env) => {
        env.output.secret("logpush-secret-value");
        env.output.out(`token ${env.env.CLOUDFLARE_API_TOKEN} other ${env.env.MY_TOKEN}`);
        env.output.progress("tunnel eyJhIjoidHVubmVsLXRva2VuIn0= logpush-secret-value\n", "err");
        throw new CliError(`rejected ${env.env.CLOUDFLARE_API_TOKEN}`, EXIT.api);
      },
    });
    const sink = bufferSink();
    const vars = {
      CLOUDFLARE_API_TOKEN: TOKEN,
      MY_TOKEN: "my-other-token-42",
      TUNNEL_TOKEN: "eyJhIjoidHVubmVsLXRva2VuIn0=",
    };
    const code = await runCommand(leaky, ["--token-env", "MY_TOKEN"], processEnv(vars, sink));
    expect(code).toBe(3);
    expect(sink.stdout()).toBe("token [redacted] other [redacted]\n");
    expect(sink.stderr()).toBe("tunnel [redacted] [redacted]\nleaky: rejected [redacted]\n");
  });

  it("replaces a secret that contains another one whole, and ignores values too short to be secrets", () => {
    const sink = bufferSink();
    const output = createOutput(sink, ["abcdefgh", "abcdefgh-longer", "short"]);
    output.out("abcdefgh-longer abcdefgh short");
    expect(sink.stdout()).toBe("[redacted] [redacted] short\n");
  });
});
