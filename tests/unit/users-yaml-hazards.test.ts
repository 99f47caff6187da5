import { describe, expect, it } from "vitest";
import { problemOf, problemsOf, stateOf, yaml } from "./helpers/users";

const INVISIBLE = (code: string) =>
  `invisible or control character U+${code}; delete it and retype the text around it (it often comes from copying out of a PDF or chat)`;
const EMPTY =
  "the file is empty: it must contain `users:` with at least one user (an empty list would lock everyone out)";

/** A valid file whose name field (line 3, value from column 11) holds `name`. */
const withName = (name: string) => yaml`
  users:
    - email: alice@example.org
      name: ${name}
      devices: []
`;

describe("control and invisible characters", () => {
  it.each([
    ["a C0 control (BEL)", "\u0007", "0007"],
    ["an escape (ESC)", "\u001B", "001B"],
    ["DEL", "\u007F", "007F"],
    ["a C1 control (NEL)", "\u0085", "0085"],
    ["a bidi override (RLO)", "\u202E", "202E"],
    ["a bidi isolate (RLI)", "\u2067", "2067"],
    ["a bidi mark (RLM)", "\u200F", "200F"],
    ["an Arabic letter mark (ALM)", "\u061C", "061C"],
    ["a zero-width space", "\u200B", "200B"],
    ["a zero-width joiner", "\u200D", "200D"],
    ["a word joiner", "\u2060", "2060"],
    ["a byte order mark inside the file", "\uFEFF", "FEFF"],
  ])("rejects %s with its code point and position", (_, char, code) => {
    expect(problemOf(withName(`Alice${char} Martin`))).toBe(`users.yaml:3:16: ${INVISIBLE(code)}`);
  });

  it("reports every invisible character, each at its own position", () => {
    expect(problemsOf(withName("\u202EAlice\u200B"))).toEqual([
      `users.yaml:3:11: ${INVISIBLE("202E")}`,
      `users.yaml:3:17: ${INVISIBLE("200B")}`,
    ]);
  });

  it("reports a character hidden in an email as well as the invalid address", () => {
    expect(problemsOf("users:\n  - email: alice\u200B@example.org\n    devices: []\n")).toEqual([
      "users.yaml:2:12: users[0].email: email must be a valid address such as alice@example.org",
      `users.yaml:2:17: ${INVISIBLE("200B")}`,
    ]);
  });

  it("finds characters in comments too (a bidi override can disguise the line it sits on)", () => {
    expect(
      problemOf(`# reviewed \u202Eyb devorppa\nusers:\n  - email: alice@example.org\n    devices: []\n`),
    ).toBe(`users.yaml:1:12: ${INVISIBLE("202E")}`);
  });

  it("accepts tabs inside values, CRLF line endings and a leading byte order mark", () => {
    expect(stateOf(withName('"Alice\tMartin"')).users[0].name).toBe("Alice\tMartin");
    expect(
      stateOf("\uFEFFusers:\r\n  - email: alice@example.org\r\n    devices: []\r\n").emailChunks,
    ).toEqual([["alice@example.org"]]);
  });

  it("keeps positions right with CRLF line endings", () => {
    expect(
      problemOf(
        "users:\r\n  - email: alice@example.org\r\n    devices: []\r\n  - email: alice@example.org\r\n    devices: []\r\n",
      ),
    ).toBe(
      "users.yaml:4:12: alice@example.org is listed twice (first at line 2); keep one entry and merge the devices",
    );
  });
});

describe("YAML syntax errors", () => {
  it("rejects tab indentation", () => {
    expect(problemOf("users:\n\t- email: alice@example.org\n")).toBe(
      "users.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation",
    );
  });

  it("rejects an unclosed quote", () => {
    expect(
      problemOf(yaml`
      users:
        - email: "alice@example.org
          devices: []
    `),
    ).toBe('users.yaml:4:1: YAML syntax error: Missing closing "quote');
  });

  it("rejects an unclosed flow list where the bracket opens, not past the end of the file", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: [
    `),
    ).toBe(
      "users.yaml:3:14: YAML syntax error: this [ is never closed: add the matching ] (a flow collection must be closed before the next key or list item)",
    );
  });

  it("rejects a second YAML document", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: []
      ---
      users: []
    `),
    ).toBe(
      "users.yaml:4:1: YAML syntax error: Source contains multiple documents; please use YAML.parseAllDocuments()",
    );
  });
});

describe("duplicate keys", () => {
  it("rejects a key written twice in a user, at the second one", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          email: bob@example.org
          devices: []
    `),
    ).toBe(
      "users.yaml:3:5: Map keys must be unique: the same key is written twice in one mapping; keep one of them",
    );
  });

  it("rejects a second users list (which would silently replace the first)", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: []
      users:
        - email: bob@example.org
          devices: []
    `),
    ).toBe(
      "users.yaml:4:1: Map keys must be unique: the same key is written twice in one mapping; keep one of them",
    );
  });
});

describe("empty and non-mapping files", () => {
  it.each([
    ["an empty file", ""],
    ["a file of blank lines", "\n  \n\n"],
    ["a file of comments only", "# users.yaml\n# nobody yet\n"],
  ])("rejects %s", (_, text) => {
    expect(problemOf(text)).toBe(`users.yaml:1:1: ${EMPTY}`);
  });

  it("rejects an explicit null document", () => {
    expect(problemOf("~\n")).toBe(
      'users.yaml:1:1: the file must be a mapping with a "users:" list, not nothing (null)',
    );
  });

  it("rejects a list at the top", () => {
    expect(problemOf("- email: alice@example.org\n")).toBe(
      'users.yaml:1:1: the file must be a mapping with a "users:" list, not a list',
    );
  });

  it("rejects a file larger than 5 MB", () => {
    expect(problemOf(`# ${"x".repeat(5_000_000)}\n`)).toBe(
      "users.yaml:1:1: the file is larger than 5 MB; split it or remove unused entries",
    );
  });
});

describe("anchors and aliases", () => {
  it("rejects an alias expansion bomb inside a user, at the first alias", () => {
    expect(
      problemOf(yaml`
      users:
        - email: alice@example.org
          devices: &a [{ serial: A1 }, { serial: A1 }, { serial: A1 }, { serial: A1 }, { serial: A1 }]
          name: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
          label: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
          expires: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    `),
    ).toBe(
      "users.yaml:4:15: too many YAML alias expansions (more than 100); write the entries out instead of using anchors and aliases",
    );
  });

  it("rejects a billion laughs quickly, without expanding it", () => {
    // lol0: &l0 [lol, lol, ...9], lol1: &l1 [*l0 x9], ... lol8: 9^9 = 387,420,489 strings if expanded.
    const levels = Array.from(
      { length: 9 },
      (_, i) =>
        `lol${i}: &l${i} [${Array(9)
          .fill(i === 0 ? "lol" : `*l${i - 1}`)
          .join(", ")}]`,
    );
    const started = performance.now();
    expect(
      problemOf([...levels, "users:", "  - email: alice@example.org", "    devices: []", ""].join("\n")),
    ).toBe(
      "users.yaml:2:12: too many YAML alias expansions (more than 100); write the entries out instead of using anchors and aliases",
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("accepts a few aliases", () => {
    const state = stateOf(yaml`
      users:
        - email: alice@example.org
          devices: &none []
        - email: bob@example.org
          devices: *none
    `);
    expect(state.users.map((u) => u.devices)).toEqual([[], []]);
  });
});
