import { expect, test } from "vitest";
import { Recorded, runProgram } from "./helpers/run-program";

// Validation happens before any resource is declared: a bad file or bad config changes nothing.

async function refusal(
  options: Parameters<typeof runProgram>[0],
): Promise<{ message: string; declared: Recorded[] }> {
  const error = await runProgram(options).then(
    () => undefined,
    (e: Error & { declared: Recorded[] }) => e,
  );
  if (!error) throw new Error("the program accepted input it should refuse");
  return error;
}

const managed = (declared: Recorded[]) => declared.filter((r) => !r.type.startsWith("pulumi:pulumi:Stack"));

test("a bad users.yaml fails with every problem and declares no resource", async () => {
  const { message, declared } = await refusal({
    usersYaml:
      "users:\n  - emial: a@example.org\n    devices: []\n  - email: b@example.org\n    devices: [{ serial: 'bad serial' }]\n",
  });
  expect(message).toContain('users.yaml:2:5: unknown key "emial" in users[0]: did you mean "email"?');
  expect(message).toContain(
    "users.yaml:5:25: users[1].devices[0].serial: serial must be 1 to 64 letters, digits or '-'",
  );
  expect(managed(declared)).toEqual([]);
});

test("bad stack config and bad users.yaml are reported together, before anything is declared", async () => {
  const { message, declared } = await refusal({
    usersYaml: "users: []\n",
    config: {
      privateNetwork: { cidr: "172.18.0.0/33", internalDomain: "ocs.local", dnsmasqAddress: "172.18.0.53" },
    },
  });
  expect(message).toContain(
    'zt:privateNetwork.cidr: "172.18.0.0/33" is not an IPv4 CIDR such as 172.18.0.0/16',
  );
  expect(message).toContain(
    "zt:privateNetwork.internalDomain: the .local top-level domain is reserved for mDNS and will not resolve through WARP",
  );
  expect(message).toContain(
    "users.yaml:1:8: users is empty: with no user nobody could sign in, which would lock everyone out",
  );
  expect(message).toMatch(/3 problems found; nothing was changed\.$/);
  expect(managed(declared)).toEqual([]);
});

test("a file where nobody has a device is refused: the application would admit nobody", async () => {
  const { message, declared } = await refusal({
    usersYaml: "users:\n  - email: a@example.org\n    devices: []\n",
  });
  expect(message).toContain("refused: no active user has a registered device");
  expect(managed(declared)).toEqual([]);
});
