// The API token and the tunnel token never appear in plaintext: not in the state backend under the
// project (state, backups, history, stack config), not in the emulator's request log or the lines it
// prints, not in anything the CLI prints, on success or on failure.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN } from "../../emulator";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { admin, capture, type RunCapture } from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");

describe("secrets stay secret through a whole lifecycle", () => {
  let product: ProductStack;
  const printed: string[] = [];
  const runs: RunCapture[] = [];
  let tunnelToken: string;
  let tunnelSecret: string;

  const run = () => {
    const c = capture();
    runs.push(c);
    return c.opts;
  };

  beforeAll(async () => {
    product = await openProductStack({
      usersYaml: BASE,
      name: "zt-e2e-secrets",
      emulator: { log: (line) => printed.push(line) },
    });
    const up = await product.stack.up(run());
    expect(up.outputs.tunnelToken.secret).toBe(true);
    tunnelToken = up.outputs.tunnelToken.value as string;

    // What Cloudflare hands out for this tunnel, read independently of the stack.
    const emu = product.emulator;
    const [tunnel] = emu.state.data.tunnels.items;
    const res = await fetch(`${emu.apiBase}/accounts/${emu.accountId}/cfd_tunnel/${tunnel.id}/token`, {
      headers: { authorization: `Bearer ${EMULATOR_DEFAULT_TOKEN}` },
    });
    expect(((await res.json()) as { result: string }).result).toBe(tunnelToken);
    tunnelSecret = emu.state.data.tunnels.secrets[tunnel.id];
    expect(tunnelToken.length).toBeGreaterThan(40);
    expect(tunnelSecret.length).toBeGreaterThan(20);

    await product.stack.preview({ ...run(), diff: true });
    await product.stack.preview({ ...run(), refresh: true, diff: true });
    await product.stack.refresh(run());
    // A removal runs the revocation ledger's update, whose inputs hold the API token (as a secret input).
    await admin(emu, "POST", "registrations", {
      user: { email: "bob@example.org" },
      device: { serial_number: "5CG1234XYZ" },
    });
    const withoutBob = BASE.replace(/ {2}- email: bob@example.org[\s\S]*?label: build workstation\n/, "");
    product.writeUsers(withoutBob);
    await product.stack.up(run());
    // ... and a failing revocation, whose error output is where a token would leak.
    emu.faults.add({
      method: "POST",
      path: "/accounts/*/access/organizations/revoke_user",
      status: 500,
      shouldRetry: false,
      count: Infinity,
    });
    product.writeUsers(withoutBob.replace(/ {2}- email: dan@example.org[\s\S]*$/, ""));
    const failed = await product.stack.up(run()).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The failure names the resource and whom it could not revoke.
    expect(String(failed)).toMatch(/revoke-on-removal-ledger/);
    expect(String(failed)).toMatch(/revoking user dan@example\.org: 500/);
    expect(String(failed)).not.toContain(EMULATOR_DEFAULT_TOKEN);
    emu.faults.clear();
  });

  afterAll(async () => {
    await product?.close();
  });

  const secrets = () => ({
    "API token": EMULATOR_DEFAULT_TOKEN,
    "tunnel token": tunnelToken,
    "tunnel secret": tunnelSecret,
  });

  it("the state backend and stack config under the project hold them only encrypted", () => {
    const onDisk = product.project.allText();
    for (const [what, value] of Object.entries(secrets()))
      expect(onDisk.includes(value), `${what} in plaintext on disk`).toBe(false);
    expect(onDisk).toMatch(/"ciphertext":\s*"v1:/);
    expect(onDisk).toMatch(/secure: v1:/);
  });

  it("the emulator's request log and printed lines do not contain them", () => {
    const log = JSON.stringify(product.emulator.requests()) + printed.join("\n");
    expect(printed.length).toBeGreaterThan(20);
    for (const [what, value] of Object.entries(secrets()))
      expect(log.includes(value), `${what} in the emulator's log`).toBe(false);
  });

  it("nothing the CLI printed (progress, diffs, errors) contains them", () => {
    const output = runs.map((r) => r.text()).join("\n");
    expect(output).toContain("[secret]");
    for (const [what, value] of Object.entries(secrets()))
      expect(output.includes(value), `${what} in CLI output`).toBe(false);
  });
});
