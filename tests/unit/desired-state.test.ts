import { describe, expect, it } from "vitest";
import { chunk, LIST_LIMIT } from "../../src/model/chunks";
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
  it("splits lists at 1,000 entries", () => {
    expect(LIST_LIMIT).toBe(1000);
    expect(chunk([])).toEqual([]);
    expect(sizes(chunk(Array(1000).fill("x")))).toEqual([1000]);
    expect(sizes(chunk(Array(1001).fill("x")))).toEqual([1000, 1]);
    expect(sizes(chunk(Array(2500).fill("x")))).toEqual([1000, 1000, 500]);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("keeps 1,000 emails and serials in one list and puts the 1,001st in a second, in sorted order", () => {
    const one = buildDesiredState(users(1000), SESSIONS, TODAY);
    expect(sizes(one.emailChunks)).toEqual([1000]);
    expect(sizes(one.serialsByOs.macos)).toEqual([1000]);

    const state = buildDesiredState(users(1001), SESSIONS, TODAY);
    expect(sizes(state.emailChunks)).toEqual([1000, 1]);
    expect(state.emailChunks[0][999]).toBe("u0999@example.org");
    expect(state.emailChunks[1]).toEqual(["u1000@example.org"]);
    expect(sizes(state.serialsByOs.macos)).toEqual([1000, 1]);
    expect(state.serialsByOs.macos[1]).toEqual(["S1000"]);
    expect(state.serialsByOs.windows).toEqual([]);
  });

  it("chunks a generated 2,500-user file end to end", () => {
    const generated = generateUsers(2500);
    const state = stateOf(generateUsersYaml(2500));
    expect(sizes(state.emailChunks)).toEqual([1000, 1000, 500]);
    expect(state.emailChunks.flat()).toEqual(generated.map((u) => u.email).sort());
    for (const os of ["macos", "windows", "linux"] as const) {
      const expected = generated
        .flatMap((u) => u.devices)
        .filter((d) => d.os === undefined || d.os === os)
        .map((d) => d.serial)
        .sort();
      expect(state.serialsByOs[os].flat(), os).toEqual(expected);
      expect(
        state.serialsByOs[os].every((c) => c.length <= 1000),
        os,
      ).toBe(true);
    }
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
