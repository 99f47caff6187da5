import type { Command } from "../command";

// The command table: every npm script and zt command, each a plain `(args, env) => Promise<exit code>`
// function with its help and flags (src/command). Loaded lazily, so listing the table (or running one
// command) never loads the engine or the emulator for the others. The npm scripts keep their own entry
// files (src/cli/<name>.ts), which run the same Command objects.

export type Loader = () => Promise<Command>;

export const COMMANDS: Record<string, Loader> = {
  validate: async () => (await import("./validate")).VALIDATE,
  adopt: async () => (await import("./adopt")).ADOPT,
  schema: async () => (await import("./schema")).SCHEMA,
  plan: async () => (await import("./plan")).PLAN,
  apply: async () => (await import("./apply")).APPLY,
  drift: async () => (await import("./drift")).DRIFT,
  preview: async () => (await import("./engine")).ENGINE_COMMANDS.preview,
  up: async () => (await import("./engine")).ENGINE_COMMANDS.up,
  refresh: async () => (await import("./engine")).ENGINE_COMMANDS.refresh,
  destroy: async () => (await import("./engine")).ENGINE_COMMANDS.destroy,
  compose: async () => (await import("./compose")).COMPOSE,
  start: async () => (await import("./start")).START,
  "zt doctor": async () => (await import("../zt")).ZT_COMMANDS.doctor,
  "zt audit": async () => (await import("../zt")).ZT_COMMANDS.audit,
  "zt review": async () => (await import("../zt")).ZT_COMMANDS.review,
  "zt revoke": async () => (await import("../zt")).ZT_COMMANDS.revoke,
  "zt device lost": async () => (await import("../zt")).ZT_COMMANDS.device,
  "zt expire": async () => (await import("../zt")).ZT_COMMANDS.expire,
  "zt token rotate": async () => (await import("../zt")).ZT_COMMANDS.token,
  "zt test": async () => (await import("../zt")).ZT_COMMANDS.test,
  "zt tunnel rotate-token": async () => (await import("../zt")).ZT_COMMANDS.tunnel,
};
