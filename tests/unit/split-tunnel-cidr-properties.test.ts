import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_SPLIT_TUNNEL_EXCLUDES } from "../../src/config/defaults";
import {
  Cidr,
  contains,
  containsIp,
  formatCidr,
  formatIpv4,
  parseCidr,
  parseIpv4,
  subtract,
} from "../../src/config/network";
import { splitTunnelExcludes } from "../../src/model/network";

// Properties of the split-tunnel arithmetic over generated addresses, not a handful of examples: a bug
// here silently sends private traffic around the tunnel (or public traffic into it).

const size = (c: Cidr) => 2 ** (32 - c.prefix);
const mask = (prefix: number) => (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);
const last = (c: Cidr) => c.base + size(c) - 1;
const overlaps = (a: Cidr, b: Cidr) => a.base <= last(b) && b.base <= last(a);
const cidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if ("error" in c) throw new Error(c.error);
  return c;
};

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
/** Any IPv4 network: a prefix and an address with its host bits cleared. */
const anyCidr = fc
  .record({ ip: uint32, prefix: fc.integer({ min: 0, max: 32 }) })
  .map(({ ip, prefix }) => ({ base: (ip & mask(prefix)) >>> 0, prefix }));
/** A network and one inside it (possibly itself). */
const nested = anyCidr.chain((outer) =>
  fc.record({ ip: uint32, prefix: fc.integer({ min: outer.prefix, max: 32 }) }).map(({ ip, prefix }) => {
    const inside = ((outer.base | (ip & ~mask(outer.prefix))) & mask(prefix)) >>> 0;
    return { outer, inner: { base: inside, prefix } };
  }),
);
const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(cidr);
/** A private network as an admin would write it: inside one RFC 1918 range, or anywhere else. */
const privateCidr = fc.oneof(
  fc
    .record({ range: fc.constantFrom(...RFC1918), ip: uint32, extra: fc.integer({ min: 0, max: 24 }) })
    .map(({ range, ip, extra }) => {
      const prefix = Math.min(32, range.prefix + extra);
      return { base: ((range.base | (ip & ~mask(range.prefix))) & mask(prefix)) >>> 0, prefix };
    }),
  anyCidr,
);
const DEFAULT_V4 = DEFAULT_SPLIT_TUNNEL_EXCLUDES.filter((e) => !e.includes(":")).map(cidr);

describe("parse and format", () => {
  test("every address round-trips through its dotted form", () => {
    fc.assert(fc.property(uint32, (n) => parseIpv4(formatIpv4(n)) === n));
  });

  test("every dotted quad without leading zeros round-trips", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (parts) => {
        const text = parts.join(".");
        const n = parseIpv4(text);
        return n !== undefined && formatIpv4(n) === text;
      }),
    );
  });

  test("every network round-trips through A.B.C.D/N", () => {
    fc.assert(
      fc.property(anyCidr, (c) => {
        expect(parseCidr(formatCidr(c))).toEqual(c);
      }),
    );
  });

  test("an address with host bits set is refused, naming the network it belongs to", () => {
    fc.assert(
      fc.property(uint32, fc.integer({ min: 0, max: 31 }), (ip, prefix) => {
        fc.pre((ip & ~mask(prefix)) >>> 0 !== 0);
        const network = `${formatIpv4((ip & mask(prefix)) >>> 0)}/${prefix}`;
        expect(parseCidr(`${formatIpv4(ip)}/${prefix}`)).toEqual({
          error: `"${formatIpv4(ip)}/${prefix}" has host bits set; the network is ${network}`,
        });
      }),
    );
  });
});

describe("subtract", () => {
  test("outer minus inner: disjoint blocks inside outer, none touching inner, exactly the rest", () => {
    fc.assert(
      fc.property(nested, ({ outer, inner }) => {
        const parts = subtract(outer, inner);
        expect(parts).toHaveLength(inner.prefix - outer.prefix);
        for (const p of parts) {
          expect(contains(outer, p)).toBe(true);
          expect(overlaps(p, inner)).toBe(false);
        }
        for (let i = 1; i < parts.length; i++) expect(last(parts[i - 1])).toBeLessThan(parts[i].base);
        expect(parts.reduce((n, p) => n + size(p), 0)).toBe(size(outer) - size(inner));
      }),
    );
  });

  test("a disjoint network leaves the range whole; an enclosing one removes it", () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        if (!overlaps(a, b)) expect(subtract(a, b)).toEqual([a]);
        if (contains(b, a)) expect(subtract(a, b)).toEqual([]);
      }),
    );
  });
});

describe("the split tunnel exclude list", () => {
  const v4 = (privateNet: Cidr) =>
    splitTunnelExcludes(formatCidr(privateNet))
      .map((e) => e.address)
      .filter((a) => !a.includes(":"))
      .map(cidr);

  test("no excluded range overlaps the private network; the pieces of one default never overlap", () => {
    fc.assert(
      fc.property(privateCidr, (net) => {
        const excluded = v4(net);
        for (const e of excluded) expect(overlaps(e, net), formatCidr(e)).toBe(false);
        // Cloudflare's own list overlaps (240.0.0.0/4 holds 255.255.255.255/32), so disjointness is per default.
        for (const d of DEFAULT_V4) {
          const pieces = excluded.filter((e) => contains(d, e)).sort((a, b) => a.base - b.base);
          for (let i = 1; i < pieces.length; i++) {
            if (contains(pieces[i - 1], pieces[i]) || contains(pieces[i], pieces[i - 1])) continue; // another default nested in d
            expect(last(pieces[i - 1])).toBeLessThan(pieces[i].base);
          }
        }
      }),
    );
  });

  test("excluded = Cloudflare's defaults minus the private network: same size, same members", () => {
    fc.assert(
      fc.property(privateCidr, fc.array(uint32, { minLength: 20, maxLength: 20 }), (net, probes) => {
        const excluded = v4(net);
        const removed = DEFAULT_V4.reduce((n, d) => {
          if (contains(net, d)) return n + size(d);
          if (contains(d, net)) return n + size(net);
          return n;
        }, 0);
        const total = (list: Cidr[]) => list.reduce((n, c) => n + size(c), 0);
        expect(total(excluded)).toBe(total(DEFAULT_V4) - removed);
        // Membership at random addresses, and at the edges of the private network and of each default.
        const edges = [net.base, last(net), net.base - 1, last(net) + 1].filter(
          (n) => n >= 0 && n <= 0xffffffff,
        );
        for (const ip of [...probes, ...edges, ...DEFAULT_V4.flatMap((d) => [d.base, last(d)])]) {
          const expected = DEFAULT_V4.some((d) => containsIp(d, ip)) && !containsIp(net, ip);
          expect(
            excluded.some((e) => containsIp(e, ip)),
            formatIpv4(ip),
          ).toBe(expected);
        }
      }),
    );
  });

  test("the IPv6 defaults are kept as they are, in order", () => {
    fc.assert(
      fc.property(privateCidr, (net) => {
        const v6 = splitTunnelExcludes(formatCidr(net)).filter((e) => e.address.includes(":"));
        expect(v6.map((e) => e.address)).toEqual(
          DEFAULT_SPLIT_TUNNEL_EXCLUDES.filter((e) => e.includes(":")),
        );
        expect(new Set(v6.map((e) => e.description))).toEqual(new Set(["Cloudflare default"]));
      }),
    );
  });
});
