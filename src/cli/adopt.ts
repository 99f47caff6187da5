import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { createClient } from "../cloudflare/client";
import { CliError, command, EXIT, flags, mainOf, now, projectDirOf, runEntry, stackOf } from "../command";
import { parseStackConfig } from "../config/load";
import { configSection, stackFilePath, stackValuesFromText } from "../config/stack-file";
import { formatProblem } from "../diagnostics/problems";
import { adopt } from "../adopt/map";
import { readDiscovery } from "../adopt/read";
import { recordPath } from "../adopt/record";
import { formatAdoption, formatReport } from "../adopt/report";
import { editStackFile, renderUsersYaml } from "../adopt/write";
import { loadUsersText } from "../users/load";
import { explainApiError } from "../zt/errors";
import type { Api } from "../zt/types";

// npm run adopt -- --stack NAME [--app HOSTNAME] [--tunnel NAME] [--dry-run]: an account an admin built
// by hand (the runbook) becomes the stack's: users.yaml and the stack's settings written from it, and an
// adoption record the next up imports every existing object from. Reads only; writes only local files.
const HELP = `Usage: npm run adopt -- --stack NAME [--app HOSTNAME] [--tunnel NAME] [--dry-run]

Reads the account (read-only API calls) and writes users.yaml, the zt: settings of Pulumi.NAME.yaml
(comments kept) and adoption.NAME.json, which makes the next up import the existing tunnel,
application, policy, DNS record, route, fallback and default profile instead of creating new ones.
  --app HOSTNAME     the application to adopt when the account has several
  --tunnel NAME      the tunnel to adopt when no single tunnel serves the hostname
  --dry-run          print the report and write nothing
  --token-env NAME   variable holding the API token (default CLOUDFLARE_API_TOKEN)
Pulumi.NAME.yaml must hold zt:accountId and zt:zoneId. Exit 0 adopted, 1 nothing to adopt or refused,
3 Cloudflare cannot be used, 64 bad arguments (or several applications and no --app).`;

const OPTIONS = {
  ...flags("stack", "project-dir", "token-env"),
  app: { type: "string" },
  tunnel: { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

/** Values `pulumi config set --path` or the Automation API wrote as JSON text, parsed as the engine does. */
function decoded(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      if (typeof v !== "string" || !/^[[{]/.test(v.trim())) return [k, v];
      try {
        return [k, JSON.parse(v) as unknown];
      } catch {
        return [k, v];
      }
    }),
  );
}

export const ADOPT = command({
  name: "adopt",
  script: "npm run adopt --",
  help: HELP,
  options: OPTIONS,
  async run({ values }, env) {
    const projectDir = projectDirOf(values, env.projectDir);
    const stack = stackOf(values, projectDir, "local");
    const stackFile = stackFilePath(projectDir, stack);
    const stackText = existsSync(stackFile) ? readFileSync(stackFile, "utf8") : "";
    const written = decoded(stackValuesFromText(stackText));
    const accountId = String(written.accountId ?? "");
    const zoneId = String(written.zoneId ?? "");
    if (!/^[0-9a-f]{32}$/.test(accountId) || !/^[0-9a-f]{32}$/.test(zoneId))
      throw new CliError(
        `${basename(stackFile)} needs zt:accountId and zt:zoneId (32 hex characters each) before adopt can read the account: \`pulumi config set zt:accountId ...\``,
        EXIT.failure,
      );
    const recordFile = recordPath(projectDir, stack);
    if (existsSync(recordFile))
      throw new CliError(
        `stack ${stack} was already adopted (${basename(recordFile)}): its objects are the stack's once an up has imported them. To adopt again from scratch, delete ${basename(recordFile)} first.`,
        EXIT.failure,
      );
    const tokenEnv = values["token-env"] ?? "CLOUDFLARE_API_TOKEN";
    const token = env.env[tokenEnv]?.trim();
    if (!token) throw new CliError(`no API token: export ${tokenEnv} (Zero Trust read, DNS read)`, EXIT.api);
    const baseUrl =
      env.env.CLOUDFLARE_BASE_URL?.trim() ||
      (configSection(stackText)["cloudflare:baseUrl"] as string | undefined) ||
      undefined;
    const target = { apiToken: token, baseUrl, accountId };
    const client = createClient(target, env.clientOptions);
    let discovery;
    try {
      discovery = await readDiscovery(target, zoneId, client);
    } catch (e) {
      // explainApiError reads the token variable, the target and where the address came from; the stack's
      // settings are what adopt is about to write, so there is no StackConfig yet.
      const stackInfo = {
        name: stack,
        file: stackFile,
        baseUrl,
        baseUrlSource: baseUrl ?? "Cloudflare's API",
      };
      const api = { client, target, accountId, tokenEnv, stack: stackInfo } as unknown as Api;
      const message = await explainApiError(e, api);
      if (message === undefined) throw e;
      throw new CliError(message, EXIT.api);
    }
    const at = now(env).toISOString();
    const hosts = ((written.privateNetwork ?? {}) as { hosts?: Record<string, string> }).hosts;
    const result = adopt(discovery, { stack, app: values.app, tunnel: values.tunnel, now: at, hosts });
    if (result.kind === "nothing" || result.kind === "ambiguous") {
      result.lines.forEach((l) => env.output.err(l));
      return result.kind === "nothing" ? EXIT.failure : EXIT.usage;
    }
    if (result.kind === "refused") {
      result.lines.forEach((l) => env.output.err(l));
      formatReport(result.report).forEach((l) => env.output.err(l));
      return EXIT.failure;
    }
    const a = result.adoption;
    const usersName = String(written.usersFile ?? "users.yaml");
    const usersText = renderUsersYaml(a, stack, at);
    const newStack = editStackFile(stackText, a.config);
    // What adopt writes must pass the same checks as every run, or it is not written.
    const users = loadUsersText(usersText, usersName, at.slice(0, 10));
    const config = parseStackConfig(decoded(stackValuesFromText(newStack)), stackFile);
    const problems = [...users.problems, ...config.problems];
    if (problems.length)
      throw new CliError(
        `adopt: the files written from the account would not validate; nothing was written`,
        EXIT.failure,
        problems.map(formatProblem),
      );
    const files = {
      users: usersName,
      stack: basename(stackFile),
      record: basename(recordPath(projectDir, stack)),
    };
    formatAdoption(a, files, !!values["dry-run"]).forEach((l) => env.output.out(l));
    if (values["dry-run"]) return EXIT.ok;
    writeFileSync(resolve(projectDir, usersName), usersText);
    writeFileSync(stackFile, newStack);
    writeFileSync(recordPath(projectDir, stack), JSON.stringify(a.record, null, 2) + "\n");
    return EXIT.ok;
  },
});

export const main = mainOf(ADOPT);

if (require.main === module) runEntry(ADOPT);
