import * as pulumi from "@pulumi/pulumi";
import { revokeDevice, revokeUser } from "../src/cloudflare/revoke";

// Removal is revocation: each active user and device is a resource whose delete revokes sessions or
// registrations. Revocation then happens inside `pulumi up`, shows in the plan as a delete, and cannot be
// forgotten after merge (the runbook's "always do both steps").

interface GrantInputs {
  kind: "user" | "device";
  subject: string;
  accountId: string;
  apiToken: string;
  baseUrl?: string;
}

const grantProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GrantInputs) {
    return { id: `${inputs.kind}:${inputs.subject}`, outs: inputs };
  },
  async diff(_id: string, olds: GrantInputs, news: GrantInputs) {
    // A rotated token or a new API address is not a change of who has access: no update churn.
    const replaces = (["kind", "subject", "accountId"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
  },
  async delete(_id: string, props: GrantInputs) {
    // The token in state may have been rotated since; the engine's environment holds the current one.
    const target = { apiToken: process.env.CLOUDFLARE_API_TOKEN || props.apiToken, baseUrl: props.baseUrl, accountId: props.accountId };
    if (props.kind === "user") await revokeUser(target, props.subject);
    else await revokeDevice(target, props.subject);
  },
};

class Grant extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: { [K in keyof GrantInputs]: pulumi.Input<GrantInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(grantProvider, name, inputs, opts);
  }
}

export interface RevocationArgs {
  accountId: string;
  apiToken: pulumi.Input<string>;
  baseUrl?: string;
  emails: readonly string[];
  serials: readonly string[];
}

export class Revocation extends pulumi.ComponentResource {
  constructor(name: string, args: RevocationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Revocation", name, {}, opts);
    const common = { accountId: args.accountId, apiToken: pulumi.secret(args.apiToken), baseUrl: args.baseUrl };
    for (const email of args.emails) new Grant(`${name}-user-${email}`, { ...common, kind: "user", subject: email }, { parent: this });
    for (const serial of args.serials) new Grant(`${name}-device-${serial}`, { ...common, kind: "device", subject: serial }, { parent: this });
    this.registerOutputs({});
  }
}
