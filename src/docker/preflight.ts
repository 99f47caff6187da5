// Before the program declares anything, with zt:connector.enabled: the Docker engine named by
// zt:connector.dockerHost must answer, and no other network on it may hold a subnet overlapping
// zt:privateNetwork.cidr. Both only read (GET /networks); a problem ends the run with the stack
// file's line and the fix, before any resource (Cloudflare's or Docker's) is created or changed.
// ssh:// hosts are left to the Docker provider (reaching them needs the docker CLI's ssh helper).
import { formatCidr, parseCidr } from "../config/network";
import type { StackConfig } from "../config/schema";
import type { Problem } from "../users/problems";
import { dockerNetworks } from "./engine-api";

type Where = (path: string[]) => { line: number; col: number };

const overlaps = (a: string, b: string): boolean => {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if ("error" in x || "error" in y) return false;
  const prefix = Math.min(x.prefix, y.prefix);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (x.base & mask) >>> 0 === (y.base & mask) >>> 0;
};

export async function dockerPreflight(
  config: StackConfig,
  stackFile: string,
  where: Where,
): Promise<Problem[]> {
  const { dockerHost, network } = config.connector;
  if (!dockerHost.startsWith("unix://") && !dockerHost.startsWith("tcp://")) return [];
  const nets = await dockerNetworks(dockerHost, 10_000);
  if (!nets.reachable)
    return [
      {
        file: stackFile,
        ...where(["zt:connector", "dockerHost"]),
        message:
          `zt:connector.dockerHost: no Docker engine answers at ${dockerHost} (${nets.reason}); nothing was changed. ` +
          `Start Docker there (here: toolchain/dockerd.sh start), point dockerHost at a running engine, ` +
          `or set zt:connector.enabled: false`,
      },
    ];
  const cidr = config.privateNetwork.cidr;
  const clashes = nets.networks.filter((n) => n.name !== network && n.subnets.some((s) => overlaps(s, cidr)));
  return clashes.map((n) => ({
    file: stackFile,
    ...where(["zt:privateNetwork", "cidr"]),
    message:
      `zt:privateNetwork.cidr ${cidr} overlaps Docker network "${n.name}" (${n.subnets.join(", ")}) on ${dockerHost}; ` +
      `nothing was changed. Choose a free range (e.g. ${suggest(cidr)}) or remove that network`,
  }));
}

/** The next /16 after cidr, as a hint. */
function suggest(cidr: string): string {
  const c = parseCidr(cidr);
  if ("error" in c) return "10.250.0.0/16";
  return formatCidr({ base: ((c.base + 0x10000) & 0xffff0000) >>> 0, prefix: 16 });
}
