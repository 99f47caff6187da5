import { createHash, randomBytes } from "node:crypto";
import { COMMON_HELP } from "./args";
import { Api, connect, loadStack, withApi, ZtEnv } from "./context";
import { CliError, EXIT } from "../command";
import { findTunnel } from "./inventory";

// zt tunnel rotate-token: Cloudflare's rotation procedure for a remotely managed tunnel
// (developers.cloudflare.com/tunnel/advanced/tunnel-tokens/, "Rotate a token" and "Rotate a
// compromised token"; API form in /cloudflare-one/connections/connect-networks/configure-tunnels/
// remote-tunnel-permissions/: PATCH accounts/{a}/cfd_tunnel/{id} with a new base64 `tunnel_secret` of
// at least 32 bytes). "After rotating the token, cloudflared cannot establish new connections with the
// old token. Existing connectors remain active until restarted"; a compromised token also needs
// DELETE .../cfd_tunnel/{id}/connections (force-disconnect). The token is never printed.
//
// How the stack picks the new token up without drift: the tunnel's secret is not a stack input (the
// Tunnel component sets no tunnelSecret, and the provider's Read keeps it from state), so the tunnel
// itself plans no change; its token is read by the getZeroTrustTunnelCloudflaredToken data source on
// every preview and up, so the next `npm run up` sees the new token and changes exactly the cloudflared
// containers' TUNNEL_TOKEN (the Connector component replaces them) and the secret output tunnelToken
// (tests/e2e/engine-tunnel-rotate-token.test.ts: no resource changes, the next up outputs the new token).

export const TUNNEL_HELP = `Usage: npm run zt -- tunnel rotate-token [--compromised] [--stack S]

Rotates the tunnel token (zt:tunnelName): a new tunnel secret through Cloudflare's API, then says how
the connectors get the new token. Running connectors keep working until they restart; new connections
need the new token. The token is never printed.
  --compromised     also force-disconnect every connector now (Cloudflare's procedure for an exposed
                    token): the hostnames are down until the connectors restart with the new token
${COMMON_HELP}
The API token needs Cloudflare Tunnel Write.
Exit 0 when rotated, 1 when the tunnel does not exist, 3 when Cloudflare cannot be used, 64 for a bad
command line.

Example: npm run zt -- tunnel rotate-token --stack prod`;

export interface TunnelRotateOptions {
  stack?: string;
  tokenEnv?: string;
  compromised?: boolean;
}

const fingerprint = (token: unknown) => createHash("sha256").update(String(token)).digest("hex").slice(0, 12);

async function tokenFingerprint(api: Api, tunnelId: string): Promise<string> {
  const token = await api.client.zeroTrust.tunnels.cloudflared.token.get(tunnelId, {
    account_id: api.accountId,
  });
  return fingerprint(token);
}

export async function tunnelRotateToken(opts: TunnelRotateOptions, env: ZtEnv): Promise<number> {
  const stack = loadStack(env, opts.stack);
  const api = connect(env, stack, opts.tokenEnv);
  const o = env.output;
  const name = stack.config.tunnelName;
  const account_id = api.accountId;
  const cfd = api.client.zeroTrust.tunnels.cloudflared;
  const view = await withApi(api, () => findTunnel(api, name));
  if (!view)
    throw new CliError(
      `zt tunnel rotate-token: the account has no tunnel "${name}" (zt:tunnelName); create it with ${stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`}`,
      EXIT.failure,
    );
  const id = String(view.tunnel.id);
  const before = await withApi(api, () => tokenFingerprint(api, id));
  await withApi(api, () => cfd.edit(id, { account_id, tunnel_secret: randomBytes(32).toString("base64") }));
  const after = await withApi(api, () => tokenFingerprint(api, id));
  if (after === before)
    throw new CliError(
      `zt tunnel rotate-token: Cloudflare accepted the new secret for ${name} but its token did not change; rotate it in the dashboard (Networking > Tunnels > ${name} > Rotate token)`,
      EXIT.api,
    );
  o.out(
    `Tunnel ${name} (${id}): token rotated (fingerprint ${before} -> ${after}; the token itself is never printed).`,
  );
  if (opts.compromised) {
    await withApi(api, () => cfd.connections.delete(id, { account_id }));
    o.out(
      `All ${view.connectors} connector(s) force-disconnected: the hostnames are down until the connectors restart with the new token.`,
    );
  } else {
    o.out(
      `The ${view.connectors} running connector(s) stay connected until they restart; a restarted one needs the new token.`,
    );
  }
  const up = stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`;
  o.out("Next:");
  if (stack.config.connector.enabled) {
    o.out(
      `  ${up}: the stack reads the tunnel token on every run, so it plans no change to the tunnel and replaces only the cloudflared containers on ${stack.config.connector.dockerHost} with the new token (and updates the secret output tunnelToken).`,
    );
  } else {
    o.out(`  ${up}: updates the secret output tunnelToken (the tunnel itself is unchanged).`);
    o.out(
      `  then on each server, one replica at a time: TUNNEL_TOKEN=$(pulumi stack output --show-secrets tunnelToken) docker compose -f docker-compose.cloudflare.yml up -d --force-recreate cloudflared-1 (then cloudflared-2, ...)`,
    );
  }
  o.out(
    `  then npm run zt -- doctor${stack.name === "local" ? "" : ` --stack ${stack.name}`}: the tunnel must be healthy with every replica connected.`,
  );
  o.out(
    "Replicas are failover, not load balancing: one connected replica serves everything, so restarting them in turn keeps the hostnames up.",
  );
  return EXIT.ok;
}
