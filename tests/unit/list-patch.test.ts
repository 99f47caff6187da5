import { describe, expect, it } from "vitest";
import { isEmptyPatch, listPatch, sameEntries } from "../../src/model/list-diff";

// The one PATCH that turns a list's entries into users.yaml's: what is sent when a person joins or leaves.

describe("list patch", () => {
  it("appends who joined and removes who left, nothing else", () => {
    expect(listPatch(["a@x.org", "b@x.org"], ["b@x.org", "c@x.org"])).toEqual({
      append: ["c@x.org"],
      remove: ["a@x.org"],
    });
  });

  it("is empty when the entries are the same in another order (Cloudflare promises no order)", () => {
    expect(isEmptyPatch(listPatch(["B", "A", "C"], ["A", "B", "C"]))).toBe(true);
    expect(sameEntries(["B", "A"], ["A", "B"])).toBe(true);
    expect(sameEntries(["A"], ["A", "B"])).toBe(false);
  });

  it("fills an empty list and empties a full one", () => {
    expect(listPatch([], ["S2", "S1"])).toEqual({ append: ["S1", "S2"], remove: [] });
    expect(listPatch(["S1", "S2"], [])).toEqual({ append: [], remove: ["S1", "S2"] });
  });

  it("ignores duplicates on either side", () => {
    expect(listPatch(["A", "A"], ["A", "B", "B"])).toEqual({ append: ["B"], remove: [] });
  });
});
