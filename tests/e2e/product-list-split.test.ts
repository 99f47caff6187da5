// When a team outgrows its lists (600 -> 601 users: one email list becomes two), about half the people
// move to the new list. Nobody may be refused while that happens: the new list is created and attached to
// the policy first, then it gains its people, and only then does the old list drop them (the entries
// resources are ordered: components/list-members.ts). Asserted from the order of the emulator's requests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateUsers, renderUsersYaml } from "../../bench/harness/generate-users";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { capture, listsOfType } from "../../bench/harness/product-run";

const BEFORE = generateUsers(600);
const AFTER = generateUsers(601);

describe("a list split (600 -> 601 users)", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: renderUsersYaml(BEFORE), name: "zt-e2e-split" });
    await product.stack.up(capture().opts);
    expect(listsOfType(product.emulator, "EMAIL").map((l) => l.items.length)).toEqual([600]);
  });

  afterAll(async () => {
    await product?.close();
  });

  it("creates and attaches the new list, fills it, then empties the moved entries from the old one", async () => {
    product.writeUsers(renderUsersYaml(AFTER));
    product.emulator.clearRequests();
    await product.stack.up(capture().opts);

    const [first, second] = listsOfType(product.emulator, "EMAIL");
    expect([first.name, second.name]).toEqual(["zt-gitops users 1", "zt-gitops users 2"]);
    const all = [...first.items, ...second.items].map((i) => i.value).sort();
    expect(all).toEqual(AFTER.map((u) => u.email).sort());
    expect(second.items.length).toBeGreaterThan(100); // about half moved

    const log = product.emulator.requests().map((r) => `${r.method} ${r.path}`);
    const at = (pattern: RegExp) => {
      const i = log.findIndex((l) => pattern.test(l));
      expect(i, `${pattern} in the request log`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const created = at(/^POST .*\/gateway\/lists$/);
    const attached = at(/^PUT .*\/access\/policies\/[^/]+$/);
    const filled = at(new RegExp(`^PATCH .*/gateway/lists/${second.id}$`));
    const emptied = at(new RegExp(`^PATCH .*/gateway/lists/${first.id}$`));
    expect(created).toBeLessThan(attached);
    expect(attached).toBeLessThan(filled);
    expect(filled).toBeLessThan(emptied);

    const [policy] = product.emulator.state.data.access.policies;
    expect(policy.include.map((i: { email_list: { id: string } }) => i.email_list.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it("is steady afterwards", async () => {
    const run = capture();
    const preview = await product.stack.preview({ ...run.opts, refresh: true });
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  });
});
