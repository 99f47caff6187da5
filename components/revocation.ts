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
  const target = {
    apiToken: process.env.CLOUDFLARE_API_TOKEN || props.apiToken,
    baseUrl: props.baseUrl,
    accountId: props.accountId,
  };
  const gone = revocationsBetween(before, after);
  // Every revocation is attempted; a failure names whom it left unrevoked (with one resource for everyone,
  // the resource name no longer says who). The step then fails and keeps the old ledger, so the next `up`
  // tries again; revoking twice is harmless.
  const failed: string[] = [];
  const attempt = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (e) {
      failed.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const email of gone.users) await attempt(`revoking user ${email}`, () => revokeUser(target, email));
  for (const serial of gone.devices)
    await attempt(`revoking device ${serial}`, () => revokeDevice(target, serial));
  if (failed.length)
    throw new Error(
      `${failed.length} revocation${failed.length === 1 ? "" : "s"} failed (run \`up\` again to retry): ${failed.join("; ")}`,
    );
}

const ledgerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: LedgerInputs) {
    return { id: `grants-${inputs.accountId}`, outs: inputs };
  },
  async diff(_id: string, olds: LedgerInputs, news: LedgerInputs) {
    // A rotated token or another API address is not a change of who has access: no update churn.
    const changed =
      olds.accountId !== news.accountId || JSON.stringify(olds.grants) !== JSON.stringify(news.grants);
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
  constructor(
    name: string,
    inputs: { [K in keyof LedgerInputs]: pulumi.Input<LedgerInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
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
    const inputs = {
      accountId: args.accountId,
      apiToken: pulumi.secret(args.apiToken),
      baseUrl: args.baseUrl,
      grants: args.grants,
    };
    new Ledger(`${name}-ledger`, inputs, { parent: this });
    this.registerOutputs({});
  }
}
