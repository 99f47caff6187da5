import { describe, expect, it } from "vitest";
import { chunk, LIST_LIMIT, LIST_TARGET, listCount, listIndexOf } from "../../src/model/chunks";
import { buildDesiredState, DesiredUser, isoDay, summarize } from "../../src/model/desired";
import { durationMinutes, formatDuration, humanDuration } from "../../src/model/sessions";
import { generateUsers, generateUsersYaml } from "../../bench/harness/generate-users";
import { stateOf, TODAY, yaml } from "./helpers/users";

const SESSIONS = { appMinutes: 480, warpMinutes: 1440, app: "8h", warp: "24h" };

/** `n` active users u0000@example.org... each with one macos device S0000... */
function users(n: number): DesiredUser[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i).padStart(4, "0");
    return {
      email: `u${id}@example.org`,
      expired: false,
      line: i + 2,
      devices: [{ serial: `S${id}`, os: "macos", line: i + 3 }],
    };
  });
}

const sizes = (chunks: string[][]) => chunks.map((c) => c.length);

describe("chunking", () => {
  const ids = (n: number, prefix = "u") => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);

  it("one list up to 600 entries, then a power of two of lists at most 600 on average, never over 1,000", () => {
    expect(LIST_LIMIT).toBe(1000);
    expect(LIST_TARGET).toBe(600);
    expect(chunk([])).toEqual([]);
    expect(sizes(chunk(ids(600)))).toEqual([600]);
    expect([1, 600, 601, 1000, 1001, 1200, 1201, 2400, 2401, 5000].map((n) => listCount(n))).toEqual([
      1, 1, 2, 2, 2, 2, 4, 4, 8, 16,
    ]);
    for (const n of [601, 1000, 2500, 5000]) {
      const lists = chunk(ids(n));
      expect(lists).toHaveLength(listCount(n));
      expect(lists.flat().sort()).toEqual(ids(n).sort());
      expect(Math.max(...sizes(lists)), `${n} entries`).toBeLessThanOrEqual(LIST_LIMIT);
    }
    // 5,000 users with three OS lists each stay far inside Cloudflare's 100 lists per account.
    expect(listCount(5000) * 4).toBeLessThanOrEqual(100);
  });

  it("each list is sorted and duplicates collapse", () => {
    const lists = chunk([...ids(800), ...ids(800)]);
    expect(lists.flat()).toHaveLength(800);
    for (const l of lists) expect(l).toEqual([...l].sort());
  });

  it("adding one entry changes exactly one list (no neighbour shifts into the next list)", () => {
    const before = chunk(ids(900));
    const after = chunk([...ids(900), "newcomer@example.org"]);
    const changed = after.map((l, i) => JSON.stringify(l) !== JSON.stringify(before[i]));
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(after[listIndexOf("newcomer@example.org", after.length)]).toContain("newcomer@example.org");
  });

  it("when the lists double, entries only move from list i to list i + count (the move the program orders)", () => {
    const before = chunk(ids(600));
    const after = chunk(ids(601));
    expect([before.length, after.length]).toEqual([1, 2]);
    for (const v of after.flat().filter((x) => x !== "u600@example.org")) expect(before[0]).toContain(v);
    const four = chunk(ids(1201));
    expect(four).toHaveLength(4);
    four.forEach((list, i) => {
      for (const v of list) expect(listIndexOf(v, 2)).toBe(i % 2);
    });
  });

  it("chunks a generated 2,500-user file end to end", () => {
    const generated = generateUsers(2500);
    const state = stateOf(generateUsersYaml(2500));
    expect(state.emailChunks).toHaveLength(listCount(2500));
    expect(listCount(2500)).toBe(8);
    expect(state.emailChunks.flat().sort()).toEqual(generated.map((u) => u.email).sort());
    for (const os of ["macos", "windows", "linux"] as const) {
      const expected = generated
        .flatMap((u) => u.devices)
        .filter((d) => d.os === undefined || d.os === os)
        .map((d) => d.serial)
        .sort();
      expect(state.serialsByOs[os].flat().sort(), os).toEqual([...new Set(expected)].sort());
      expect(
        state.serialsByOs[os].every((c) => c.length <= 1000),
        os,
      ).toBe(true);
    }
  });

  it("the 1,001st user lands in one of the lists; every user is in exactly one", () => {
    const state = buildDesiredState(users(1001), SESSIONS, TODAY);
    expect(state.emailChunks).toHaveLength(2);
    expect(state.emailChunks.flat().sort()).toEqual(users(1001).map((u) => u.email));
    expect(state.serialsByOs.macos.flat()).toHaveLength(1001);
    expect(state.serialsByOs.windows).toEqual([]);
  });
});

describe("DesiredState", () => {
  const state = stateOf(yaml`
    users:
      - email: Zoe@Example.org
        devices:
          - serial: WIN-2
            os: windows
          - serial: ANY-1
      - email: bob@example.org
        devices:
          - serial: MAC-9
            os: macos
          - serial: LNX-5
            os: linux
      - email: alice@example.org
        devices: []
  `);

  it("counts a device without os for every OS", () => {
    expect(state.serialsByOs).toEqual({
      macos: [["ANY-1", "MAC-9"]],
      windows: [["ANY-1", "WIN-2"]],
      linux: [["ANY-1", "LNX-5"]],
    });
  });

  it("lower-cases emails and sorts them; users stay in file order", () => {
    expect(state.emailChunks).toEqual([["alice@example.org", "bob@example.org", "zoe@example.org"]]);
    expect(state.users.map((u) => [u.email, u.line])).toEqual([
      ["zoe@example.org", 2],
      ["bob@example.org", 7],
      ["alice@example.org", 13],
    ]);
  });

  it("keeps each device's os, label and line", () => {
    expect(state.users[0].devices).toEqual([
      { serial: "WIN-2", os: "windows", label: undefined, line: 4 },
      { serial: "ANY-1", os: undefined, label: undefined, line: 6 },
    ]);
  });

  it("summarizes users, devices per OS and users without a device", () => {
    expect(summarize(state)).toEqual({
      users: 3,
      activeUsers: 3,
      expiredUsers: 0,
      devices: 4,
      perOs: { macos: 1, windows: 1, linux: 1, any: 1 },
      usersWithoutDevice: ["alice@example.org"],
    });
  });

  it("lists a serial once per OS even when given twice", () => {
    const twice: DesiredUser[] = [
      { email: "a@example.org", expired: false, line: 2, devices: [{ serial: "X1", line: 3 }] },
      { email: "b@example.org", expired: false, line: 4, devices: [{ serial: "X1", os: "linux", line: 5 }] },
    ];
    expect(buildDesiredState(twice, SESSIONS, TODAY).serialsByOs.linux).toEqual([["X1"]]);
  });
});

describe("durations and days", () => {
  it("converts durations", () => {
    expect([durationMinutes("8h"), durationMinutes("90m"), durationMinutes("168h")]).toEqual([
      480, 90, 10080,
    ]);
    expect([formatDuration(480), formatDuration(90), formatDuration(600)]).toEqual(["8h", "90m", "10h"]);
    expect([humanDuration(60), humanDuration(480), humanDuration(90)]).toEqual([
      "1 hour",
      "8 hours",
      "90 minutes",
    ]);
  });

  it("takes the UTC day", () => {
    expect(isoDay(new Date("2026-11-23T23:59:59-05:00"))).toBe("2026-11-24");
  });
});
