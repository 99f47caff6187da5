// Runs before anything else in `npm start`: a fresh clone has no node_modules, so install them from
// the lockfile (plain Node, no dependencies of its own). npm prints nothing for a while when not on a
// terminal, so a line every 10 s says it is still working (a first run never stays silent for long).
const { existsSync, statSync } = require("node:fs");
const { spawn } = require("node:child_process");
const { join } = require("node:path");
const { setInterval, clearInterval } = require("node:timers");

const root = join(__dirname, "..");
const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log("Installing dependencies from package-lock.json (npm ci: about 20-40 s)...");
  const started = Date.now();
  const child = spawn("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  const beat = setInterval(
    () => console.log(`  ... npm ci still running (${Math.round((Date.now() - started) / 1000)} s)`),
    10_000,
  );
  child.on("exit", (code, signal) => {
    clearInterval(beat);
    if (code !== 0) {
      console.error(`npm ci failed (${signal ?? `exit ${code}`}): see the lines above`);
      process.exit(code || 1);
    }
  });
}
