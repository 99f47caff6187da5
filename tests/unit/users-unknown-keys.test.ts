import { describe, expect, it } from "vitest";
import { problemOf, problemsOf, yaml } from "./helpers/users";

// A typo must never silently drop a user or a setting: every unknown key is an error, at the typo itself.
describe("unknown keys in users.yaml", () => {
  it("rejects a misspelled user key (emial) with one message pointing at the typo", () => {
    expect(
      problemsOf(yaml`
      users:
        - email: alice@example.org
          devices: []
        - emial: bob@example.org
          devices: []
    `),
    ).toEqual(['users.yaml:4:5: unknown key "emial" in users[1]: did you mean "email"?']);
  });

  it("rejects a misspelled top-level key (sesions)", () => {
    expect(
      problemOf(yaml`
      sesions:
        app: 8h
      users:
        - email: alice@example.org
          devices: []
    `),
    ).toBe('users.yaml:1:1: unknown key "sesions" in the file: did you mean "sessions"?');
  });

  it("rejects a misspelled sessions key (ap)", () => {
    expect(
      problemOf(yaml`
      sessions:
        ap: 8h
      users:
        - email: alice@example.org
          devices: []
    `),
    ).toBe('users.yaml:2:3: unknown key "ap" in sessions: did you mean "app"?');
  });

  it("rejects a misspelled device key (oss)", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
              oss: macos
    `),
    ).toBe('users.yaml:5:9: unknown key "oss" in users[0].devices[0]: did you mean "os"?');
  });

  it("lists the allowed keys when nothing is close", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          department: finance
          devices: []
    `),
    ).toBe(
      'users.yaml:3:5: unknown key "department" in users[0]: allowed keys: email, name, expires, devices',
    );
  });

  it("reports a required key as missing when no unknown key looks like it", () => {
    expect(
      problemsOf(yaml`
      users:
        - mail_address: alice@example.org
          devices: []
    `),
    ).toEqual([
      'users.yaml:2:5: users[0] is missing the required key "email"',
      'users.yaml:2:5: unknown key "mail_address" in users[0]: allowed keys: email, name, expires, devices',
    ]);
  });

  it("reports a missing users key", () => {
    expect(
      problemOf(yaml`
      sessions:
        app: 8h
    `),
    ).toBe('users.yaml:1:1: the file is missing the required key "users"');
  });
});
