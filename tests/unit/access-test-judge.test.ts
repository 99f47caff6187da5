import { describe, expect, it } from "vitest";
import { describeTest, judge } from "../../src/zt/access-test";
import type { AccessTest } from "../../src/model/portal";

const user: AccessTest = { user: "jo@acme.example", app: "internal-api", expect: "deny", line: 19 };
const device: AccessTest = {
  user: "alice@example.org",
  device: "C02XL0GHJGH5",
  app: "portal",
  expect: "allow",
  line: 18,
};
const token: AccessTest = { serviceToken: "ci-deploy", app: "internal-api", expect: "allow", line: 20 };

describe("zt test: one test's outcome from the policy tester's answer", () => {
  it("passes when the tester agrees, fails with the line when it does not", () => {
    expect(judge(user, "blocked")).toEqual({ status: "PASS", detail: "deny" });
    expect(judge(user, "approved")).toEqual({
      status: "FAIL",
      detail: "the account says allow; users.yaml line 19 expects deny",
    });
  });

  it("says the device is the user's most recent one, not the test's", () => {
    expect(judge(device, "approved").detail).toBe(
      "allow (evaluated with alice@example.org's most recent device, not necessarily C02XL0GHJGH5)",
    );
  });

  it("never counts a user who never signed in, an error, or a service token as a pass", () => {
    expect(judge(user, "absent")).toEqual({
      status: "CANNOT RUN",
      detail:
        "jo@acme.example never signed in to this account, and the policy tester only knows users who have",
    });
    expect(judge(user, "error").status).toBe("CANNOT RUN");
    expect(judge(token, "approved").status).toBe("CANNOT RUN");
    expect(describeTest(token)).toBe("token ci-deploy -> internal-api: expect allow");
  });
});
