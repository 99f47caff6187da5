import { describe, expect, it } from "vitest";
import { loadUsersText } from "../../src/users/load";
import { formatProblems } from "../../src/users/problems";
import { MAX_DEPTH } from "../../src/users/syntax";
import { FILE, problemOf, problemsOf, TODAY, yaml } from "./helpers/users";

// The files a new user wrote that `npm run validate` let through or explained badly (issue 15): each
// gets one precise message at the line and column of its cause, with the fix.

/** The problem lines for a file given as bytes, as `npm run validate` reads it. */
const bytesProblems = (bytes: Uint8Array) => {
  const loaded = loadUsersText(bytes, FILE, TODAY);
  expect(loaded.state, "expected problems").toBeUndefined();
  return formatProblems(loaded.problems).split("\n").slice(0, -1);
};

const VALID = "users:\n  - email: alice@example.org\n    devices: [{ serial: C02XL0GHJGH5 }]\n";
const SAVE = "save it as UTF-8 (in Notepad: File → Save as → Encoding: UTF-8)";

function utf16(text: string, order: "le" | "be", bom: boolean): Uint8Array {
  const bytes = Buffer.from((bom ? "\uFEFF" : "") + text, "utf16le");
  if (order === "be") bytes.swap16();
  return new Uint8Array(bytes);
}

describe("lockout: validate refuses what plan and up would refuse", () => {
  it("refuses a file where every user has devices: [], at the users list", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: []
        - email: bob@example.org
          devices: []
    `),
    ).toBe(
      "users.yaml:2:3: no active user has a registered device: nobody could pass the device check, so the application would admit nobody; add a device to at least one user, e.g. `devices: [{ serial: C02XL0GHJGH5, os: macos }]`",
    );
  });

  it("counts only active users: a device of an expired user does not help", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: []
        - email: carol@example.org
          expires: 2026-11-01
          devices: [{ serial: FVFZK1ABQ6L4 }]
    `),
    ).toMatch(/^users\.yaml:2:3: no active user has a registered device: /);
  });

  it("accepts the file once one active user has a device", () => {
    expect(loadUsersText(VALID, FILE, TODAY).problems).toEqual([]);
  });
});

describe("invisible characters written as YAML escapes", () => {
  const RETYPE = "delete it and retype the text around it (it often comes from copying out of a PDF or chat)";
  it.each([
    ["a bidi override in a name", '"Alice\\u202Eevil"', 17, "U+202E", "\\u202E"],
    ["a zero-width space in a label", '"lap\\u200Btop"', 15, "U+200B", "\\u200B"],
    ["a long escape", '"Alice\\U0000200Fx"', 17, "U+200F", "\\U0000200F"],
    ["a hex escape of a control", '"Alice\\x07"', 17, "U+0007", "\\x07"],
    ["a named escape (ESC)", '"Alice\\e"', 17, "U+001B", "\\e"],
  ])(
    "refuses %s like a raw one, at the backslash, naming the code point",
    (_, written, col, code, escape) => {
      expect(problemOf(`users:\n  - email: alice@example.org\n    name: ${written}\n    devices: []\n`)).toBe(
        `users.yaml:3:${col}: invisible or control character ${code} written as the escape ${escape}; ${RETYPE}`,
      );
    },
  );

  it("refuses the escape in a label too, and keeps allowed escapes (tab, an escaped backslash)", () => {
    expect(
      problemsOf(
        'users:\n  - email: alice@example.org\n    name: "A\\tB \\\\u202E"\n    devices: [{ serial: A1, label: "lap\\u200Btop" }]\n',
      ),
    ).toEqual([
      `users.yaml:4:40: invisible or control character U+200B written as the escape \\u200B; ${RETYPE}`,
    ]);
  });
});

describe("encodings other than UTF-8", () => {
  it.each([
    ["le", true, "UTF-16 (little-endian)"],
    ["be", true, "UTF-16 (big-endian)"],
    ["le", false, "UTF-16 (little-endian)"],
    ["be", false, "UTF-16 (big-endian)"],
  ] as const)("a UTF-16 %s file (BOM: %s) is one line saying to save it as UTF-8", (order, bom, name) => {
    expect(bytesProblems(utf16(VALID, order, bom))).toEqual([
      `users.yaml:1:1: the file is saved as ${name}, not UTF-8: ${SAVE}`,
    ]);
  });

  it("Latin-1 bytes: one line at the first bad byte", () => {
    const latin1 = Buffer.from(
      "users:\n  - email: alice@example.org\n    name: Ren\u00e9e M\u00fcller\n    devices: []\n",
      "latin1",
    );
    expect(bytesProblems(new Uint8Array(latin1))).toEqual([
      `users.yaml:3:14: byte 0xE9 is not valid UTF-8 (it looks like "é" saved as Latin-1 or Windows-1252): ${SAVE}`,
    ]);
  });

  it("counts the column in characters after valid UTF-8 on the same line", () => {
    const bytes = Buffer.concat([
      Buffer.from("users:\n  - email: alice@example.org\n    name: Zoë ", "utf8"),
      Buffer.from([0x80]),
      Buffer.from("\n    devices: []\n"),
    ]);
    expect(bytesProblems(new Uint8Array(bytes))).toEqual([
      `users.yaml:3:15: byte 0x80 is not valid UTF-8: ${SAVE}`,
    ]);
  });

  it("reads valid UTF-8 bytes, with or without a BOM", () => {
    for (const text of [VALID, "\uFEFF" + VALID])
      expect(loadUsersText(new Uint8Array(Buffer.from(text, "utf8")), FILE, TODAY).problems).toEqual([]);
  });
});

describe("structure", () => {
  const DEEP = `nesting deeper than ${MAX_DEPTH} levels: users.yaml needs 5 at most (users, a user, devices, a device); remove the extra brackets or indentation`;
  it("deeply nested brackets: a clear limit at the first bracket too deep, not a stack overflow", () => {
    const text = `users:\n  - email: a@example.org\n    devices: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    expect(problemOf(text)).toBe(`users.yaml:3:${14 + MAX_DEPTH - 3}: ${DEEP}`);
  });

  it("deeply nested block lists too", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${" ".repeat(6 + 2 * i)}-`);
    const text = `users:\n  - email: a@example.org\n    devices:\n${lines.join("\n")}\n`;
    expect(problemOf(text)).toMatch(new RegExp(`^users\\.yaml:\\d+:\\d+: ${DEEP.replace(/[()]/g, "\\$&")}$`));
  });

  it("an unclosed [ is reported where it opens, once, even when more entries follow", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: [{ serial: A1 }
        - email: bob@example.org
          devices: []
    `),
    ).toBe(
      "users.yaml:3:14: YAML syntax error: this [ is never closed: add the matching ] (a flow collection must be closed before the next key or list item)",
    );
  });

  it("merge keys: one message per <<, nothing about the keys it would have merged", () => {
    expect(
      problemsOf(yaml`
      defaults: &laptop
        devices: [{ serial: C02XL0GHJGH5 }]
      users:
        - <<: *laptop
          email: alice@example.org
    `),
    ).toEqual([
      'users.yaml:4:5: merge keys (<<) are not supported: write the keys out in this entry instead of merging *laptop, then delete "defaults:"',
    ]);
    expect(
      problemsOf(yaml`
      users:
        - &alice
          email: alice@example.org
          devices: [{ serial: C02XL0GHJGH5 }]
        - <<: *alice
          email: bob@example.org
    `),
    ).toEqual([
      "users.yaml:5:5: merge keys (<<) are not supported: write the keys out in this entry instead of merging *alice",
    ]);
  });

  it("a mis-indented devices item points at its own dash, naming the column of the item above", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
          - serial: FVFZK1ABQ6L4
    `),
    ).toBe(
      'users.yaml:5:5: YAML syntax error: this list item starts at column 5, but the item above it (line 4) starts at column 7: line up the "-" of every item in the list',
    );
  });

  it("a mis-indented key of a device points at the key", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices:
            - serial: C02XL0GHJGH5
             os: macos
    `),
    ).toBe(
      "users.yaml:5:8: YAML syntax error: this line starts at column 8, but the key above it (line 4) starts at column 9: indent the keys of one entry alike",
    );
  });
});

describe("the actual cause of a refused value", () => {
  const email = (written: string) => `users:\n  - email: ${written}\n    devices: [{ serial: A1 }]\n`;
  it.each([
    [
      "a trailing space",
      '"alice@example.org "',
      'users[0].email "alice@example.org " ends with a space: delete it (alice@example.org)',
    ],
    [
      "a Cyrillic а that looks Latin",
      "\u0430lice@example.org",
      'users[0].email "аlice@example.org" contains the Cyrillic letter "а" (U+0430), which looks like the Latin "a": retype it with Latin letters: alice@example.org',
    ],
    [
      "a Greek ο that looks Latin",
      "b\u03bfb@example.org",
      'users[0].email "bοb@example.org" contains the Greek letter "ο" (U+03BF), which looks like the Latin "o": retype it with Latin letters: bob@example.org',
    ],
    [
      "a display name",
      "Alice <alice@example.org>",
      'users[0].email is "Alice <alice@example.org>": write only the address: alice@example.org (put the name in name:)',
    ],
    [
      "a mailto: link",
      "mailto:alice@example.org",
      'users[0].email is "mailto:alice@example.org": write only the address: alice@example.org',
    ],
  ])("email with %s", (_, written, message) => {
    expect(problemOf(email(written))).toBe(`users.yaml:2:12: ${message}`);
  });

  it("warp: 7d says to write 168h (days are not accepted)", () => {
    expect(problemOf(`sessions:\n  warp: 7d\n${VALID}`)).toBe(
      "users.yaml:2:9: sessions.warp is 7d: write 168h (a duration is a whole number followed by h or m; days are not accepted)",
    );
  });

  it.each([
    ["macOS", "macos"],
    ["Windows", "windows"],
    ["osx", "macos"],
    ["ubuntu", "linux"],
  ])("os: %s gets a did-you-mean %s", (written, meant) => {
    expect(
      problemOf(
        `users:\n  - email: a@example.org\n    devices:\n      - serial: A1\n        os: ${written}\n`,
      ),
    ).toBe(
      `users.yaml:5:13: users[0].devices[0].os is "${written}": did you mean "${meant}"? (os is one of macos, windows, linux, in lower case)`,
    );
  });
});
