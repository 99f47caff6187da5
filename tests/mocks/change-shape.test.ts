import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { changedResources } from "./helpers/diff";
import { runProgram } from "./helpers/run-program";

// Adding a person must be a small, safe plan: list entries and a grant, never the app, policy or tunnel.

const base = readFileSync("users.yaml", "utf8");
const withUser = base + `
  - email: Erin@Example.org
    devices:
      - serial: WIN-NEW-0001
        os: windows
`;
const withDevice = base.replace("        label: work laptop\n", "        label: work laptop\n      - serial: LNX-EXTRA-01\n        os: linux\n");
const withoutBob = base.replace(/  - email: bob@example.org[\s\S]*?label: build workstation\n/, "");

describe("change shape", () => {
  test("adding a user updates the email list and one serial list, and adds two grants", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withUser });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: ["revoke-on-removal-device-WIN-NEW-0001", "revoke-on-removal-user-erin@example.org"],
      removed: [],
      updated: ["access-emails-0", "posture-serials-windows-0"],
    });
  });

  test("adding a device updates only that OS's serial list and adds its grant", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withDevice });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: ["revoke-on-removal-device-LNX-EXTRA-01"],
      removed: [],
      updated: ["posture-serials-linux-0"],
    });
  });

  test("removing a user shrinks the lists and deletes that user's grants, which revokes them", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: withoutBob });
    expect(changedResources(before.resources, after.resources)).toEqual({
      added: [],
      removed: ["revoke-on-removal-device-5CG1234XYZ", "revoke-on-removal-device-PF2ABCDE", "revoke-on-removal-user-bob@example.org"],
      updated: ["access-emails-0", "posture-serials-linux-0", "posture-serials-windows-0"],
    });
  });

  test("an expiry date passing removes the user exactly like deleting them", async () => {
    const before = await runProgram({ usersYaml: base, today: "2027-03-31" });
    const after = await runProgram({ usersYaml: base, today: "2027-04-01" });
    const diff = changedResources(before.resources, after.resources);
    expect(diff.removed).toEqual(["revoke-on-removal-device-FVFZK1ABQ6L4", "revoke-on-removal-user-carol@example.org"]);
    expect(diff.updated).toEqual(["access-emails-0", "posture-serials-macos-0"]);
  });

  test("a longer app session changes the application and policy but no list", async () => {
    const before = await runProgram({ usersYaml: base });
    const after = await runProgram({ usersYaml: base.replace("app: 8h", "app: 12h") });
    expect(changedResources(before.resources, after.resources)).toEqual({ added: [], removed: [], updated: ["access-allow", "access-app-ocs.example.org"] });
  });
});
