// A dynamic resource whose lifecycle calls the stub API's /records endpoints. Its provider
// functions use only their arguments and the global fetch: Pulumi serializes them into the
// state and runs them in the dynamic-provider host, where nothing from this module exists.
import * as pulumi from "@pulumi/pulumi";

export interface RemoteRecordArgs {
  endpoint: pulumi.Input<string>;
  value: pulumi.Input<string>;
  token: pulumi.Input<string>;
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const res = await fetch(inputs.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value: inputs.value, token: inputs.token }),
    });
    if (!res.ok) throw new Error(`POST ${inputs.endpoint}: ${res.status}`);
    const created = (await res.json()) as { id: string };
    return { id: created.id, outs: inputs };
  },
  // Compares with the stored outputs (which a refresh updates), not the old inputs, so drift
  // found by refresh shows up in the next preview.
  async diff(_id, olds, news) {
    return { changes: ["endpoint", "value", "token"].some((k) => olds[k] !== news[k]) };
  },
  async read(id, props) {
    const res = await fetch(`${props.endpoint}/${id}`);
    if (!res.ok) throw new Error(`GET ${props.endpoint}/${id}: ${res.status}`);
    const remote = (await res.json()) as { value: string };
    return { id, props: { ...props, value: remote.value } };
  },
  async update(id, _olds, news) {
    const res = await fetch(`${news.endpoint}/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value: news.value, token: news.token }),
    });
    if (!res.ok) throw new Error(`PUT ${news.endpoint}/${id}: ${res.status}`);
    return { outs: news };
  },
  async delete(id, props) {
    const res = await fetch(`${props.endpoint}/${id}`, { method: "DELETE" });
    if (!res.ok) throw new Error(`DELETE ${props.endpoint}/${id}: ${res.status}`);
  },
};

export class RemoteRecord extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, args: RemoteRecordArgs, opts?: pulumi.CustomResourceOptions) {
    // additionalSecretOutputs: the token stays secret in state whatever the SDK infers.
    super(provider, name, args, { ...opts, additionalSecretOutputs: ["token"] });
  }
}
