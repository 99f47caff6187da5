import { writeFileSync } from "node:fs";
import { command, EXIT, flags, mainOf, projectDirOf, runEntry, stackOf } from "../command";
import { REPO_ROOT } from "../../toolchain/layout";
import { loadStackFile } from "../config/stack-file";
import { connectorSpec, renderCompose } from "../model/connector";
import { formatProblems } from "../diagnostics/problems";

// npm run compose -- [--stack prod] [--out FILE]: the connector as a docker-compose file, for servers
// where an admin runs the containers by hand. Same spec as the Pulumi Docker component; no token inside.
const HELP = `Usage: npm run compose -- [--stack NAME] [--out FILE] [--project-dir DIR]

Writes the cloudflared + dnsmasq containers of the stack (default prod) as a compose file
(default docker-compose.cloudflare.yml) from DIR/Pulumi.<NAME>.yaml (--project-dir, default: this checkout). Start it with:
  TUNNEL_TOKEN=$(pulumi stack output --show-secrets tunnelToken) docker compose -f docker-compose.cloudflare.yml up -d
Exit 0 when written, 1 when the stack file is invalid, 64 for a bad flag.`;

export const COMPOSE = command({
  name: "compose",
  script: "npm run compose --",
  help: HELP,
  options: { ...flags("stack", "project-dir"), out: { type: "string" } },
  async run({ values }, env) {
    const dir = projectDirOf(values, REPO_ROOT);
    const stack = stackOf(values, dir, "prod");
    const out = values.out ?? "docker-compose.cloudflare.yml";
    const { config, problems } = loadStackFile(dir, stack);
    if (!config) {
      env.output.err(formatProblems(problems));
      return EXIT.failure;
    }
    writeFileSync(out, renderCompose(connectorSpec(config)));
    env.output.out(`wrote ${out} for stack ${stack}`);
    return EXIT.ok;
  },
});

export const main = mainOf(COMPOSE);

if (require.main === module) runEntry(COMPOSE);
