import * as pulumi from "@pulumi/pulumi";
import { isNotFound, readListItems, syncListItems } from "../src/cloudflare/list-items";
import { sameEntries } from "../src/model/list-diff";

// The entries of one Zero Trust list, as a resource of their own. The bridged ZeroTrustList refreshes its
// `items` from `GET …/lists/{id}`, which on Cloudflare never returns them (provider PR #7265, issues
// #5788/#5882): every refresh would empty the state and every drift check would report the lists. So the
// lists are declared without items, and this resource owns them: it reads the paginated `/items` on
// refresh (a serial added by hand shows as drift, by value) and writes with one PATCH append/remove, so
// adding a person sends one entry, not the whole list. It works the same with the official plugin,
// which it does not depend on.

interface EntriesInputs {
  accountId: string;
  listId: string;
  apiToken: string;
  baseUrl?: string;
  /** Sorted entries (emails or serial numbers). */
  values: string[];
}

function target(props: EntriesInputs) {
  // The token in state may have been rotated since; the engine's environment holds the current one.
  return {
    apiToken: process.env.CLOUDFLARE_API_TOKEN || props.apiToken,
    baseUrl: props.baseUrl,
    accountId: props.accountId,
  };
}

const entriesProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: EntriesInputs) {
    // From what the list holds now: a create retried after a lost response adds nothing twice.
    await syncListItems(target(inputs), inputs.listId, inputs.values);
    return { id: `${inputs.listId}/items`, outs: inputs };
  },
  async read(id: string, props: EntriesInputs) {
    try {
      const values = await readListItems(target(props), props.listId);
      // As inputs too: the next diff compares what Cloudflare holds with users.yaml, and names `values`.
      return { id, props: { ...props, values }, inputs: { ...props, values } };
    } catch (e) {
      // The list was deleted by hand: the entries are gone with it, and the next apply recreates both.
      if (isNotFound(e)) return { id: "", props: {} };
      throw e;
    }
  },
  async diff(_id: string, olds: EntriesInputs, news: EntriesInputs) {
    // A rotated token or another API address is not a change of the entries.
    const replaces = olds.accountId !== news.accountId || olds.listId !== news.listId ? ["listId"] : [];
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
    // Same entries in another order is no change. Otherwise "unknown": the engine then diffs the inputs
    // itself and names the property that moved (`values`), which a dynamic provider cannot report.
    return sameEntries(olds.values ?? [], news.values) ? { changes: false } : { replaces: [] };
  },
  async update(_id: string, _olds: EntriesInputs, news: EntriesInputs) {
    await syncListItems(target(news), news.listId, news.values);
    return { outs: news };
  },
  async delete(_id: string, props: EntriesInputs) {
    try {
      await syncListItems(target(props), props.listId, []);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

/** The API the entries are written through; the token is kept as a secret. */
export interface ListApi {
  apiToken: pulumi.Input<string>;
  baseUrl?: string;
}

export class ListEntries extends pulumi.dynamic.Resource {
  declare readonly values: pulumi.Output<string[]>;

  constructor(
    name: string,
    inputs: { [K in keyof EntriesInputs]: pulumi.Input<EntriesInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(entriesProvider, name, { ...inputs, apiToken: pulumi.secret(inputs.apiToken) }, opts);
  }
}
