// A bad users.yaml stops `up` before anything is touched: the run fails with every problem as
// FILE:LINE:COL, and Cloudflare receives no write at all (no POST/PUT/PATCH/DELETE), whether the
// account is empty or already managed (a typo must never delete everyone).
import { readFileSync } from "node:fs";
import { CommandError } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { capture, describeRequest, describeSteps, writeRequests } from "../../bench/harness/product-run";

const BAD = [
  "sessions:",
  "  app: 30h",
  "users:",
  "  - emial: a@example.org",
  "    devices: []",
  "  - email: b@example.org",
  "    devices: [{ serial: 'bad serial' }]",
  "",
].join("\n");

const EXPECTED_PROBLEMS = [
  "users.yaml:2:8: sessions.app is 30h: the app session must be between 4h and 24h",
  /users\.yaml:2:8: sessions\.warp \(24h, the default\) is shorter than sessions\.app \(30h\)/,
  'users.yaml:4:5: unknown key "emial" in users[0]: did you mean "email"?',
  "users.yaml:7:25: users[1].devices[0].serial: serial must be 1 to 64 letters, digits or '-'",
];

async function failingUp(product: ProductStack): Promise<string> {
  const run = capture();
  const err = await product.stack.up(run.opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CommandError);
  return run.text();
}

function expectProblems(text: string): void {
  for (const p of EXPECTED_PROBLEMS) {
    if (typeof p === "string") expect(text).toContain(p);
    else expect(text).toMatch(p);
  }
  expect(text).toMatch(/4 problems found; nothing was changed\./);
  // The problems are the whole story: no JavaScript stack trace.
  expect(text).not.toMatch(/\n\s+at .+\.(ts|js):\d+:\d+/);
}

describe("a bad users.yaml on an empty account", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BAD, name: "zt-e2e-bad-new" });
  });

  afterAll(async () => {
    await product?.close();
  });

  it("up fails with the validation messages and the API receives no write", async () => {
    expectProblems(await failingUp(product));
    expect(writeRequests(product.emulator.requests()).map(describeRequest)).toEqual([]);
    expect(product.emulator.state.data.lists).toEqual([]);
  });
});

describe("a bad users.yaml on a managed account", () => {
  let product: ProductStack;
  const GOOD = readFileSync("users.yaml", "utf8");

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: GOOD, name: "zt-e2e-bad-existing" });
    await product.stack.up(capture().opts);
  });

  afterAll(async () => {
    await product?.close();
  });

  it("up fails with the validation messages, writes nothing and deletes nothing", async () => {
    const listsBefore = structuredClone(product.emulator.state.data.lists);
    product.emulator.clearRequests();
    product.writeUsers(BAD);
    expectProblems(await failingUp(product));
    expect(writeRequests(product.emulator.requests()).map(describeRequest)).toEqual([]);
    expect(product.emulator.state.data.lists).toEqual(listsBefore);
  });

  it("preview fails the same way", async () => {
    const run = capture();
    const err = await product.stack.preview(run.opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expectProblems(run.text());
  });

  it("with the file fixed, the stack is exactly as before", async () => {
    product.writeUsers(GOOD);
    const run = capture();
    await product.stack.preview({ ...run.opts, refresh: true });
    expect(describeSteps(run.steps().filter((s) => s.op !== "same"))).toEqual([]);
  });
});
