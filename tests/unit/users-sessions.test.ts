import { describe, expect, it } from "vitest";
import { problemOf, problemsOf, stateOf } from "./helpers/users";

/** A valid user list after a `sessions:` block holding `lines` (app on line 2 if given first). */
const withSessions = (...lines: string[]) =>
  [
    "sessions:",
    ...lines.map((l) => `  ${l}`),
    "users:",
    "  - email: alice@example.org",
    "    devices: []",
    "",
  ].join("\n");

const WARP_SHORTER = "users would lose the network while the app still thinks they are signed in";

describe("sessions in users.yaml", () => {
  it("defaults to app 8h and WARP 24h when sessions is absent", () => {
    const state = stateOf("users:\n  - email: alice@example.org\n    devices: []\n");
    expect(state.sessions).toEqual({ appMinutes: 480, warpMinutes: 1440, app: "8h", warp: "24h" });
  });

  it("defaults each missing duration separately", () => {
    expect(stateOf(withSessions("app: 12h")).sessions).toEqual({
      appMinutes: 720,
      warpMinutes: 1440,
      app: "12h",
      warp: "24h",
    });
    expect(stateOf(withSessions("warp: 72h")).sessions).toEqual({
      appMinutes: 480,
      warpMinutes: 4320,
      app: "8h",
      warp: "72h",
    });
  });

  it("accepts minutes and normalizes whole hours", () => {
    expect(stateOf(withSessions("app: 270m", "warp: 600m")).sessions).toEqual({
      appMinutes: 270,
      warpMinutes: 600,
      app: "270m",
      warp: "10h",
    });
  });

  it("accepts the limits themselves: app 4h and 24h, WARP 8h and 168h", () => {
    expect(stateOf(withSessions("app: 4h", "warp: 8h")).sessions).toMatchObject({
      appMinutes: 240,
      warpMinutes: 480,
    });
    expect(stateOf(withSessions("app: 24h", "warp: 168h")).sessions).toMatchObject({
      appMinutes: 1440,
      warpMinutes: 10080,
    });
  });

  it("rejects an app session shorter than 4h", () => {
    expect(problemOf(withSessions("app: 239m"))).toBe(
      "users.yaml:2:8: sessions.app is 239m: the app session must be between 4h and 24h",
    );
  });

  it("rejects an app session longer than 24h", () => {
    expect(problemOf(withSessions("app: 25h", "warp: 48h"))).toBe(
      "users.yaml:2:8: sessions.app is 25h: the app session must be between 4h and 24h",
    );
  });

  it("rejects a WARP session shorter than 8h", () => {
    expect(problemOf(withSessions("app: 4h", "warp: 7h"))).toBe(
      "users.yaml:3:9: sessions.warp is 7h: the WARP session must be between 8h and 168h",
    );
  });

  it("rejects a WARP session longer than 168h", () => {
    expect(problemOf(withSessions("warp: 169h"))).toBe(
      "users.yaml:2:9: sessions.warp is 169h: the WARP session must be between 8h and 168h",
    );
  });

  it("rejects WARP shorter than app, at warp", () => {
    expect(problemOf(withSessions("app: 20h", "warp: 10h"))).toBe(
      `users.yaml:3:9: sessions.warp (10h) is shorter than sessions.app (20h): ${WARP_SHORTER}; set warp to at least 20h`,
    );
  });

  it("accepts WARP equal to app", () => {
    expect(stateOf(withSessions("app: 12h", "warp: 720m")).sessions).toMatchObject({
      appMinutes: 720,
      warpMinutes: 720,
    });
  });

  it("says when the shorter WARP session is the default one", () => {
    expect(problemsOf(withSessions("app: 1500m"))).toEqual([
      "users.yaml:2:8: sessions.app is 1500m: the app session must be between 4h and 24h",
      `users.yaml:2:8: sessions.warp (24h, the default) is shorter than sessions.app (1500m): ${WARP_SHORTER}; set warp to at least 1500m`,
    ]);
  });

  it("rejects durations not written <n>h or <n>m", () => {
    const DURATION = "sessions.app must be a duration such as 8h (a number followed by h or m)";
    for (const bad of ["0h", "h", "-8h"]) {
      expect(problemOf(withSessions(`app: "${bad}"`)), bad).toBe(`users.yaml:2:8: ${DURATION}`);
    }
    // Mistakes with an obvious meaning get the form to write instead.
    const WRITE = "(a duration is a whole number followed by h or m; days are not accepted)";
    for (const [bad, fix] of [
      ["8 hours", "8h"],
      ["8d", "192h"],
      ["8H", "8h"],
      ["08h", "8h"],
      ["1.5h", "90m"],
    ]) {
      expect(problemOf(withSessions(`app: "${bad}"`)), bad).toBe(
        `users.yaml:2:8: sessions.app is ${bad}: write ${fix} ${WRITE}`,
      );
    }
    expect(problemOf(withSessions("app: 8"))).toBe(`users.yaml:2:8: ${DURATION} (got number 8)`);
    expect(problemOf(withSessions("warp: 1d"))).toBe(
      `users.yaml:2:9: sessions.warp is 1d: write 24h ${WRITE}`,
    );
  });

  it("rejects sessions that are not a mapping", () => {
    expect(problemOf("sessions:\nusers:\n  - email: alice@example.org\n    devices: []\n")).toBe(
      "users.yaml:1:10: sessions must be a mapping such as `sessions: { app: 8h, warp: 24h }` (or leave it out for the defaults) (got nothing (null))",
    );
  });
});
