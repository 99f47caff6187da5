import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CommandError, type Stack } from "@pulumi/pulumi/automation";
import { command, CommandEnv, EXIT, mainOf } from "../command";
import { buildToolchain } from "../../toolchain/build";
import { ToolchainChoiceError } from "../../toolchain/choice";
import { REPO_ROOT } from "../../toolchain/layout";
import { ToolchainMissingError } from "../../toolchain/paths";
import { BuildError } from "../../toolchain/run";
import { EngineSetupError, LOCAL_STACK, openStack } from "../engine";
// npm start is the local stack's entry point: the one product module that may load the emulator eagerly.
import { ensureLocalEmulator, LOCAL_EMULATOR_PORT, localStackEnv } from "../engine/local";
import { InputError } from "../diagnostics/problems";
import { loadStackFile } from "../config/stack-file";
import { program } from "../program";
import { guardedUp, isGuardRefusal } from "../converge";

// npm start: the product on its embedded default. Emulator up, local stack, `up` with progress, then
// what now exists and how to try a change. The emulator keeps serving until Ctrl-C (state is kept).
const HELP = `Usage: npm start [-- --exit] [-- --project DIR]

Starts the local Cloudflare API emulator (port ${LOCAL_EMULATOR_PORT}, state in .zt/), runs \`up\` on the
stack "${LOCAL_STACK}" with users.yaml, prints what exists, and keeps the emulator running for
\`npm run preview\`, \`npm run zt -- doctor\` and friends until Ctrl-C.
  --exit   stop after \`up\` instead of serving (CI does this).
  --project DIR   another project directory with its own users.yaml and Pulumi.local.yaml, e.g.
           examples/portal (several audiences); its state is kept in DIR/.zt and DIR/.pulumi-local.
Exit 0 when up succeeded (and, when serving, after Ctrl-C), 1 when it failed, 64 for a bad flag.`;

export const START = command({
  name: "start",
  script: "npm start --",
  help: HELP,
  options: { help: { type: "boolean", short: "h" }, exit: { type: "boolean" }, project: { type: "string" } },
  run: ({ values }, env) =>
    start(Boolean(values.exit), env, values.project ? resolve(REPO_ROOT, String(values.project)) : REPO_ROOT),
});

export const main = mainOf(START);

async function start(exit: boolean, env: CommandEnv, projectDir: string): Promise<number> {
  const o = env.output;
  if (!existsSync(join(projectDir, "Pulumi.yaml"))) {
    o.err(`${projectDir} has no Pulumi.yaml: --project takes a project directory such as examples/portal`);
    return EXIT.usage;
  }
  // The engine first: a warm cache says one line; a cold one builds (with progress) before anything starts.
  // With the connector off (the default local stack), the docker plugin is not needed: a first run does
  // not wait for its build (npm test and npm run toolchain build it).
  if (
    env.env.ZT_TOOLCHAIN_SKIP === undefined &&
    !loadStackFile(projectDir, LOCAL_STACK).config?.connector.enabled
  )
    process.env.ZT_TOOLCHAIN_SKIP = "docker";
  try {
    await buildToolchain({ quiet: true });
  } catch (err) {
    if (!(err instanceof BuildError || err instanceof ToolchainChoiceError)) throw err;
    o.err(err.message);
    return EXIT.failure;
  }
  const emulator = await ensureLocalEmulator(projectDir);
  o.out(
    emulator
      ? `Local Cloudflare API emulator on ${emulator.apiBase} (state: .zt/emulator-state.json)`
      : `Using the emulator already listening on port ${LOCAL_EMULATOR_PORT}.`,
  );
  const stop = async () => {
    if (emulator) await emulator.close();
  };
  // The inline program runs in this process, so it reads the token from this environment.
  const localEnv = localStackEnv(LOCAL_STACK);
  Object.assign(process.env, localEnv);
  Object.values(localEnv).forEach(o.secret);
  try {
    const engine = await openStack({
      projectDir,
      stackName: LOCAL_STACK,
      program: () => program({ projectDir }),
      log: (line) => o.out(line),
    });
    await emulatorIdpSecrets(engine.stack, projectDir);
    const guard = { engine, projectDir, stackName: LOCAL_STACK, log: (l: string) => o.out(l) };
    const result = await guardedUp(guard, () =>
      engine.stack.up({
        onOutput: (t) => o.progress(t, "out"),
        onError: (t) => o.progress(t, "err"),
        // The engine's own "Outputs:" dump would print the whole docker-compose object; the summary
        // below says what matters (the compose file: `npm run compose`).
        suppressOutputs: true,
      }),
    );
    const out = Object.fromEntries(
      Object.entries(result.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
    );
    o.out(`
Now running on the local emulator:
  application:  ${(out.applicationUrls as string[]).join(", ")}
  tunnel:       ${out.tunnelId} (token kept as a secret: pulumi stack output --show-secrets tunnelToken)
  users:        ${out.users} active, ${out.devices} devices (${Object.entries(
    out.devicesPerOs as Record<string, number>,
  )
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")})
  sessions:     app ${(out.sessions as { app: string }).app}, WARP ${(out.sessions as { warp: string }).warp}${
    result.outputs.serviceTokens
      ? "\n  service tokens: kept as secrets (pulumi stack output --show-secrets serviceTokens)"
      : ""
  }

Try a change: edit users.yaml (add a user or a device), then \`npm start\` again, or \`npm run preview\` to see the plan.
Check it like an admin: \`npm run zt -- doctor\`, \`npm run plan -- --base HEAD\`.`);
  } catch (err) {
    await stop();
    if (err instanceof CommandError) {
      o.err("pulumi up failed (see the output above).");
      return EXIT.failure;
    }
    if (
      isGuardRefusal(err) ||
      err instanceof InputError ||
      err instanceof ToolchainMissingError ||
      err instanceof EngineSetupError
    ) {
      o.err(err.message);
      return EXIT.failure;
    }
    throw err;
  }
  if (!emulator || exit || env.env.CI) {
    await stop();
    return EXIT.ok;
  }
  o.out(
    `\nThe emulator keeps serving on port ${LOCAL_EMULATOR_PORT}; Ctrl-C stops it (state is kept for the next run).`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await stop();
  o.out("Emulator stopped; state saved in .zt/emulator-state.json.");
  return EXIT.ok;
}

/**
 * The local stack talks to the emulator only: an identity provider listed without a client secret gets
 * a stand-in one, stored encrypted like the API token, so the example runs without a real OAuth client.
 * A secret already set is kept.
 */
async function emulatorIdpSecrets(stack: Stack, projectDir: string): Promise<void> {
  const providers = loadStackFile(projectDir, LOCAL_STACK).config?.identityProviders ?? [];
  const oauth = providers.filter((p) => p.type !== "onetimepin");
  if (oauth.length === 0) return;
  const key = "zt:identityProviderSecrets";
  const set = (await stack.getAllConfig())[key]?.value;
  let current: Record<string, string> = {};
  try {
    current = set ? (JSON.parse(set) as Record<string, string>) : {};
  } catch {
    return; // not ours to repair: the program reports it
  }
  const missing = oauth.filter((p) => !current[p.name]);
  if (missing.length === 0) return;
  for (const p of missing) current[p.name] = `emulator-only-client-secret-${p.name}`;
  await stack.setConfig(key, { value: JSON.stringify(current), secret: true });
}

// npm start exits when done (the emulator's server would otherwise keep the process alive).
if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
