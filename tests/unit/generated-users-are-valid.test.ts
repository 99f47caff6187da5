import { describe, expect, it } from "vitest";
import { generateUsers, generateUsersYaml } from "../../bench/harness/generate-users";
import { problemOf, stateOf } from "./helpers/users";

// The generator feeds the e2e and bench suites: its files must be valid, realistic and reproducible.
describe("bench/harness/generate-users.ts", () => {
  const users = generateUsers(1000);
  const state = stateOf(generateUsersYaml(1000));

  it("writes a valid file with n users and every generated device", () => {
    expect(state.users).toHaveLength(1000);
    expect(state.activeUsers).toHaveLength(1000);
    expect(state.users.map((u) => u.email)).toEqual(users.map((u) => u.email));
    expect(state.users.flatMap((u) => u.devices.map((d) => [d.serial, d.os, d.label]))).toEqual(
      users.flatMap((u) => u.devices.map((d) => [d.serial, d.os, d.label])),
    );
  });

  it("mixes one and two devices, every OS and devices without os, and a few expiry dates", () => {
    const counts = (values: unknown[]) => new Set(values).size;
    expect(counts(users.map((u) => u.devices.length))).toBe(2);
    expect(new Set(users.flatMap((u) => u.devices.map((d) => d.os ?? "any")))).toEqual(
      new Set(["macos", "windows", "linux", "any"]),
    );
    expect(users.filter((u) => u.expires)).toHaveLength(40);
  });

  it("is the same file every time", () => {
    expect(generateUsersYaml(50)).toBe(generateUsersYaml(50));
    expect(generateUsersYaml(50, { seed: 2 })).not.toBe(generateUsersYaml(50));
  });

  it("can make some users expired", () => {
    const withExpired = stateOf(generateUsersYaml(100, { expired: 2 }));
    expect(withExpired.users.filter((u) => u.expired).map((u) => u.expires)).toEqual([
      "2021-08-28",
      "2021-09-28",
    ]);
    expect(withExpired.activeUsers).toHaveLength(98);
  });

  it("writes an empty users list for n = 0 (which validation rejects)", () => {
    expect(problemOf(generateUsersYaml(0))).toBe(
      "users.yaml:7:8: users is empty: with no user nobody could sign in, which would lock everyone out",
    );
  });
});
