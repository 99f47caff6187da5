import * as pulumi from "@pulumi/pulumi";
import { revokeDevice, revokeUser } from "../src/cloudflare/revoke";
import { Grants, revocationsBetween } from "../src/model/revocation";

// Removal is revocation: a ledger of who holds access (email -> device serials) is one resource. When
// an update drops a user or a device, its provider revokes their Access sessions and WARP registrations
// inside `pulumi up`, so the runbook's "always do both steps" cannot be forgotten after merge, and the
// plan shows it as a change of this resource. One resource (not one per person) keeps a 1,000-user
// stack small: the engine rewrites its state after every step.

interface LedgerInputs {
  accountId: string;
  apiToken: string;
  baseUrl?: string;
  grants: Grants;
}

async function revoke(props: LedgerInputs, before: Grants | undefined, after: Grants | undefined) {
  // The token in state may have been rotated since; the engine's environment holds the current one.
  const target = { apiToken: process.env.CLOUDFLARE_API_TOKEN || props.apiToken, baseUrl: props.baseUrl, accountId: props.accountId };
  const gone = revocationsBetween(before, after);
  for (const email of gone.users) await revokeUser(target, email);
  for (const serial of gone.devices) await revokeDevice(target, serial);
}

const ledgerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: LedgerInputs) {
    return { id: `grants-${inputs.accountId}`, outs: inputs };
  },
  async diff(_id: string, olds: LedgerInputs, news: LedgerInputs) {
    // A rotated token or another API address is not a change of who has access: no update churn.
    const changed = olds.accountId !== news.accountId || JSON.stringify(olds.grants) !== JSON.stringify(news.grants);
    return { changes: changed, replaces: [] };
  },
  async update(_id: string, olds: LedgerInputs, news: LedgerInputs) {
    // Moving to another account revokes nothing there: the old account is no longer managed.
    if (olds.accountId === news.accountId) await revoke(news, olds.grants, news.grants);
    return { outs: news };
  },
  async delete(_id: string, props: LedgerInputs) {
    // Destroying the stack ends everyone's access, like removing every user.
    await revoke(props, props.grants, {});
  },
};

class Ledger extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: { [K in keyof LedgerInputs]: pulumi.Input<LedgerInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(ledgerProvider, name, inputs, opts);
  }
}

export interface RevocationArgs {
  accountId: string;
  apiToken: pulumi.Input<string>;
  baseUrl?: string;
  grants: Grants;
}

export class Revocation extends pulumi.ComponentResource {
  constructor(name: string, args: RevocationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Revocation", name, {}, opts);
    const inputs = { accountId: args.accountId, apiToken: pulumi.secret(args.apiToken), baseUrl: args.baseUrl, grants: args.grants };
    new Ledger(`${name}-ledger`, inputs, { parent: this });
    this.registerOutputs({});
  }
}
