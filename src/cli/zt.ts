import { resolve } from "node:path";
import { runZt } from "../zt";

// npm run zt -- <command>: thin entry; the commands live in src/zt/ (see `npm run zt -- --help`).
if (require.main === module) {
  runZt(process.argv.slice(2), {
    projectDir: resolve(__dirname, "..", ".."),
    env: process.env,
    output: { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
  }).then((code) => {
    process.exitCode = code;
  });
}
