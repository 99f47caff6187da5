import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as cloudflare from "@pulumi/cloudflare";
import { describe, expect, test } from "vitest";
import type { AccountObject } from "../../src/cloudflare/inventory";
import { importId } from "../../src/cloudflare/inventory";
import { parseStackConfig } from "../../src/config/load";
import {
  collisionMessage,
  findCollisions,
  managedIds,
  resolvePendingCreates,
  strayDuplicates,
  toCreate,
  type StateResource,
} from "../../src/converge/match";
import { checkStackLock, holdersFromMessage, StackLockedError } from "../../src/engine/lock";
import { plannedObjects, TYPE } from "../../src/model/objects";
import { loadUsersText } from "../../src/users/load";
import { exampleStackValues } from "./helpers/stack-config";
import { TODAY, yaml } from "./helpers/users";

// The collision guard, the pending-create repair and the duplicate sweep compare three things: what the
// program declares, the stack's state, and the account. All of it pure, so every case is tested here.

const config = parseStackConfig(exampleStackValues, "Pulumi.test.yaml").config!;
const desired = loadUsersText(
  yaml`
    users:
      - email: ada@example.org
        devices:
          - serial: C02ABC123
            os: macos
  `,
  "users.yaml",
  TODAY,
).state!;
const planned = plannedObjects(config, desired);
const urn = (type: string, name: string, parent = "zt:index:Access") =>
  `urn:pulumi:prod::zt::${parent}$${type}::${name}`;
const obj = (kind: AccountObject["kind"], id: string, name: string, domains?: string[]): AccountObject => ({
  kind,
  id,
  name,
  ...(domains ? { domains } : {}),
});

test("the program's named objects: tunnel, lists, posture rule, group, policy, application", () => {
  expect(planned.map((p) => `${p.kind} ${p.resource} "${p.name}"${p.domain ? ` ${p.domain}` : ""}`)).toEqual([
    'tunnel tunnel "ocs-tunnel"',
    'list posture-serials-macos-0 "zt-gitops macos serials 1"',
    'postureRule posture-macos-0 "zt-gitops registered macos device 1"',
    'list access-emails-0 "zt-gitops users 1"',
    'group access-registered-devices "zt-gitops registered devices"',
    'policy access-allow "zt-gitops allow registered users on registered devices"',
    'application access-app-ocs.example.org "OCS" ocs.example.org',
  ]);
});

test("the type tokens are the bridged SDK's", () => {
  expect(TYPE).toEqual({
    tunnel: (cloudflare.ZeroTrustTunnelCloudflared as unknown as { __pulumiType: string }).__pulumiType,
    application: (cloudflare.ZeroTrustAccessApplication as unknown as { __pulumiType: string }).__pulumiType,
    policy: (cloudflare.ZeroTrustAccessPolicy as unknown as { __pulumiType: string }).__pulumiType,
    group: (cloudflare.ZeroTrustAccessGroup as unknown as { __pulumiType: string }).__pulumiType,
    list: (cloudflare.ZeroTrustList as unknown as { __pulumiType: string }).__pulumiType,
    postureRule: (cloudflare.ZeroTrustDevicePostureRule as unknown as { __pulumiType: string }).__pulumiType,
    identityProvider: (cloudflare.ZeroTrustAccessIdentityProvider as unknown as { __pulumiType: string })
      .__pulumiType,
    serviceToken: (cloudflare.ZeroTrustAccessServiceToken as unknown as { __pulumiType: string })
      .__pulumiType,
  });
});

describe("collision guard", () => {
  const handBuilt = [
    obj("tunnel", "t-1", "ocs-tunnel"),
    obj("application", "a-1", "Open Chat Studio", ["ocs.example.org"]),
    obj("list", "l-1", "some other list"),
    obj("policy", "p-1", "zt-gitops allow registered users on registered devices"),
  ];

  test("on an account that was not adopted, every same-named object and the hostname are named", () => {
    const found = findCollisions(toCreate(planned, []), handBuilt, managedIds([]));
    expect(found.map((c) => [c.planned.kind, c.existing.map((o) => o.id)])).toEqual([
      ["tunnel", ["t-1"]],
      ["policy", ["p-1"]],
      ["application", ["a-1"]],
    ]);
    const message = collisionMessage("prod", found);
    expect(message).toContain('tunnel "ocs-tunnel" (id t-1)');
    expect(message).toContain('Access application "Open Chat Studio" for ocs.example.org (id a-1)');
    expect(message).toContain(
      'reusable Access policy "zt-gitops allow registered users on registered devices" (id p-1)',
    );
    expect(message).toContain("npm run adopt -- --stack prod");
    expect(message).not.toContain("emulator-state.json");
    expect(collisionMessage("local", found)).toContain("deleting .zt/emulator-state.json empties it");
  });

  test("objects in the stack's state are not collisions, nor are creates of other names", () => {
    const state: StateResource[] = [
      { urn: urn(TYPE.tunnel, "tunnel", "zt:index:Tunnel"), type: TYPE.tunnel, id: "t-1" },
      { urn: urn(TYPE.policy, "access-allow"), type: TYPE.policy, id: "p-1" },
      { urn: urn(TYPE.application, "access-app-ocs.example.org"), type: TYPE.application, id: "a-1" },
    ];
    expect(toCreate(planned, state).map((p) => p.resource)).not.toContain("tunnel");
    expect(findCollisions(toCreate(planned, state), handBuilt, managedIds(state))).toEqual([]);
  });

  test("a hostname is matched without its path and case; an application of another hostname is not", () => {
    const apps = [
      obj("application", "a-2", "x", ["ocs.example.org"]),
      obj("application", "a-3", "OCS", ["other.example.org"]),
    ];
    expect(findCollisions(toCreate(planned, []), apps, new Set()).map((c) => c.existing[0].id)).toEqual([
      "a-2",
    ]);
  });
});

describe("pending creates of an interrupted run", () => {
  const pending = (type: string, name: string, parent = "zt:index:Access") => ({
    type: "creating",
    resource: { urn: urn(type, name, parent), type, parent: `urn:pulumi:prod::zt::${parent}::x` },
  });

  test("found once: imported; not found: cleared; not a named object: cleared", () => {
    const r = resolvePendingCreates(
      [
        pending(TYPE.list, "access-emails-0"),
        pending(TYPE.application, "access-app-ocs.example.org"),
        pending("pulumi-nodejs:dynamic:Resource", "access-emails-0-entries"),
        { type: "updating", resource: { urn: "u", type: TYPE.list } },
      ],
      planned,
      [obj("list", "l-9", "zt-gitops users 1")],
      new Set(),
    );
    expect(
      r.map((x) => [x.action, x.urn.split("::").pop(), x.action === "import" ? x.object.id : x.reason]),
    ).toEqual([
      ["import", "access-emails-0", "l-9"],
      ["clear", "access-app-ocs.example.org", "not found in Cloudflare; the next up creates it"],
      ["clear", "access-emails-0-entries", "not a named object; the next up writes it again"],
    ]);
  });

  test("two candidates: not guessed (cleared, the guard then names both)", () => {
    const inv = [obj("list", "l-1", "zt-gitops users 1"), obj("list", "l-2", "zt-gitops users 1")];
    const [r] = resolvePendingCreates([pending(TYPE.list, "access-emails-0")], planned, inv, new Set());
    expect(r.action).toBe("clear");
    expect(findCollisions(toCreate(planned, []), inv, new Set())[0].existing.map((o) => o.id)).toEqual([
      "l-1",
      "l-2",
    ]);
  });

  test("import ids follow the provider's formats", () => {
    expect(importId("acc", { kind: "application", id: "a" })).toBe("accounts/acc/a");
    expect(importId("acc", { kind: "group", id: "g" })).toBe("accounts/acc/g");
    expect(importId("acc", { kind: "tunnel", id: "t" })).toBe("acc/t");
  });
});

test("after a run: a same-named object that is neither managed nor older than the run is a stray duplicate", () => {
  const after = [
    obj("tunnel", "t-1", "ocs-tunnel"), // in state
    obj("tunnel", "t-2", "ocs-tunnel"), // made by a retried POST
    obj("list", "l-0", "zt-gitops users 1"), // existed before the run (the guard refused it)
    obj("list", "l-3", "unrelated"),
  ];
  const strays = strayDuplicates(planned, after, new Set(["t-1"]), new Set(["t-1", "l-0"]));
  expect(strays.map((o) => o.id)).toEqual(["t-2"]);
});

describe("stack lock", () => {
  const backend = () => {
    const dir = mkdtempSync(join(tmpdir(), "zt-lock-"));
    const locks = join(dir, ".pulumi", "locks", "organization", "zt", "prod");
    mkdirSync(locks, { recursive: true });
    return { url: pathToFileURL(dir).href, locks };
  };
  const write = (locks: string, pid: number, host = hostname()) =>
    writeFileSync(
      join(locks, `${pid}.json`),
      JSON.stringify({ pid, username: "ada", hostname: host, timestamp: "2026-12-02T06:00:00Z" }),
    );

  test("a live holder is named: user, host, pid, time", () => {
    const b = backend();
    write(b.locks, process.pid);
    expect(() => checkStackLock(b.url, "zt", "prod")).toThrow(StackLockedError);
    expect(() => checkStackLock(b.url, "zt", "prod")).toThrow(
      `held by ada@${hostname()} (pid ${process.pid}) since 2026-12-02T06:00:00Z`,
    );
  });

  test("a lock of a process gone from this machine is removed and reported; another machine's is kept", () => {
    const b = backend();
    write(b.locks, 2 ** 22 + 17); // above Linux's pid_max default: no such process
    expect(checkStackLock(b.url, "zt", "prod").map((h) => h.pid)).toEqual([2 ** 22 + 17]);
    expect(readdirSync(b.locks)).toEqual([]);
    write(b.locks, 2 ** 22 + 17, "ci-runner-7");
    expect(() => checkStackLock(b.url, "zt", "prod")).toThrow("ada@ci-runner-7");
  });

  test("holders are read from the CLI's own message too (any backend)", () => {
    const msg =
      "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
      "  s3://b/.pulumi/locks/organization/zt/prod/x.json: created by ada@host-1 (pid 4242) at 2026-12-02T06:00:00Z";
    expect(holdersFromMessage(msg)).toEqual([
      { username: "ada", hostname: "host-1", pid: 4242, timestamp: "2026-12-02T06:00:00Z" },
    ]);
  });
});
