// `npm run emulator -- --port N [--state FILE] [--host H] [--token T ...] [--realism R] [--quiet]`
// Runs the emulator alone until Ctrl-C. `--realism off` gives the pre-issue-14
// behaviour; `--realism lists=off,ratelimit=5000` overrides single switches.
import { parseArgs } from "node:util";
import { EMULATOR_DEFAULT_TOKEN, EMULATOR_ZONE_NAME, parseRealism, startEmulator } from "./index";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      state: { type: "string" },
      token: { type: "string", multiple: true },
      quiet: { type: "boolean", default: false },
      realism: { type: "string", default: "on" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "usage: npm run emulator -- [--port 8787] [--host 127.0.0.1] [--state FILE] [--token TOKEN ...]\n" +
        "                           [--realism on|off|NAME=on|off,...] [--quiet]\n" +
        "  realism switches (default all on, see emulator/FIDELITY.md): lists, device_settings,\n" +
        "  organization, ratelimit (=on|off|N per 5 minutes), retry_header, sdk_inputs",
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);

  const realism = parseRealism(values.realism);
  const emu = await startEmulator({
    realism,
    port,
    host: values.host,
    stateFile: values.state,
    tokens: values.token,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`Cloudflare API emulator listening on ${emu.url}`);
  console.log(`  API base:   ${emu.apiBase}`);
  console.log(`  account id: ${emu.accountId}`);
  console.log(`  zone id:    ${emu.zoneId} (${EMULATOR_ZONE_NAME})`);
  console.log(`  admin API:  ${emu.url}/__admin/health`);
  console.log(`  state file: ${values.state ?? "(none: in memory)"}`);
  const switches = Object.entries(realism)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  console.log(`  realism:    ${switches}`);
  if (!values.token?.length)
    console.log(`  auth:       any token matching ^[0-9A-Za-z_-]{40,80}$, e.g. ${EMULATOR_DEFAULT_TOKEN}`);

  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing emulator`);
    await emu.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e) => {
  console.error(`emulator: ${(e as Error).message}`);
  process.exit(1);
});
