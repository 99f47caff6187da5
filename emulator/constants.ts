// Fixed identities of the emulated Cloudflare account. They never change, so a
// local stack's config can point at them once and keep working across restarts.

/** The one account the emulator knows (32 hex, like a real Cloudflare account tag). */
export const EMULATOR_ACCOUNT_ID = "5e1f0c2a9b7d4e3f8a6c1b2d3e4f5a6b";
export const EMULATOR_ACCOUNT_NAME = "zt-gitops emulator";

/** The one zone the emulator knows. */
export const EMULATOR_ZONE_ID = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f";
export const EMULATOR_ZONE_NAME = "example.org";

/** Cloudflare creates a default virtual network per account; routes land in it
 * when no virtual_network_id is sent (the provider treats that field as
 * computed_optional, so GET must return it). */
export const EMULATOR_DEFAULT_VNET_ID = "3b2a1f0e-9d8c-4b7a-8f6e-5d4c3b2a1f0e";

/** A token that passes the provider's ^[0-9A-Za-z_-]{40,80}$ check; any other
 * well-formed token is accepted too unless an allow-list is configured. */
export const EMULATOR_DEFAULT_TOKEN = "zt-gitops-emulator-token-0000000000000000";

/**
 * Local Domain Fallback entries a fresh Cloudflare account starts with.
 * The 14 suffixes are the list Cloudflare documents as "Default Local Domain
 * Fallback entries recommended by Cloudflare" (developers.cloudflare.com,
 * learning-paths/replace-vpn/configure-device-agent/private-dns), in that order,
 * and nothing else: `warp-cli settings` on a fresh account lists exactly these
 * 14 (no RFC 1918 reverse-lookup zones; see PROVIDER-NOTES.md, "Local Domain
 * Fallback on a fresh account"). Entries carry only `suffix`: the provider reads
 * `description`/`dns_server` as Optional-only, so inventing values here would
 * show up as drift the moment a stack adopts the list.
 */
export const DEFAULT_FALLBACK_DOMAINS: ReadonlyArray<{ suffix: string }> = [
  "corp",
  "domain",
  "home",
  "home.arpa",
  "host",
  "internal",
  "intranet",
  "invalid",
  "lan",
  "local",
  "localdomain",
  "localhost",
  "private",
  "test",
].map((suffix) => ({ suffix }));

/** Split-tunnel exclude list of the default device profile on a new account
 * (Cloudflare's documented defaults: RFC 1918, link-local, multicast, ...). */
export const DEFAULT_SPLIT_TUNNEL_EXCLUDE: ReadonlyArray<{ address: string; description?: string }> = [
  { address: "10.0.0.0/8" },
  { address: "100.64.0.0/10" },
  { address: "169.254.0.0/16", description: "DHCP Unspecified" },
  { address: "172.16.0.0/12" },
  { address: "192.0.0.0/24" },
  { address: "192.168.0.0/16" },
  { address: "224.0.0.0/24" },
  { address: "240.0.0.0/4" },
  { address: "255.255.255.255/32", description: "DHCP Broadcast" },
  { address: "fe80::/10", description: "IPv6 Link Local" },
  { address: "fd00::/8" },
  { address: "ff01::/16" },
  { address: "ff02::/16" },
  { address: "ff03::/16" },
  { address: "ff04::/16" },
  { address: "ff05::/16" },
];
