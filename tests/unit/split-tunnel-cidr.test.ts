import { describe, expect, test } from "vitest";
import { formatCidr, parseCidr, subtract } from "../../src/config/network";
import { splitTunnelExcludes } from "../../src/model/network";

// WARP excludes RFC 1918 by default; the private network must be carved out, and only it.

const cidr = (t: string) => {
  const c = parseCidr(t);
  if ("error" in c) throw new Error(c.error);
  return c;
};

describe("CIDR arithmetic", () => {
  test("parse refuses malformed input and host bits", () => {
    expect(parseCidr("172.18.0.0/33")).toEqual({
      error: '"172.18.0.0/33" is not an IPv4 CIDR such as 172.18.0.0/16',
    });
    expect(parseCidr("172.18.0.1/16")).toEqual({
      error: '"172.18.0.1/16" has host bits set; the network is 172.18.0.0/16',
    });
    expect(parseCidr("300.1.1.1/8")).toHaveProperty("error");
    expect(parseCidr("10.0.0.0")).toHaveProperty("error");
  });

  test("172.16.0.0/12 minus 172.18.0.0/16 leaves four blocks that cover the rest exactly", () => {
    expect(subtract(cidr("172.16.0.0/12"), cidr("172.18.0.0/16")).map(formatCidr)).toEqual([
      "172.16.0.0/15",
      "172.19.0.0/16",
      "172.20.0.0/14",
      "172.24.0.0/13",
    ]);
  });

  test("a disjoint network leaves the range whole; an enclosing one removes it", () => {
    expect(subtract(cidr("10.0.0.0/8"), cidr("172.18.0.0/16")).map(formatCidr)).toEqual(["10.0.0.0/8"]);
    expect(subtract(cidr("192.168.0.0/16"), cidr("192.0.0.0/8"))).toEqual([]);
  });
});

test("the exclude list lets only the private network through and keeps every other default", () => {
  const addresses = splitTunnelExcludes("10.20.0.0/16").map((e) => e.address);
  expect(addresses).not.toContain("10.0.0.0/8");
  expect(addresses.filter((a) => a.startsWith("10."))).toHaveLength(8);
  expect(addresses).toEqual(expect.arrayContaining(["172.16.0.0/12", "192.168.0.0/16", "fe80::/10"]));
});
