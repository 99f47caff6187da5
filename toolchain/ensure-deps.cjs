// Runs before anything else in `npm start`: a fresh clone has no node_modules, so install them from
// the lockfile (plain Node, no dependencies of its own).
const { existsSync, statSync } = require("node:fs");
const { execSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log(
    "Installing dependencies from package-lock.json (npm ci: about 40 s, quiet when not on a terminal)...",
  );
  execSync("npm ci --no-audit --no-fund", { cwd: root, stdio: "inherit" });
}
