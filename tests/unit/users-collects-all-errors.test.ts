import { describe, expect, it } from "vitest";
import { loadUsersText } from "../../src/users/load";
import { formatProblems, InputError } from "../../src/diagnostics/problems";
import { FILE, problemsOf, TODAY, yaml } from "./helpers/users";

// One pass reports everything: schema problems and cross-entry checks together, sorted by position.
const MANY_PROBLEMS = yaml`
  sessions:
    app: 2h
    warp: 1h
  users:
    - email: alice@example.org
      devices:
        - serial: C02XL0GHJGH5
    - emial: bob@example.org
      devices: []
    - email: carol.example.org
      expires: 2027-02-30
      devices:
        - serial: "bad serial"
          os: beos
    - email: Alice@example.org
      devices:
        - serial: C02XL0GHJGH5
`;

describe("every problem is reported, not just the first", () => {
  it("lists schema and cross-entry problems together, in file order", () => {
    expect(problemsOf(MANY_PROBLEMS)).toEqual([
      "users.yaml:2:8: sessions.app is 2h: the app session must be between 4h and 24h",
      "users.yaml:3:9: sessions.warp is 1h: the WARP session must be between 8h and 168h",
      "users.yaml:3:9: sessions.warp (1h) is shorter than sessions.app (2h): users would lose the network while the app still thinks they are signed in; set warp to at least 2h",
      'users.yaml:8:5: unknown key "emial" in users[1]: did you mean "email"?',
      "users.yaml:10:12: users[2].email: email must be a valid address such as alice@example.org",
      "users.yaml:11:14: expires 2027-02-30 is not a real date; write YYYY-MM-DD, e.g. 2027-03-31",
      "users.yaml:13:17: users[2].devices[0].serial: serial must be 1 to 64 letters, digits or '-' (copy it from About This Mac, `wmic bios get serialnumber` or `dmidecode -s system-serial-number`)",
      "users.yaml:14:13: users[2].devices[0].os: os must be one of macos, windows, linux (or leave it out to allow the serial on any OS)",
      "users.yaml:15:12: alice@example.org is listed twice (first at line 5); keep one entry and merge the devices",
      "users.yaml:17:17: serial C02XL0GHJGH5 is already registered to alice@example.org (line 7); a device belongs to one person: remove one of them",
    ]);
  });

  it("ends the printed block with the count", () => {
    const loaded = loadUsersText(MANY_PROBLEMS, FILE, TODAY);
    expect(formatProblems(loaded.problems).split("\n").at(-1)).toBe(
      "10 problems found; nothing was changed.",
    );
  });

  it("says 1 problem, not 1 problems", () => {
    expect(formatProblems([{ file: FILE, line: 1, col: 1, message: "x" }])).toBe(
      "users.yaml:1:1: x\n1 problem found; nothing was changed.",
    );
  });

  it("carries every problem in the InputError thrown to the Pulumi program", () => {
    const { problems } = loadUsersText(MANY_PROBLEMS, FILE, TODAY);
    const error = new InputError(problems);
    expect(error.problems).toHaveLength(10);
    expect(error.message).toBe(formatProblems(problems));
  });

  it("still reports that everyone has expired when another check fails", () => {
    expect(
      problemsOf(yaml`
      users:
        - email: alice@example.org
          expires: 2026-01-31
          devices:
            - serial: C02XL0GHJGH5
        - email: bob@example.org
          expires: 2026-06-30
          devices:
            - serial: C02XL0GHJGH5
    `),
    ).toEqual([
      "users.yaml:2:3: every user has expired (today is 2026-11-23): nobody could sign in; extend an expires date or add a user",
      "users.yaml:9:17: serial C02XL0GHJGH5 is already registered to alice@example.org (line 5); a device belongs to one person: remove one of them",
    ]);
  });

  it("reports invisible characters alongside the schema problems they cause", () => {
    expect(
      problemsOf(
        "users:\n  - email: alice@example.org\n    devices: []\n  - email: bob\u00A0@example.org\u200E\n    devices: []\n  - emali: carol@example.org\n    devices: []\n",
      ),
    ).toEqual([
      "users.yaml:4:12: users[1].email: email must be a valid address such as alice@example.org",
      "users.yaml:4:28: invisible or control character U+200E; delete it and retype the text around it (it often comes from copying out of a PDF or chat)",
      'users.yaml:6:5: unknown key "emali" in users[2]: did you mean "email"?',
    ]);
  });
});
