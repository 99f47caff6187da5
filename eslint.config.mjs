// Lint for the whole tree: ESLint's and typescript-eslint's recommended rules, plus the import
// boundaries the design depends on (see README, "Layout"):
//   - emulator/ imports nothing from the product (it stands in for Cloudflare, and must not agree with
//     the product by sharing its code);
//   - the product loads the emulator only through the local-stack module (src/engine/local.ts), and that
//     module only lazily (`await import(...)`) on the local path, except in `npm start` (src/cli/start.ts),
//     which is the local stack's own entry point;
//   - bench/ imports no test files (shared helpers live in bench/harness/);
//   - no import cycles.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

const PRODUCT = ["src/**/*.ts", "components/**/*.ts", "index.ts"];
const NODE_GLOBALS = {
  require: "readonly",
  module: "writable",
  process: "readonly",
  console: "readonly",
  __dirname: "readonly",
  URL: "readonly",
};

export default defineConfig(
  { ignores: ["node_modules/", ".zt/", ".pulumi-local/", "tests/unit/golden/", "tests/fixtures/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: NODE_GLOBALS },
    plugins: { "import-x": importX },
    settings: {
      // Without these, import-x reads no .ts dependency and no-cycle silently sees no edges.
      "import-x/extensions": [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".mts", ".cts"] },
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", ".node"] }),
      ],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // `_name` marks a parameter kept for its position (a callback's signature).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS on purpose (it runs before `npm ci` has installed tsx): require is its import.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["emulator/**/*.ts"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./emulator",
              from: ["./src", "./components", "./index.ts", "./toolchain", "./bench", "./tests"],
              message:
                "the emulator imports nothing from the product (it must not share the product's assumptions)",
            },
          ],
        },
      ],
    },
  },
  {
    files: PRODUCT,
    ignores: ["src/engine/local.ts"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: ["./src", "./components", "./index.ts"],
              from: "./emulator",
              message: "the product reaches the emulator only through src/engine/local.ts (the local stack)",
            },
          ],
        },
      ],
    },
  },
  {
    files: PRODUCT,
    ignores: ["src/engine/local.ts", "src/cli/start.ts"],
    rules: {
      // Static imports only: `await import("../engine/local")` on the local path is the allowed form.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/engine/local"],
              message:
                'load the local-stack module lazily, only on the local path: `await import("../engine/local")` (a prod run must not load the emulator)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ["bench/**/*.ts"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./bench",
              from: "./tests",
              message: "bench/ imports no test files: move what both need to bench/harness/",
            },
          ],
        },
      ],
    },
  },
);
