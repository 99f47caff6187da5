// Help text of the flags the zt commands share; the flags themselves are defined once, in src/command.

export const STACK_HELP = `  --stack NAME        stack whose Pulumi.<NAME>.yaml names users.yaml (default local)`;

export const COMMON_HELP = `Common flags:
  --stack NAME        stack whose Pulumi.<NAME>.yaml gives the account and expectations (default local)
  --token-env NAME    environment variable holding the API token (default CLOUDFLARE_API_TOKEN)
Environment: CLOUDFLARE_API_TOKEN (never printed); CLOUDFLARE_BASE_URL overrides cloudflare:baseUrl.`;
