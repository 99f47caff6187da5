import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../../toolchain/layout";
import { loadStackFile } from "../config/stack-file";
import { connectorSpec, renderCompose } from "../model/connector";
import { formatProblems } from "../users/problems";

// npm run compose -- [--stack prod] [--out FILE]: the connector as a docker-compose file, for servers
// where an admin runs the containers by hand. Same spec as the Pulumi Docker component; no token inside.
const HELP = `Usage: npm run compose -- [--stack NAME] [--out FILE] [--project-dir DIR]

Writes the cloudflared + dnsmasq containers of the stack (default prod) as a compose file
(default docker-compose.cloudflare.yml) from DIR/Pulumi.<NAME>.yaml (default: this checkout). Start it with:
  TUNNEL_TOKEN=$(pulumi stack output --show-secrets tunnelToken) docker compose -f docker-compose.cloudflare.yml up -d`;

export function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", default: "prod" },
      out: { type: "string", default: "docker-compose.cloudflare.yml" },
      "project-dir": { type: "string", default: REPO_ROOT },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const { config, problems } = loadStackFile(values["project-dir"], values.stack);
  if (!config) {
    console.error(formatProblems(problems));
    return 1;
  }
  writeFileSync(values.out, renderCompose(connectorSpec(config)));
  console.log(`wrote ${values.out} for stack ${values.stack}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
