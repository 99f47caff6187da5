import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT, ZtError } from "./io";

// Flag parsing for every command: node's parseArgs in strict mode, with its errors turned into one
// usage line that points at the command's --help.

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every command that talks to Cloudflare accepts. */
export const COMMON_OPTIONS = {
  stack: { type: "string" },
  "token-env": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export const STACK_HELP = `  --stack NAME        stack whose Pulumi.<NAME>.yaml names users.yaml (default local)`;

export const COMMON_HELP = `Common flags:
  --stack NAME        stack whose Pulumi.<NAME>.yaml gives the account and expectations (default local)
  --token-env NAME    environment variable holding the API token (default CLOUDFLARE_API_TOKEN)
Environment: CLOUDFLARE_API_TOKEN (never printed); CLOUDFLARE_BASE_URL overrides cloudflare:baseUrl.`;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string };
  positionals: string[];
}

export function parseCommandArgs<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  maxPositionals = 0,
): Parsed<O> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // "Unknown option '--emial'. To specify a positional argument starting with a '-', ..." -> first sentence.
    const message = (error as Error).message.split(/\.\s/)[0].replace(/\.$/, "");
    throw new ZtError(`zt ${command}: ${message}; see npm run zt -- ${command} --help`, EXIT.usage);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(" ");
    throw new ZtError(
      `zt ${command}: unexpected argument ${extra}; see npm run zt -- ${command} --help`,
      EXIT.usage,
    );
  }
  return parsed as Parsed<O>;
}

/** "14" -> 14, with a usage error naming the flag otherwise. */
export function positiveInt(
  command: string,
  flag: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 100_000) {
    throw new ZtError(
      `zt ${command}: --${flag} must be a whole number of days, e.g. --${flag} 14 (got "${value}")`,
      EXIT.usage,
    );
  }
  return Number(value);
}
