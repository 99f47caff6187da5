import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { changedResources } from "./helpers/diff";
import { Grants, revocationsBetween } from "../../src/model/revocation";
import { Recorded, runProgram } from "./helpers/run-program";

const ledger = (resources: Recorded[]) =>
  resources.find((r) => r.name === "revoke-on-removal-ledger")!.inputs.grants as Grants;

// Adding a person must be a small, safe plan: list entries and the revocation ledger, never the app,
// policy, tunnel or even the lists themselves (their entries are a resource of their own). The ledger's change is what revokes a removed person (revocation-ledger.test.ts).

const base = readFileSync("users.yaml", "utf8");
const withUser =
  base +
  `
  - email: Erin@Example.org
    devices:
      - serial: WIN-NEW-0001
        os: windows
`;
const withDevice = base.replace(
  "        label: work laptop\n",
  "        label: work laptop\n      - serial: LNX-EXTRA-01\n        os: linux\n",
);
const withoutBob = base.replace(/ {2}- email: bob@example.org[\s\S]*?label: build workstation\n/, "");

describe("change shape", () => {
  test("adding a user updates the email list, one serial list and the ledger", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withUser });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: [],
      removed: [],
      updated: ["members-emails-0", "members-windows-0", "revoke-on-removal-ledger"],
    });
  });

  test("adding a device updates only that OS's serial list and the ledger", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withDevice });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: [],
      removed: [],
      updated: ["members-linux-0", "revoke-on-removal-ledger"],
    });
  });

  test("removing a user shrinks the lists and drops them from the ledger, which revokes them", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withoutBob });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: [],
      removed: [],
      updated: ["members-emails-0", "members-linux-0", "members-windows-0", "revoke-on-removal-ledger"],
    });
    expect(revocationsBetween(ledger(before.resources), ledger(after.resources))).toEqual({
      users: ["bob@example.org"],
      devices: ["5CG1234XYZ", "PF2ABCDE"],
    });
  });

  test("an expiry date passing removes the user exactly like deleting them", async () => {
    const before = await runProgram({ usersYaml: base, today: "2027-03-31" });
    const after = await runProgram({ usersYaml: base, today: "2027-04-01" });
    const diff = changedResources(before.resources, after.resources);
    expect(diff.updated).toEqual(["members-emails-0", "members-macos-0", "revoke-on-removal-ledger"]);
    expect(revocationsBetween(ledger(before.resources), ledger(after.resources))).toEqual({
      users: ["carol@example.org"],
      devices: ["FVFZK1ABQ6L4"],
    });
  });

  test("a longer app session changes the application and policy but no list", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: base.replace("app: 8h", "app: 12h") });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: [],
      removed: [],
      updated: ["access-allow", "access-app-ocs.example.org"],
    });
  });
});
