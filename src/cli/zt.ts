import { resolve } from "node:path";
import { localStackEnv } from "../engine/local";
import { LOCAL_STACK } from "../engine/settings";
import { runZt } from "../zt";

// npm run zt -- <command>: thin entry; the commands live in src/zt/ (see `npm run zt -- --help`).
if (require.main === module) {
  const argv = process.argv.slice(2);
  const flag = argv.indexOf("--stack");
  const stack =
    flag >= 0 ? argv[flag + 1] : (argv.find((a) => a.startsWith("--stack="))?.slice(8) ?? LOCAL_STACK);
  runZt(argv, {
    projectDir: resolve(__dirname, "..", ".."),
    // On the local stack the emulator's token is the default, as for `npm start` and `npm run preview`.
    env: { ...process.env, ...localStackEnv(stack ?? LOCAL_STACK) },
    output: { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
  }).then((code) => {
    process.exitCode = code;
  });
}
