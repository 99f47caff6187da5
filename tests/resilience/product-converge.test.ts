// Issue 14 item 5, second half, through the product's own CLI (`tsx src/cli/engine.ts up`, what
// `npm run up` runs) in child processes on a copy of the project, against an emulator this test holds:
//  - `up` killed with SIGKILL (the whole process group: CLI, engine, plugins) while creates are in flight
//    leaves a stale lock and pending creates; the next `up` removes the lock, imports each pending object
//    it finds in Cloudflare by name (clears the rest), says so, and converges: one object of each kind,
//    a refreshed preview steady;
//  - two `up`s at once: the second is refused with exit 1, naming the lock's holder (user, host, pid, time).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  copyProject,
  freePort,
  killGroup,
  ONE_OF_EACH,
  runTsx,
  steadyCheck,
  until,
} from "../e2e/helpers/converge";
import { describeSteps, objectCounts } from "../../bench/harness/product-run";

const STATE = (copy: string) => join(copy, ".pulumi-local", ".pulumi", "stacks", "zt-gitops", "local.json");
const LOCKS = (copy: string) => join(copy, ".pulumi-local", ".pulumi", "locks");
/** Lock files (the file backend also keeps `.attrs` sidecars beside them). */
const locks = (copy: string) => files(LOCKS(copy)).filter((f) => f.endsWith(".json"));

function files(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
    );
  } catch {
    return [];
  }
}

describe("the product's up as a child process", () => {
  let port: number;
  let emulator: RunningEmulator;
  let copy: string;
  const up = () => runTsx(copy, ["src/cli/engine.ts", "up"], port);

  beforeAll(async () => {
    port = await freePort();
    emulator = await startEmulator({ port });
    copy = copyProject("converge", port);
    const toolchain = runTsx(copy, ["toolchain/build.ts", "--quiet"], port);
    expect((await toolchain.exit).code, toolchain.output()).toBe(0);
  });

  afterAll(async () => {
    await emulator?.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("killed with SIGKILL mid-run, the next up resolves the pending creates and converges", async () => {
    // The first list POST is carried out and answered 502 (a lost response): while the provider backs off
    // to retry it, the list exists in Cloudflare and its create is pending in the state. The other list
    // POSTs are held 20 s before Cloudflare handles them, so the kill also lands while they are in flight.
    emulator.faults.add({ method: "POST", path: "/accounts/*/gateway/lists", lostResponse: true, count: 1 });
    emulator.faults.add({ method: "POST", path: "/accounts/*/gateway/lists", delayMs: 20_000, count: 8 });
    const first = up();
    await until("the first create in the emulator's log", () =>
      emulator.requests().some((r) => r.method === "POST" && /\/gateway\/lists$/.test(r.path)),
    );
    killGroup(first, copy);
    expect((await first.exit).signal).toBe("SIGKILL");
    emulator.faults.clear();

    const checkpoint = JSON.parse(readFileSync(STATE(copy), "utf8")).checkpoint.latest;
    const pending = (checkpoint.pending_operations ?? []) as Array<{
      type: string;
      resource: { urn: string };
    }>;
    const creates = pending.filter((p) => p.type === "creating");
    expect(creates.length, "pending creates after the kill").toBeGreaterThan(0);
    expect(locks(copy).length, "the killed run's lock file").toBe(1);
    const listsBefore = emulator.state.data.lists.length;
    expect(listsBefore, "the list whose answer was lost").toBe(1);

    const second = up();
    const done = await second.exit;
    const out = second.output();
    console.log(
      `pending creates after the kill: ${pending.length}\n` +
        out
          .split("\n")
          .filter((l) => /Removed a lock|interrupted|^\s+(importing|cleared) /.test(l))
          .join("\n"),
    );
    expect(done.code, out).toBe(0);
    expect(out).toMatch(/Removed a lock left by a run that no longer exists: .+@.+ \(pid \d+\)/);
    expect(out).toContain(
      `The last run was interrupted with ${pending.filter((p) => p.type === "creating").length} create(s) unfinished`,
    );
    // The list Cloudflare made is imported (not made twice); the creates that never reached it are cleared.
    const listId = String(emulator.state.data.lists[0].id);
    const imported = out.match(
      /^\s+importing (\S+) in this run: Zero Trust list "zt-gitops [^"]+" \(id (\S+)\)$/m,
    );
    expect(imported?.[2], out).toBe(listId);
    // Every pending create gets exactly one resolution: imported (found by name), cleared (not found), or
    // cleared (no named object: written again). Which creates were pending depends on where the kill lands.
    const resolutions = out.split("\n").filter((l) => /^\s+(importing|cleared) /.test(l));
    expect(resolutions, out).toHaveLength(creates.length);
    for (const line of resolutions)
      expect(line).toMatch(
        /^\s+(importing \S+ in this run: .+ \(id \S+\)|cleared \S+: (not found in Cloudflare; the next up creates it|not a named object; the next up writes it again))$/,
      );
    expect(objectCounts(emulator)).toEqual(ONE_OF_EACH);
    expect(locks(copy)).toEqual([]);

    const preview = runTsx(copy, ["src/cli/engine.ts", "preview", "--refresh", "--json"], port);
    expect((await preview.exit).code, preview.output()).toBe(0);
    const changes = (
      JSON.parse(preview.stdout()) as {
        changes: Array<{ urn: string; type: string; op: string; diffs: string[] }>;
      }
    ).changes;
    const steps = changes.map((c) => ({
      name: c.urn.split("::").pop()!,
      type: c.type,
      op: c.op as never,
      diffs: c.diffs,
      urn: c.urn,
    }));
    expect(describeSteps(steadyCheck(steps)), "changes after convergence").toEqual([]);
    expect(objectCounts(emulator)).toEqual(ONE_OF_EACH);
  });

  it("two ups at once: the second is refused with exit 1, naming who holds the lock", async () => {
    // A user added: the lists' entries are written with PATCHes, the first held here for 20 s (the second run starts well within it).
    const users = join(copy, "users.yaml");
    writeFileSync(
      users,
      readFileSync(users, "utf8") +
        "\n  - email: erin@example.org\n    devices:\n      - serial: ERIN0001\n        os: linux\n",
    );
    emulator.faults.add({ method: "PATCH", path: "/accounts/*/gateway/lists/*", delayMs: 20_000, count: 1 });
    expect(locks(copy)).toEqual([]);
    const first = up();
    await until("the first run's lock", () => locks(copy).length === 1, 90_000);
    const holder = JSON.parse(readFileSync(locks(copy)[0], "utf8")) as {
      pid: number;
      username: string;
      hostname: string;
      timestamp: string;
    };
    const before = emulator.requests().length;
    const second = up();
    const refused = await second.exit;
    expect(refused.code, second.output()).toBe(1);
    expect(second.output()).toContain(`The stack "local" is locked by another update that is still running:`);
    expect(second.output()).toContain(
      `held by ${holder.username}@${holder.hostname} (pid ${holder.pid}) since ${holder.timestamp}`,
    );
    expect(second.output()).not.toContain("Removed a lock");
    const firstDone = await first.exit;
    expect(firstDone.code, first.output()).toBe(0);
    // The refused run wrote nothing: the only writes after it started are the first run's PATCHes.
    const writes = emulator
      .requests()
      .slice(before)
      .filter((r) => r.method !== "GET");
    expect(writes.map((r) => r.method).filter((m) => m !== "PATCH")).toEqual([]);
    expect(objectCounts(emulator)).toEqual(ONE_OF_EACH);
    expect(locks(copy)).toEqual([]);
  });
});
