import { describe, expect, it } from "vitest";
import { rotateCommand, tokenExpiries, undeclaredTokens } from "../../src/plan/token-expiry";

const NOW = new Date("2026-11-23T12:00:00Z");
const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

describe("service-token expiry in the admin's words", () => {
  it("says 21 days and the renew command, as the issue words it", () => {
    const [e] = tokenExpiries(["ci-deploy"], [{ name: "zt-gitops ci-deploy", expires_at: at(21.5) }], NOW);
    expect(e.status).toBe("soon");
    expect(e.daysLeft).toBe(21);
    expect(e.message).toBe(
      "ci-deploy expires in 21 days (2026-12-15): renew with `npm run zt -- token rotate ci-deploy`",
    );
  });

  it("names the stack in the command off the local stack", () => {
    const [e] = tokenExpiries(["ci"], [{ name: "zt-gitops ci", expires_at: at(3) }], NOW, { stack: "prod" });
    expect(e.message).toContain("`npm run zt -- token rotate ci --stack prod`");
    expect(rotateCommand("ci")).toBe("npm run zt -- token rotate ci");
  });

  it("is quiet (ok) from 30 days, warns at 29, and says expired at and after the instant", () => {
    const account = [
      { name: "zt-gitops a", expires_at: at(30) },
      { name: "zt-gitops b", expires_at: at(29.9) },
      { name: "zt-gitops c", expires_at: at(0) },
      { name: "zt-gitops d", expires_at: at(-2) },
      { name: "zt-gitops e", expires_at: at(0.2) },
    ];
    const r = tokenExpiries(["a", "b", "c", "d", "e"], account, NOW);
    expect(r.map((x) => x.status)).toEqual(["ok", "soon", "expired", "expired", "soon"]);
    expect(r[3].message).toMatch(/^d expired on 2026-11-21: CI using it is locked out; renew with/);
    expect(r[4].message).toContain("expires in less than a day");
  });

  it("a custom threshold moves the warning", () => {
    const [e] = tokenExpiries(["a"], [{ name: "zt-gitops a", expires_at: at(40) }], NOW, { warnDays: 45 });
    expect(e.status).toBe("soon");
  });

  it("forever tokens and tokens not created yet are not warnings", () => {
    const r = tokenExpiries(
      ["f", "new"],
      [{ name: "zt-gitops f", expires_at: "9999-12-31T23:59:59Z" }, { name: "someone else's" }],
      NOW,
    );
    expect(r.map((x) => x.status)).toEqual(["never", "missing"]);
    expect(r[1].message).toBe("new is not in the account yet (the next apply creates it)");
  });

  it("matches by the component's name only (a hand-made token with the bare name is not ours)", () => {
    const r = tokenExpiries(["ci"], [{ name: "ci", expires_at: at(1) }], NOW);
    expect(r[0].status).toBe("missing");
    expect(
      undeclaredTokens(["ci"], [{ name: "zt-gitops ci" }, { name: "zt-gitops old" }, { name: "manual" }]),
    ).toEqual(["zt-gitops old"]);
  });
});
