import { describe, expect, it } from "vitest";
import { problemOf, stateOf, usersWithEmails, yaml } from "./helpers/users";

describe("emails in users.yaml", () => {
  it("rejects an address that is not an email", () => {
    expect(problemOf(usersWithEmails("alice.example.org"))).toBe(
      "users.yaml:2:12: users[0].email: email must be a valid address such as alice@example.org",
    );
  });

  it("rejects an address with a space in it, naming the space", () => {
    expect(problemOf(usersWithEmails('"alice @example.org"'))).toBe(
      'users.yaml:2:12: users[0].email "alice @example.org" contains a space (U+0020): an address has no spaces: delete them',
    );
  });

  it("rejects an email that is not text", () => {
    expect(problemOf(usersWithEmails("42"))).toBe(
      "users.yaml:2:12: users[0].email: email must be a valid address such as alice@example.org (got number 42)",
    );
  });

  it("rejects an address longer than 254 characters", () => {
    const long = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.org`;
    expect(long).toHaveLength(255);
    expect(problemOf(usersWithEmails(long))).toBe(
      "users.yaml:2:12: users[0].email: email is longer than 254 characters",
    );
  });

  it("accepts an address of exactly 254 characters", () => {
    const longest = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.org`;
    expect(longest).toHaveLength(254);
    expect(stateOf(usersWithEmails(longest)).emailChunks).toEqual([[longest]]);
  });

  it("requires an email for every user", () => {
    expect(
      problemOf(yaml`
      users:
        - name: Alice
          devices: []
    `),
    ).toBe('users.yaml:2:5: users[0] is missing the required key "email"');
  });

  it("stores emails in lower case", () => {
    const state = stateOf(usersWithEmails("Alice.Martin@Example.ORG"));
    expect(state.users.map((u) => u.email)).toEqual(["alice.martin@example.org"]);
    expect(state.emailChunks).toEqual([["alice.martin@example.org"]]);
  });

  it("rejects the same email twice, at the second one, naming the first line", () => {
    expect(problemOf(usersWithEmails("alice@example.org", "bob@example.org", "alice@example.org"))).toBe(
      "users.yaml:6:12: alice@example.org is listed twice (first at line 2); keep one entry and merge the devices",
    );
  });

  it("compares emails case-insensitively", () => {
    expect(problemOf(usersWithEmails("alice@example.org", "ALICE@Example.org"))).toBe(
      "users.yaml:4:12: alice@example.org is listed twice (first at line 2); keep one entry and merge the devices",
    );
  });
});
