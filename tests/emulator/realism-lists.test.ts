// The `lists` realism switch (FIDELITY.md "lists"): on by default, off restores
// the provider-shaped behaviour the emulator had before issue 14.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, parseRealism, startEmulator } from "../../emulator";
import { acct, call, result } from "./helpers";

const items = ["S1", "S2", "S3"].map((value) => ({ value }));

describe("lists, realism on (default)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("POST answers items without count; GET one answers count without items", async () => {
    const created = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "s",
      type: "SERIAL",
      items,
    });
    expect(created.items.map((i: { value: string }) => i.value)).toEqual(["S1", "S2", "S3"]);
    expect(created).not.toHaveProperty("count");
    const got = await result(emu, "GET", `${acct(emu)}/gateway/lists/${created.id}`);
    expect(got).not.toHaveProperty("items");
    expect(got.count).toBe(3);
  });

  it("answers items only from /items: a flat page, newest first, paginated up to 1000 per page", async () => {
    const l = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "p",
      type: "SERIAL",
      items: [{ value: "OLD" }],
    });
    await new Promise((r) => setTimeout(r, 1100)); // created_at has second resolution
    await result(emu, "PATCH", `${acct(emu)}/gateway/lists/${l.id}`, { append: [{ value: "NEW" }] });
    const page = await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items?per_page=1`);
    expect(page.json.result).toEqual([{ value: "NEW", created_at: expect.any(String) }]);
    expect(page.json.result_info).toMatchObject({
      page: 1,
      per_page: 1,
      count: 1,
      total_count: 2,
      total_pages: 2,
    });
    const p2 = await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items?per_page=1&page=2`);
    expect(p2.json.result.map((i: { value: string }) => i.value)).toEqual(["OLD"]);
    expect((await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items?per_page=1001`)).status).toBe(
      400,
    );
  });

  it("PUT without items (or with []) keeps them; a non-empty items replaces them", async () => {
    const l = await result(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "k", type: "SERIAL", items });
    const put = await result(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, { name: "k2" });
    expect(put).not.toHaveProperty("items");
    expect(put).toMatchObject({ name: "k2", count: 3 });
    await result(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, { name: "k2", items: [] });
    expect((await result(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}`)).count).toBe(3);
    await result(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, { name: "k2", items: [{ value: "X" }] });
    const all = await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items`);
    expect(all.json.result.map((i: { value: string }) => i.value)).toEqual(["X"]);
  });

  it("PATCH appends and removes, refusing a non-string remove", async () => {
    const l = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "e",
      type: "EMAIL",
      items: [{ value: "a@example.org" }],
    });
    await result(emu, "PATCH", `${acct(emu)}/gateway/lists/${l.id}`, {
      append: [{ value: "b@example.org" }],
      remove: ["a@example.org"],
    });
    const all = await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items`);
    expect(all.json.result.map((i: { value: string }) => i.value)).toEqual(["b@example.org"]);
    const bad = await call(emu, "PATCH", `${acct(emu)}/gateway/lists/${l.id}`, { remove: [1] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].code).toBe(2001);
  });
});

describe("lists, realism off (lists=off)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ realism: parseRealism("lists=off") });
  });
  afterAll(() => emu.close());

  it("GET one includes items, PUT without items clears them, /items wraps the page", async () => {
    const l = await result(emu, "POST", `${acct(emu)}/gateway/lists`, { name: "s", type: "SERIAL", items });
    expect(l.count).toBe(3);
    expect((await result(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}`)).items).toHaveLength(3);
    const wrapped = await call(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}/items`);
    expect(wrapped.json.result[0].map((i: { value: string }) => i.value)).toEqual(["S1", "S2", "S3"]);
    const put = await result(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, { name: "s" });
    expect(put.items).toEqual([]);
  });
});
