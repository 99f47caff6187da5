import type { EngineEvent } from "@pulumi/pulumi/automation";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driftFromEvents, hasDrift, renderDrift } from "../../src/plan/drift";
import { expectGolden, FIXTURES_DIR } from "./plan-helpers";

// Resource events of `preview --refresh` recorded from the real engine after edits made in the emulator
// behind its back (tests/e2e/gitops-record-fixtures.ts): app session 24h, an email added to the allow
// list by hand, the DNS record deleted.
const events: EngineEvent[] = JSON.parse(
  readFileSync(join(FIXTURES_DIR, "drift-events.json"), "utf8"),
).events;
const ctx = {
  stack: "prod",
  when: "2026-11-23T06:00:00Z",
  expiredNotApplied: [],
  applyHint: "Actions → apply → Run workflow",
};

describe("drift report", () => {
  const f = driftFromEvents(events);

  it("names each resource changed outside Git with the properties that changed", () => {
    expect(f.drifted.map((d) => [d.name, d.gone ? "gone" : d.properties.join(",")])).toEqual(
      expect.arrayContaining([
        ["access-emails-0", "items,listCount"],
        ["access-app-ocs.example.org", "sessionDuration"],
        ["tunnel-dns-ocs.example.org", "gone"],
      ]),
    );
    expect(f.drifted).toHaveLength(3);
    // What a reviewer of the issue needs first: who was let in by hand, and which value moved.
    expect(f.drifted.find((d) => d.name === "access-emails-0")?.details).toContain(
      "added by hand: mallory@example.net",
    );
    expect(f.drifted.find((d) => d.name === "access-app-ocs.example.org")?.details).toEqual([
      "sessionDuration: 8h → 24h",
    ]);
    expect(hasDrift(f)).toBe(true);
  });

  it("lists what the next apply does about it", () => {
    expect(f.planned.map((p) => [p.op, p.urn.split("::").pop()]).sort()).toEqual([
      ["create", "tunnel-dns-ocs.example.org"],
      ["update", "access-app-ocs.example.org"],
      ["update", "access-emails-0"],
    ]);
  });

  it("differences the apply would leave alone (computed values) are listed but do not count as drift", () => {
    // Cloudflare computes these, nothing sets them: the policy's appCount moves when an application is
    // attached, and the device profile mirrors the Local Domain Fallback list.
    expect(f.unmanaged.map((d) => [d.name, d.properties.join(",")])).toEqual([
      ["access-allow", "appCount"],
      ["device-profile-default", "fallbackDomains"],
    ]);
    expect(f.unmanaged.every((d) => !f.planned.some((p) => p.urn === d.urn))).toBe(true);
    expect(hasDrift({ drifted: [], unmanaged: f.unmanaged, planned: [] })).toBe(false);
  });

  it("renders the issue body", () => {
    const md = renderDrift(f, {
      ...ctx,
      expiredNotApplied: [{ email: "carol@example.org", expires: "2026-11-10" }],
    });
    expect(md).toContain("| `access-app-ocs.example.org` | Access application | `sessionDuration` |");
    expect(md).toContain("| `tunnel-dns-ocs.example.org` | DNS record | **deleted** |");
    expectGolden("drift-report", md);
  });

  it("nothing changed in Cloudflare, but main is ahead of the deployed stack: says to run the apply, not to look for an intruder", () => {
    const pending = JSON.parse(readFileSync(join(FIXTURES_DIR, "preview-add-remove.json"), "utf8")).changes;
    const md = renderDrift({ drifted: [], unmanaged: [], planned: pending }, ctx);
    expect(md).not.toContain("Changed outside Git");
    expect(md).not.toContain("Access logs");
    expect(md).toContain("The deployed stack is behind main");
    expectGolden("drift-pending", md);
  });

  it("clean: one line, no tables", () => {
    const md = renderDrift({ drifted: [], unmanaged: [], planned: [] }, ctx);
    expect(md).toContain("No drift");
    expect(md).not.toContain("|");
    expectGolden("drift-clean", md);
  });
});
