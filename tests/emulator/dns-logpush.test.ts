import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { acct, admin, call, result } from "./helpers";

describe("DNS records", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  const base = () => `/zones/${emu.zoneId}/dns_records`;

  it("creates a record, answering the FQDN and Cloudflare's server fields", async () => {
    const rec = await result(emu, "POST", base(), {
      name: "app",
      type: "CNAME",
      content: "tunnel.cfargotunnel.com",
      ttl: 1,
      proxied: true,
    });
    expect(rec.id).toMatch(/^[0-9a-f]{32}$/);
    expect(rec).toMatchObject({
      name: "app.example.org",
      type: "CNAME",
      content: "tunnel.cfargotunnel.com",
      ttl: 1,
      proxied: true,
      proxiable: true,
      tags: [],
      settings: {},
      meta: {},
      comment: null,
      zone_id: emu.zoneId,
      zone_name: "example.org",
    });
    expect(rec).not.toHaveProperty("comment_modified_on");
    expect(rec).not.toHaveProperty("tags_modified_on");
    expect(await result(emu, "GET", `${base()}/${rec.id}`)).toEqual(rec);
  });

  it("PUT replaces the record and keeps created_on; DELETE answers {id}", async () => {
    const rec = await result(emu, "POST", base(), {
      name: "a.example.org",
      type: "A",
      content: "192.0.2.1",
      ttl: 300,
      comment: "first",
    });
    expect(rec.comment_modified_on).toBeTruthy();
    const put = await result(emu, "PUT", `${base()}/${rec.id}`, {
      name: "a.example.org",
      type: "A",
      content: "192.0.2.2",
      ttl: 300,
    });
    expect(put).toMatchObject({
      content: "192.0.2.2",
      comment: null,
      created_on: rec.created_on,
      proxied: false,
    });
    expect(put).not.toHaveProperty("comment_modified_on");
    const del = await call(emu, "DELETE", `${base()}/${rec.id}`);
    expect(del.json).toMatchObject({ success: true, result: { id: rec.id } });
    expect((await call(emu, "GET", `${base()}/${rec.id}`)).status).toBe(404);
  });

  it("validates records and refuses conflicts", async () => {
    const bad = await call(emu, "POST", base(), { name: "x", type: "A", content: "not-an-ip", ttl: 5 });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toHaveLength(2);
    expect(
      (await call(emu, "POST", base(), { name: "t", type: "TXT", content: "v", ttl: 1, proxied: true }))
        .status,
    ).toBe(400);
    expect((await call(emu, "POST", base(), { name: "x", type: "SPF", content: "v", ttl: 1 })).status).toBe(
      400,
    );
    await result(emu, "POST", base(), { name: "dup", type: "A", content: "192.0.2.9", ttl: 1 });
    const same = await call(emu, "POST", base(), { name: "dup", type: "A", content: "192.0.2.9", ttl: 1 });
    expect(same.status).toBe(400);
    expect(same.json.errors[0].code).toBe(81058);
    const cname = await call(emu, "POST", base(), {
      name: "dup",
      type: "CNAME",
      content: "x.example.net",
      ttl: 1,
    });
    expect(cname.json.errors[0].code).toBe(81053);
  });

  it("paginates with page/per_page and result_info, empty past the end", async () => {
    for (let i = 0; i < 7; i++)
      await result(emu, "POST", base(), { name: `p${i}`, type: "TXT", content: `v${i}`, ttl: 1 });
    const p1 = await call(emu, "GET", `${base()}?type=TXT&per_page=3&page=1`);
    expect(p1.json.result).toHaveLength(3);
    expect(p1.json.result_info).toEqual({ page: 1, per_page: 3, count: 3, total_count: 7, total_pages: 3 });
    const p3 = await call(emu, "GET", `${base()}?type=TXT&per_page=3&page=3`);
    expect(p3.json.result.map((r: { name: string }) => r.name)).toEqual(["p6.example.org"]);
    const p4 = await call(emu, "GET", `${base()}?type=TXT&per_page=3&page=4`);
    expect(p4.json.result).toEqual([]);
    const byName = await result(emu, "GET", `${base()}?name=p2.example.org`);
    expect(byName).toHaveLength(1);
    expect((await call(emu, "GET", `${base()}?per_page=0`)).status).toBe(400);
  });
});

describe("Logpush jobs and ownership challenges", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const dest = "s3://logs-bucket/access?region=eu-west-1";

  it("issues a challenge whose token is only reachable through the admin side channel, and validates it", async () => {
    const ch = await result(emu, "POST", `${acct(emu)}/logpush/ownership`, { destination_conf: dest });
    expect(ch).toMatchObject({ valid: true, message: "" });
    expect(ch.filename).toMatch(/^logs-bucket\/access\/ownership-challenge-[0-9a-f]{8}\.txt$/);
    expect(JSON.stringify(ch)).not.toMatch(/token/);
    const side = await admin(emu, "GET", `/logpush/challenges?destination_conf=${encodeURIComponent(dest)}`);
    expect(side.status).toBe(200);
    expect(side.json.filename).toBe(ch.filename);
    const token = side.json.token as string;
    expect(
      await result(emu, "POST", `${acct(emu)}/logpush/ownership/validate`, {
        destination_conf: dest,
        ownership_challenge: token,
      }),
    ).toEqual({ valid: true });
    expect(
      await result(emu, "POST", `${acct(emu)}/logpush/ownership/validate`, {
        destination_conf: dest,
        ownership_challenge: "nope",
      }),
    ).toEqual({ valid: false });
  });

  it("creates a job with integer id, echoing the provider's defaults and never the challenge", async () => {
    const token = (
      await admin(emu, "GET", `/logpush/challenges?destination_conf=${encodeURIComponent(dest)}`)
    ).json.token;
    const body = {
      dataset: "access_requests",
      destination_conf: dest,
      filter: "",
      logpull_options: "",
      max_upload_bytes: 0,
      max_upload_interval_seconds: 0,
      max_upload_records: 0,
      name: "access-logs",
      enabled: true,
      frequency: "high",
      kind: "",
      output_options: { "CVE-2021-44228": false, field_names: ["RayID", "UserEmail"], output_type: "ndjson" },
      ownership_challenge: token,
    };
    const job = await result(emu, "POST", `${acct(emu)}/logpush/jobs`, body);
    expect(Number.isInteger(job.id)).toBe(true);
    const { ownership_challenge, ...echoed } = body;
    void ownership_challenge;
    expect(job).toEqual({
      ...echoed,
      id: job.id,
      error_message: null,
      last_complete: null,
      last_error: null,
    });
    expect(await result(emu, "GET", `${acct(emu)}/logpush/jobs/${job.id}`)).toEqual(job);

    // PUT without kind keeps kind; explicit null resets to the default
    const put = await result(emu, "PUT", `${acct(emu)}/logpush/jobs/${job.id}`, {
      ...echoed,
      enabled: false,
      kind: undefined,
      output_options: null,
    });
    expect(put).toMatchObject({ enabled: false, kind: "", output_options: null });
    const list = await result(emu, "GET", `${acct(emu)}/logpush/jobs`);
    expect(list.map((j: { id: number }) => j.id)).toEqual([job.id]);
    const del = await call(emu, "DELETE", `${acct(emu)}/logpush/jobs/${job.id}`);
    expect(del.json).toMatchObject({ success: true, result: { id: job.id } });
  });

  it("refuses an S3 job without a valid challenge, zone datasets on accounts, and bad enums", async () => {
    const noCh = await call(emu, "POST", `${acct(emu)}/logpush/jobs`, {
      dataset: "gateway_dns",
      destination_conf: dest,
    });
    expect(noCh.status).toBe(400);
    expect(noCh.json.errors[0].message).toMatch(/ownership challenge/);
    const r2 = await call(emu, "POST", `${acct(emu)}/logpush/jobs`, {
      dataset: "gateway_dns",
      destination_conf: "r2://bucket/path?account-id=x",
    });
    expect(r2.status).toBe(200);
    const zoneDs = await call(emu, "POST", `${acct(emu)}/logpush/jobs`, {
      dataset: "http_requests",
      destination_conf: "r2://b/p",
    });
    expect(zoneDs.status).toBe(400);
    const enums = await call(emu, "POST", `${acct(emu)}/logpush/jobs`, {
      dataset: "nope",
      frequency: "often",
      destination_conf: "r2://b/p",
    });
    expect(enums.status).toBe(400);
    expect(enums.json.errors).toHaveLength(2);
  });
});
