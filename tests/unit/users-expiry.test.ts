import { describe, expect, it } from "vitest";
import { problemOf, stateOf, yaml } from "./helpers/users";

// Carol's contract ends on 2026-11-30: that is her last day of access (UTC).
const TEAM = yaml`
  users:
    - email: alice@example.org
      devices:
        - serial: C02XL0GHJGH5
          os: macos
    - email: carol@example.org
      expires: 2026-11-30
      devices:
        - serial: FVFZK1ABQ6L4
          os: macos
        - serial: R90X2Y3Z
`;

describe("expires in users.yaml", () => {
  it("keeps a user up to and including the expires day", () => {
    for (const today of ["2026-11-23", "2026-11-30"]) {
      const state = stateOf(TEAM, today);
      expect(state.emailChunks, today).toEqual([["alice@example.org", "carol@example.org"]]);
      expect(state.serialsByOs, today).toEqual({
        macos: [["C02XL0GHJGH5", "FVFZK1ABQ6L4", "R90X2Y3Z"]],
        windows: [["R90X2Y3Z"]],
        linux: [["R90X2Y3Z"]],
      });
    }
  });

  it("leaves an expired user out of emailChunks and serialsByOs from the next day, but keeps them in users", () => {
    const state = stateOf(TEAM, "2026-12-01");
    expect(state.today).toBe("2026-12-01");
    expect(state.emailChunks).toEqual([["alice@example.org"]]);
    expect(state.serialsByOs).toEqual({ macos: [["C02XL0GHJGH5"]], windows: [], linux: [] });
    expect(state.activeUsers.map((u) => u.email)).toEqual(["alice@example.org"]);
    expect(state.users.map((u) => [u.email, u.expires, u.expired])).toEqual([
      ["alice@example.org", undefined, false],
      ["carol@example.org", "2026-11-30", true],
    ]);
  });

  it("rejects a file where every user has expired", () => {
    expect(
      problemOf(yaml`
      users:
        - email: carol@example.org
          expires: 2026-11-22
          devices: []
    `),
    ).toBe(
      "users.yaml:2:3: every user has expired (today is 2026-11-23): nobody could sign in; extend an expires date or add a user",
    );
  });

  it("evaluates expiry against the given day, not the clock", () => {
    const carolOnly = "users:\n  - email: carol@example.org\n    expires: 2026-11-30\n    devices: []\n";
    expect(stateOf(carolOnly, "2026-11-30").activeUsers).toHaveLength(1);
    expect(problemOf(carolOnly, "2026-12-01")).toBe(
      "users.yaml:2:3: every user has expired (today is 2026-12-01): nobody could sign in; extend an expires date or add a user",
    );
  });

  it("rejects a date that does not exist", () => {
    expect(
      problemOf(yaml`
      users:
        - email: carol@example.org
          expires: 2027-02-29
          devices: []
    `),
    ).toBe("users.yaml:3:14: expires 2027-02-29 is not a real date; write YYYY-MM-DD, e.g. 2027-03-31");
  });

  it("accepts 29 February in a leap year", () => {
    expect(
      stateOf("users:\n  - email: carol@example.org\n    expires: 2028-02-29\n    devices: []\n").users[0]
        .expires,
    ).toBe("2028-02-29");
  });

  it("rejects a date not written YYYY-MM-DD", () => {
    for (const written of ["30/11/2026", "2026-1-30", "2026-11-30T00:00:00Z", "next friday"]) {
      expect(
        problemOf(`users:\n  - email: carol@example.org\n    expires: ${written}\n    devices: []\n`),
        written,
      ).toBe("users.yaml:3:14: users[0].expires: expires must be a date written YYYY-MM-DD, e.g. 2027-03-31");
    }
  });
});
