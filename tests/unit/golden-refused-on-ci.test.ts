import { describe, expect, it } from "vitest";
import { rewriteGoldens } from "./helpers/golden";

// Goldens are the review of every wording change: CI must compare them, never rewrite them.

describe("golden files on CI", () => {
  it("this run does not ask to rewrite goldens on CI (fails when UPDATE_GOLDEN is set with CI=true)", () => {
    expect(() => rewriteGoldens(process.env)).not.toThrow();
  });

  it("refuses UPDATE_GOLDEN under CI, with the fix in the message", () => {
    expect(() => rewriteGoldens({ CI: "true", UPDATE_GOLDEN: "1" })).toThrow(
      "UPDATE_GOLDEN=1 is set on CI (CI=true): goldens are rewritten only by a developer who reviews the diff; unset UPDATE_GOLDEN in the CI environment",
    );
    expect(() => rewriteGoldens({ CI: "1", UPDATE_GOLDEN: "yes" })).toThrow(/is set on CI/);
  });

  it("rewrites only for a developer who asks with UPDATE_GOLDEN=1", () => {
    expect(rewriteGoldens({ UPDATE_GOLDEN: "1" })).toBe(true);
    expect(rewriteGoldens({ UPDATE_GOLDEN: "1", CI: "false" })).toBe(true);
    expect(rewriteGoldens({})).toBe(false);
    expect(rewriteGoldens({ CI: "true" })).toBe(false);
  });
});
