import { parseArgs } from "node:util";
import { CommandError } from "@pulumi/pulumi/automation";
import { buildToolchain } from "../../toolchain/build";
import { ToolchainChoiceError } from "../../toolchain/choice";
import { REPO_ROOT } from "../../toolchain/layout";
import { ToolchainMissingError } from "../../toolchain/paths";
import { BuildError } from "../../toolchain/run";
import { EngineSetupError, LOCAL_STACK, openStack } from "../engine";
import { ensureLocalEmulator, LOCAL_EMULATOR_PORT, localStackEnv } from "../engine/local";
import { InputError } from "../users/problems";
import { program } from "../program";

// npm start: the product on its embedded default. Emulator up, local stack, `up` with progress, then
// what now exists and how to try a change. The emulator keeps serving until Ctrl-C (state is kept).
const HELP = `Usage: npm start [-- --exit]

Starts the local Cloudflare API emulator (port ${LOCAL_EMULATOR_PORT}, state in .zt/), runs \`up\` on the
stack "${LOCAL_STACK}" with users.yaml, prints what exists, and keeps the emulator running for
\`npm run preview\`, \`npm run zt -- doctor\` and friends until Ctrl-C.
  --exit   stop after \`up\` instead of serving (CI does this).`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      exit: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const projectDir = REPO_ROOT;
  // The engine first: a warm cache says one line; a cold one builds (with progress) before anything starts.
  try {
    await buildToolchain({ quiet: true });
  } catch (err) {
    if (!(err instanceof BuildError || err instanceof ToolchainChoiceError)) throw err;
    console.error(err.message);
    return 1;
  }
  const emulator = await ensureLocalEmulator(projectDir);
  console.log(
    emulator
      ? `Local Cloudflare API emulator on ${emulator.apiBase} (state: .zt/emulator-state.json)`
      : `Using the emulator already listening on port ${LOCAL_EMULATOR_PORT}.`,
  );
  const stop = async () => {
    if (emulator) await emulator.close();
  };
  // The inline program runs in this process, so it reads the token from this environment.
  Object.assign(process.env, localStackEnv(LOCAL_STACK));
  try {
    const { stack } = await openStack({
      projectDir,
      stackName: LOCAL_STACK,
      program: () => program({ projectDir }),
    });
    const result = await stack.up({
      onOutput: (t) => process.stdout.write(t),
      onError: (t) => process.stderr.write(t),
      // The engine's own "Outputs:" dump would print the whole docker-compose object; the summary
      // below says what matters (the compose file: `npm run compose`).
      suppressOutputs: true,
    });
    const out = Object.fromEntries(
      Object.entries(result.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
    );
    console.log(`
Now running on the local emulator:
  application:  ${(out.applicationUrls as string[]).join(", ")}
  tunnel:       ${out.tunnelId} (token kept as a secret: pulumi stack output --show-secrets tunnelToken)
  users:        ${out.users} active, ${out.devices} devices (${Object.entries(
    out.devicesPerOs as Record<string, number>,
  )
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")})
  sessions:     app ${(out.sessions as { app: string }).app}, WARP ${(out.sessions as { warp: string }).warp}

Try a change: edit users.yaml (add a user or a device), then \`npm start\` again, or \`npm run preview\` to see the plan.
Check it like an admin: \`npm run zt -- doctor\`, \`npm run plan -- --base HEAD\`.`);
  } catch (err) {
    await stop();
    if (err instanceof CommandError) {
      console.error("pulumi up failed (see the output above).");
      return 1;
    }
    if (
      err instanceof InputError ||
      err instanceof ToolchainMissingError ||
      err instanceof EngineSetupError
    ) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  if (!emulator || values.exit || process.env.CI) {
    await stop();
    return 0;
  }
  console.log(
    `\nThe emulator keeps serving on port ${LOCAL_EMULATOR_PORT}; Ctrl-C stops it (state is kept for the next run).`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await stop();
  console.log("Emulator stopped; state saved in .zt/emulator-state.json.");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
