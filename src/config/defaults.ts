// Cloudflare's defaults that our resources replace wholesale and must therefore carry themselves.

/** The WARP client's default Split Tunnel exclude list (Cloudflare One docs, "Split Tunnels", default entries). */
export const DEFAULT_SPLIT_TUNNEL_EXCLUDES: readonly string[] = [
  "10.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "224.0.0.0/24",
  "240.0.0.0/4",
  "255.255.255.255/32",
  "fe80::/10",
  "fd00::/8",
  "ff01::/16",
  "ff02::/16",
  "ff03::/16",
  "ff04::/16",
  "ff05::/16",
];

/**
 * Local Domain Fallback entries every account starts with (Cloudflare One docs, "Local Domain Fallback").
 * The resource replaces the whole list and its delete does not restore them, so we always send them.
 */
export const DEFAULT_FALLBACK_SUFFIXES: readonly string[] = [
  "intranet",
  "internal",
  "private",
  "localdomain",
  "domain",
  "lan",
  "home",
  "host",
  "corp",
  "local",
  "localhost",
  "home.arpa",
  "invalid",
  "test",
];
