import { expect, test } from "vitest";
import { revocationsBetween } from "../../src/model/revocation";

// What the ledger's update revokes when users.yaml changes between two deployments.

const before = { "alice@example.org": ["C02XL0GHJGH5"], "bob@example.org": ["5CG1234XYZ", "PF2ABCDE"] };

test("a removed user is revoked with every device they had", () => {
  expect(revocationsBetween(before, { "alice@example.org": ["C02XL0GHJGH5"] })).toEqual({
    users: ["bob@example.org"],
    devices: ["5CG1234XYZ", "PF2ABCDE"],
  });
});

test("a replaced device is revoked; the user keeps access", () => {
  expect(revocationsBetween(before, { ...before, "alice@example.org": ["NEWSERIAL1"] })).toEqual({
    users: [],
    devices: ["C02XL0GHJGH5"],
  });
});

test("a device moved to another user is not revoked (serials compare case-insensitively)", () => {
  expect(
    revocationsBetween(before, {
      "alice@example.org": ["C02XL0GHJGH5", "pf2abcde"],
      "bob@example.org": ["5CG1234XYZ"],
    }),
  ).toEqual({ users: [], devices: [] });
});

test("adding people revokes nobody; deleting the ledger revokes everyone", () => {
  expect(revocationsBetween(before, { ...before, "erin@example.org": ["X1"] })).toEqual({
    users: [],
    devices: [],
  });
  expect(revocationsBetween(before, {})).toEqual({
    users: ["alice@example.org", "bob@example.org"],
    devices: ["5CG1234XYZ", "C02XL0GHJGH5", "PF2ABCDE"],
  });
  expect(revocationsBetween(undefined, before)).toEqual({ users: [], devices: [] });
});
