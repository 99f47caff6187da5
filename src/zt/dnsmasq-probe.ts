// Doctor's "dnsmasq answering" half of the connector check: ask dnsmasq, from inside its own
// container (`docker exec dnsmasq nslookup NAME 127.0.0.1`), for every name of
// zt:privateNetwork.hosts, and compare with the configured address. Inside the container, so
// doctor needs no route to the private network and no port published on the server.
import { dockerExec } from "../docker/engine-api";

export interface DnsAnswer {
  name: string;
  expected: string;
  addresses: string[];
  /** Set when the answer is not exactly the expected address. */
  problem?: string;
}

export type DnsProbe = { ok: true; answers: DnsAnswer[] } | { ok: false; reason: string };

/** A (IPv4) addresses in busybox or bind nslookup output, after the server's own lines. */
export function nslookupAddresses(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => /^Name:/.test(l.trim()));
  if (start < 0) return [];
  return lines
    .slice(start)
    .map((l) => l.trim().match(/^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)(?:\s|$)/)?.[1])
    .filter((a): a is string => a !== undefined);
}

export async function probeDnsmasq(
  host: string,
  container: string,
  hosts: Record<string, string>,
  options: { command?: string } = {},
): Promise<DnsProbe> {
  const answers: DnsAnswer[] = [];
  for (const [name, expected] of Object.entries(hosts).sort(([a], [b]) => a.localeCompare(b))) {
    const r = await dockerExec(host, container, ["nslookup", name, "127.0.0.1"], options);
    if (!r.ok) return { ok: false, reason: r.reason };
    const addresses = nslookupAddresses(r.output);
    const why = r.output.match(/can't find [^:]+: (\S+)|(NXDOMAIN|REFUSED|SERVFAIL|timed out)/);
    const problem =
      addresses.length === 1 && addresses[0] === expected
        ? undefined
        : addresses.length
          ? `answers ${addresses.join(", ")}`
          : `no answer (${why?.[1] ?? why?.[2] ?? (r.output.trim().split("\n").pop() || `exit ${r.exitCode}`)})`;
    answers.push({ name, expected, addresses, ...(problem ? { problem } : {}) });
  }
  return { ok: true, answers };
}
