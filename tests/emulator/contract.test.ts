// Contract test: every recorded real interaction in cloudflare/cf-terraforming's
// cassettes (v4 and v5) on an endpoint the emulator serves, replayed against the
// emulator with an equivalent state. The envelope, the field names and their JSON
// types (ids, timestamps, result_info) must match, and the emulator must invent no
// field. Differences that are settled as known (with the reason) are listed in
// KNOWN below and in FIDELITY.md; any other difference fails the test.
// Shapes come from emulator/contract/recorded-shapes.json (derive.ts).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type Shape, sameType, shapeOf } from "../../emulator/contract/shape";
import { acct, admin, call, result } from "./helpers";
import { KNOWN, setUp } from "./contract-fixtures";

interface Interaction {
  method: string;
  template: string;
  query: string[];
  envelope: string[];
  shape: Shape;
  /** Union only: fields / envelope keys every recording of the endpoint has. */
  required?: string[];
  requiredEnvelope?: string[];
}
const recorded = JSON.parse(readFileSync("emulator/contract/recorded-shapes.json", "utf8")) as {
  source: { repo: string; commit: string };
  files: Array<{ file: string; interactions: Interaction[] }>;
};

export interface Difference {
  file: string;
  template: string;
  field: string;
  kind: "invented" | "missing" | "type" | "envelope";
  detail: string;
}

/** Compare one emulator answer with one recording; returns every difference and the fields compared. */
export function compare(
  file: string,
  rec: Interaction,
  body: unknown,
): { diffs: Difference[]; fields: number } {
  const diffs: Difference[] = [];
  const got = shapeOf(body);
  const env = Object.keys(body as object).sort();
  const base = { file, template: rec.template };
  for (const k of env)
    if (!rec.envelope.includes(k))
      diffs.push({ ...base, field: k, kind: "envelope", detail: "not in the recording" });
  for (const k of rec.requiredEnvelope ?? rec.envelope)
    if (!env.includes(k))
      diffs.push({ ...base, field: k, kind: "envelope", detail: "missing from the emulator" });
  let fields = 0;
  // A field under a recorded empty array or null cannot be compared: its shape is unknown.
  const unknownParent = (p: string) =>
    Object.entries(rec.shape).some(
      ([q, t]) => (t === "array:empty" || t === "null") && (p.startsWith(`${q}.`) || p.startsWith(`${q}[]`)),
    );
  for (const [p, t] of Object.entries(got)) {
    if (rec.shape[p] === undefined) {
      if (!unknownParent(p)) diffs.push({ ...base, field: p, kind: "invented", detail: t });
      continue;
    }
    fields++;
    if (!sameType(p, rec.shape[p], t))
      diffs.push({ ...base, field: p, kind: "type", detail: `recorded ${rec.shape[p]}, emulator ${t}` });
  }
  const gotParent = (p: string) =>
    Object.entries(got).some(
      ([q, t]) => (t === "array:empty" || t === "null") && p.startsWith(`${q}`) && p !== q,
    );
  for (const p of rec.required ?? Object.keys(rec.shape))
    if (got[p] === undefined && !gotParent(p))
      diffs.push({ ...base, field: p, kind: "missing", detail: rec.shape[p] });
  return { diffs, fields };
}

const keyOf = (d: Difference) => `${d.template} ${d.kind} ${d.field}`;

/** Recordings of one endpoint differ by age (v4 vs v5 cassettes) and by what each
 * account had set: a field is invented only if no recording of the endpoint has it,
 * and missing only if every recording of the endpoint has it. */
function unionOf(template: string, method: string): Interaction {
  const recs = recorded.files
    .flatMap((f) => f.interactions)
    .filter((i) => i.template === template && i.method === method);
  const shape: Shape = {};
  for (const r of recs)
    for (const [k, t] of Object.entries(r.shape))
      if (!shape[k] || shape[k] === "null" || shape[k] === "array:empty") shape[k] = t;
  const inAll = (k: string) => recs.every((r) => r.shape[k] !== undefined);
  const envAll = recs[0].envelope.filter((k) => recs.every((r) => r.envelope.includes(k)));
  const envAny = [...new Set(recs.flatMap((r) => r.envelope))];
  return {
    ...recs[0],
    shape,
    envelope: envAny,
    required: Object.keys(shape).filter(inAll),
    requiredEnvelope: envAll,
  } as Interaction;
}

const knownReason = (key: string): string | undefined => KNOWN.find(([re]) => re.test(key))?.[1];

describe(`contract: recorded real responses (${recorded.source.repo}@${recorded.source.commit.slice(0, 12)})`, () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ realism: { rateLimit: false } });
  });
  afterAll(() => emu.close());

  it("answers every recorded interaction with the recorded envelope, field names and types", async () => {
    let interactions = 0;
    let fields = 0;
    const all: Difference[] = [];
    for (const f of recorded.files) {
      for (const rec of f.interactions) {
        await admin(emu, "POST", "/reset");
        const path = await setUp(emu, rec.template, { acct: acct(emu), call, result });
        const query = rec.query.includes("per_page") ? "?page=1&per_page=50" : "";
        const res = await call(emu, rec.method, `${path}${query}`);
        expect(res.status, `${rec.method} ${path}`).toBe(200);
        const c = compare(f.file, unionOf(rec.template, rec.method), res.json);
        interactions++;
        fields += c.fields;
        all.push(...c.diffs);
      }
    }
    const known = all.filter((d) => knownReason(keyOf(d)));
    const unsettled = all.filter((d) => !knownReason(keyOf(d)));
    const summary = {
      interactions,
      fieldsCompared: fields,
      differences: all.length,
      distinctDifferences: new Set(all.map(keyOf)).size,
      settledAsKnown: new Set(known.map(keyOf)).size,
      unsettled: unsettled.map((d) => `${d.file}: ${keyOf(d)} (${d.detail})`),
    };
    console.log(`contract summary: ${JSON.stringify(summary, null, 1)}`);
    expect(interactions).toBe(recorded.files.reduce((a, f) => a + f.interactions.length, 0));
    expect(summary.unsettled).toEqual([]);
    // Every documented known difference still occurs: a fixed one must leave the list.
    const keys = [...new Set(all.map(keyOf))];
    expect(KNOWN.filter(([re]) => !keys.some((k) => re.test(k))).map(([re]) => String(re))).toEqual([]);
    const byReason = new Map<string, number>();
    for (const k of keys)
      byReason.set(knownReason(k) ?? "UNSETTLED", (byReason.get(knownReason(k) ?? "UNSETTLED") ?? 0) + 1);
    console.log(
      `contract differences by settlement:\n${[...byReason].map(([r, n]) => `  ${n}  ${r}`).join("\n")}`,
    );
  });

  it("fails when a field drifts: an invented field and a changed type are both caught", () => {
    const rec = recorded.files.find((f) => f.file.endsWith("v5/cloudflare_zero_trust_list.yaml"))!
      .interactions[0];
    const drifted = {
      success: true,
      errors: [],
      messages: [],
      result: [
        { id: "b765686e-c5b9-46de-9ecf-e295d21e1d49", name: "x", type: "SERIAL", count: "2", items: [] },
      ],
    };
    const kinds = compare("drift", rec, drifted).diffs.map((d) => `${d.kind} ${d.field}`);
    expect(kinds).toContain("invented result[].items");
    expect(kinds).toContain("type result[].count");
    expect(kinds).toContain("missing result[].created_at");
  });
});
