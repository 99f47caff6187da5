// IPv4 CIDR arithmetic for the split tunnel: Cloudflare's default exclude list covers RFC 1918, so the
// private network has to be cut out of it, leaving the rest of each range excluded as before.

export interface Cidr {
  base: number; // unsigned 32-bit network address
  prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith("0")))) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);

/** Parses "172.18.0.0/16"; refuses host bits set ("172.18.0.1/16"), which usually hides a typo. */
export function parseCidr(text: string): Cidr | { error: string } {
  const [ip, len, extra] = text.split("/");
  const base = parseIpv4(ip ?? "");
  const prefix = /^\d{1,2}$/.test(len ?? "") ? Number(len) : NaN;
  if (extra !== undefined || base === undefined || !(prefix >= 0 && prefix <= 32)) {
    return { error: `"${text}" is not an IPv4 CIDR such as 172.18.0.0/16` };
  }
  if ((base & mask(prefix)) >>> 0 !== base) {
    return {
      error: `"${text}" has host bits set; the network is ${formatIpv4((base & mask(prefix)) >>> 0)}/${prefix}`,
    };
  }
  return { base, prefix };
}

export const formatCidr = (c: Cidr) => `${formatIpv4(c.base)}/${c.prefix}`;

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && (inner.base & mask(outer.prefix)) >>> 0 === outer.base;
}

export function containsIp(outer: Cidr, ip: number): boolean {
  return (ip & mask(outer.prefix)) >>> 0 === outer.base;
}

/** outer minus inner, as the smallest set of CIDRs (inner must lie inside outer). */
export function subtract(outer: Cidr, inner: Cidr): Cidr[] {
  if (!contains(outer, inner)) return contains(inner, outer) ? [] : [outer];
  const out: Cidr[] = [];
  let current = outer;
  while (current.prefix < inner.prefix) {
    const prefix = current.prefix + 1;
    const low = { base: current.base, prefix };
    const high = { base: (current.base | (1 << (32 - prefix))) >>> 0, prefix };
    if (contains(low, inner)) {
      out.push(high);
      current = low;
    } else {
      out.push(low);
      current = high;
    }
  }
  return out.sort((a, b) => a.base - b.base);
}
