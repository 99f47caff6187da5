import { describe, expect, it } from "vitest";
import { problemOf, stateOf, yaml } from "./helpers/users";

describe("devices in users.yaml", () => {
  it("accepts an empty device list (the user then cannot pass the device check)", () => {
    const state = stateOf(yaml`
      users:
        - email: alice@example.org
          devices: []
    `);
    expect(state.activeUsers.map((u) => [u.email, u.devices])).toEqual([["alice@example.org", []]]);
    expect(state.serialsByOs).toEqual({ macos: [], windows: [], linux: [] });
  });

  it("requires the devices key", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
    `),
    ).toBe('users.yaml:2:5: users[0] is missing the required key "devices"');
  });

  it("rejects devices that are not a list", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: C02XL0GHJGH5
    `),
    ).toBe(
      'users.yaml:3:14: users[0].devices: devices must be a list of devices, e.g. `devices: [{ serial: C02XL0GHJGH5, os: macos }]` (got string "C02XL0GHJGH5")',
    );
  });

  it("rejects an empty devices value (null is not an empty list)", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
    `),
    ).toBe(
      "users.yaml:3:13: users[0].devices: devices must be a list of devices, e.g. `devices: [{ serial: C02XL0GHJGH5, os: macos }]` (got nothing (null))",
    );
  });

  it("rejects a device written as a bare serial", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - C02XL0GHJGH5
    `),
    ).toBe(
      'users.yaml:4:9: users[0].devices[0]: a device must be a mapping such as `- serial: C02XL0GHJGH5` (with optional os and label) (got string "C02XL0GHJGH5")',
    );
  });

  it("rejects a user written as a bare email", () => {
    expect(
      problemOf(yaml`
      users:
        - alice@example.org
    `),
    ).toBe(
      'users.yaml:2:5: users[0]: a user must be a mapping that starts with `- email: ...` and has a devices list (got string "alice@example.org")',
    );
  });

  it("rejects users that are not a list", () => {
    expect(
      problemOf(yaml`
      users:
        email: alice@example.org
        devices: []
    `),
    ).toBe(
      "users.yaml:2:3: users must be a list of users (each item starts with `- email: ...`) (got a mapping)",
    );
  });

  it("requires a serial on every device", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - os: macos
    `),
    ).toBe('users.yaml:4:9: users[0].devices[0] is missing the required key "serial"');
  });

  it("rejects an unknown os", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
              os: ios
    `),
    ).toBe(
      "users.yaml:5:13: users[0].devices[0].os: os must be one of macos, windows, linux (or leave it out to allow the serial on any OS)",
    );
  });

  it("limits labels to 100 characters", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
              label: ${"x".repeat(101)}
    `),
    ).toBe("users.yaml:5:16: users[0].devices[0].label: label is limited to 100 characters");
  });
});
