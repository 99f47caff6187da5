import { describe, expect, it } from "vitest";
import { problemOf, stateOf, yaml } from "./helpers/users";

const SERIAL_FORMAT =
  "serial must be 1 to 64 letters, digits or '-' (copy it from About This Mac, `wmic bios get serialnumber` or `dmidecode -s system-serial-number`)";

/** One user with one device whose serial is written exactly as `serial` (line 4, value at column 17). */
const withSerial = (serial: string) => yaml`
  users:
    - email: alice@example.org
      devices:
        - serial: ${serial}
`;

describe("serials in users.yaml", () => {
  it("accepts 1 to 64 letters, digits and '-'", () => {
    for (const serial of ["X", "C02XL0GHJGH5", "abc-123-DEF", "9".repeat(63) + "Z", "A".repeat(64)]) {
      expect(stateOf(withSerial(serial)).serialsByOs.macos, serial).toEqual([[serial]]);
    }
  });

  it("rejects a 65-character serial", () => {
    expect(problemOf(withSerial("A".repeat(65)))).toBe(
      `users.yaml:4:17: users[0].devices[0].serial: ${SERIAL_FORMAT}`,
    );
  });

  it("rejects an empty serial", () => {
    expect(problemOf(withSerial('""'))).toBe(`users.yaml:4:17: users[0].devices[0].serial: ${SERIAL_FORMAT}`);
  });

  it("rejects a space inside a serial", () => {
    expect(problemOf(withSerial('"C02X L0GH"'))).toBe(
      `users.yaml:4:17: users[0].devices[0].serial: ${SERIAL_FORMAT}`,
    );
  });

  it("rejects characters other than letters, digits and '-'", () => {
    for (const serial of ["C02_XL0", "C02.XL0", "C02/XL0", "Ä02XL0"]) {
      expect(problemOf(withSerial(serial)), serial).toBe(
        `users.yaml:4:17: users[0].devices[0].serial: ${SERIAL_FORMAT}`,
      );
    }
  });

  it("asks for quotes around an all-digit serial (YAML reads it as a number and drops leading zeros)", () => {
    expect(problemOf(withSerial("0123456789"))).toBe(
      'users.yaml:4:17: users[0].devices[0].serial: serial must be text: the device\'s serial number, e.g. C02XL0GHJGH5 (put it in quotes when it is all digits, e.g. serial: "0123456789") (got number 123456789)',
    );
    expect(stateOf(withSerial('"0123456789"')).serialsByOs.linux).toEqual([["0123456789"]]);
  });

  it("rejects the same serial under two users, at the second one", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
        - email: bob@example.org
          devices:
            - serial: PF2ABCDE
            - serial: C02XL0GHJGH5
    `),
    ).toBe(
      "users.yaml:8:17: serial C02XL0GHJGH5 is already registered to alice@example.org (line 4); a device belongs to one person: remove one of them",
    );
  });

  it("compares serials case-insensitively", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
        - email: bob@example.org
          devices:
            - serial: c02xl0ghjgh5
    `),
    ).toBe(
      "users.yaml:7:17: serial c02xl0ghjgh5 is already registered to alice@example.org (line 4); a device belongs to one person: remove one of them",
    );
  });

  it("rejects the same serial twice under one user", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
              os: macos
            - serial: C02XL0GHJGH5
              os: windows
    `),
    ).toBe(
      "users.yaml:6:17: serial C02XL0GHJGH5 is already listed for this user (line 4); a device belongs to one person: remove one of them",
    );
  });
});
