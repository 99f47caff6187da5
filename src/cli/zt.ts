import { resolve } from "node:path";
import { processEnv, runEntry } from "../command";
import { LOCAL_STACK } from "../engine/settings";
import { runZt } from "../zt";

// npm run zt -- <command>: thin entry; the commands live in src/zt/ (see `npm run zt -- --help`).

/** The stack named on the command line (the local stack's token default depends on it). */
function stackOf(argv: readonly string[]): string {
  const flag = argv.indexOf("--stack");
  if (flag >= 0) return argv[flag + 1] ?? LOCAL_STACK;
  return argv.find((a) => a.startsWith("--stack="))?.slice("--stack=".length) ?? LOCAL_STACK;
}

export async function main(argv: string[], entry = processEnv()): Promise<number> {
  // On the local stack the emulator's token is the default, as for `npm start` and `npm run preview`;
  // the local-stack module (which loads the emulator) is only loaded for that stack.
  const local =
    stackOf(argv) === LOCAL_STACK
      ? (await import("../engine/local")).localStackEnv(LOCAL_STACK, entry.env)
      : {};
  return runZt(argv, {
    ...entry,
    projectDir: resolve(__dirname, "..", ".."),
    env: { ...entry.env, ...local },
  });
}

if (require.main === module) runEntry(main);
