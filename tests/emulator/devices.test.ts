import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FALLBACK_DOMAINS, type RunningEmulator, startEmulator } from "../../emulator";
import { acct, call, result } from "./helpers";

describe("devices: default profile, local domain fallback, settings, posture; gateway lists", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // realism off: this file pins the pre-issue-14 behaviour (tests/emulator/realism-*.test.ts pin the default).
    emu = await startEmulator({ realism: "off" });
  });
  afterAll(() => emu.close());

  it("seeds Cloudflare's default fallback domains, in order", async () => {
    const got = await result(emu, "GET", `${acct(emu)}/devices/policy/fallback_domains`);
    const suffixes = got.map((d: { suffix: string }) => d.suffix);
    for (const s of [
      "intranet",
      "internal",
      "private",
      "localdomain",
      "domain",
      "lan",
      "home",
      "host",
      "corp",
      "local",
      "localhost",
      "invalid",
      "test",
      "home.arpa",
    ])
      expect(suffixes).toContain(s);
    // Exactly the 14 a fresh account lists (`warp-cli settings`): no reverse-lookup zones.
    expect(suffixes).toHaveLength(14);
    expect(suffixes.filter((x: string) => x.endsWith(".in-addr.arpa"))).toEqual([]);
    expect(got).toEqual(DEFAULT_FALLBACK_DOMAINS);
    // the default profile mirrors the list in its computed fallback_domains
    expect((await result(emu, "GET", `${acct(emu)}/devices/policy`)).fallback_domains).toEqual(got);
  });

  it("replaces the fallback list with a bare-array PUT and echoes it in order", async () => {
    const list = [
      { suffix: "home.internal", description: "home lab", dns_server: ["10.20.0.53"] },
      ...DEFAULT_FALLBACK_DOMAINS,
    ];
    const put = await call(emu, "PUT", `${acct(emu)}/devices/policy/fallback_domains`, list);
    expect(put.status).toBe(200);
    expect(put.json.result).toEqual(list);
    expect(await result(emu, "GET", `${acct(emu)}/devices/policy/fallback_domains`)).toEqual(list);
    const bad = await call(emu, "PUT", `${acct(emu)}/devices/policy/fallback_domains`, [
      { description: "no suffix" },
      { suffix: "x", dns_server: ["not-ip"] },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toHaveLength(2);
    expect(
      (await call(emu, "PUT", `${acct(emu)}/devices/policy/fallback_domains`, { suffix: "x" })).status,
    ).toBe(400);
  });

  it("PATCHes the default profile: defaults echoed, include replaces exclude, empty PATCH is a 400", async () => {
    const full = {
      allow_mode_switch: false,
      allow_updates: false,
      allowed_to_leave: true,
      auto_connect: 0,
      captive_portal: 180,
      disable_auto_fallback: false,
      exclude_office_ips: false,
      register_interface_ip_with_dns: true,
      sccm_vpn_boundary_support: false,
      support_url: "",
      switch_locked: false,
      tunnel_protocol: "",
      include: [
        { address: "10.20.0.0/16", description: "home lab" },
        { host: "app.example.org", description: "app" },
      ],
    };
    const r = await result(emu, "PATCH", `${acct(emu)}/devices/policy`, full);
    expect(r).toMatchObject({ ...full, default: true, enabled: true });
    expect(r).not.toHaveProperty("exclude");
    expect(r.gateway_unique_id).toMatch(/^[0-9a-f]{32}$/);
    const diff = await result(emu, "PATCH", `${acct(emu)}/devices/policy`, { captive_portal: 60 });
    expect(diff).toMatchObject({ ...full, captive_portal: 60 });
    expect(await result(emu, "GET", `${acct(emu)}/devices/policy`)).toEqual(diff);
    const empty = await call(emu, "PATCH", `${acct(emu)}/devices/policy`, {});
    expect(empty.status).toBe(400);
    const both = await call(emu, "PATCH", `${acct(emu)}/devices/policy`, {
      include: [{ address: "10.0.0.0/8" }],
      exclude: [{ address: "192.168.0.0/16" }],
    });
    expect(both.status).toBe(400);
    const badProto = await call(emu, "PATCH", `${acct(emu)}/devices/policy`, {
      tunnel_protocol: "ipsec",
      include: [{ address: "nope" }],
    });
    expect(badProto.status).toBe(400);
    expect(badProto.json.errors).toHaveLength(2);
  });

  it("device settings: PUT-full replaces, GET adds nothing, DELETE resets", async () => {
    const put = await result(emu, "PUT", `${acct(emu)}/devices/settings`, {
      gateway_proxy_enabled: true,
      gateway_udp_proxy_enabled: true,
    });
    expect(put).toEqual({ gateway_proxy_enabled: true, gateway_udp_proxy_enabled: true });
    expect(await result(emu, "GET", `${acct(emu)}/devices/settings`)).toEqual(put);
    const again = await result(emu, "PUT", `${acct(emu)}/devices/settings`, {
      gateway_proxy_enabled: true,
      gateway_udp_proxy_enabled: null,
    });
    expect(again).toEqual({ gateway_proxy_enabled: true });
    expect(
      (await call(emu, "PUT", `${acct(emu)}/devices/settings`, { gateway_proxy_enabled: "yes" })).status,
    ).toBe(400);
    const del = await call(emu, "DELETE", `${acct(emu)}/devices/settings`);
    expect(del.status).toBe(200);
    expect(del.headers.get("content-type")).toBe("application/json");
    expect(del.json.result.gateway_proxy_enabled).toBe(false);
  });

  it("gateway lists: GET one includes items; PUT replaces them; limits and value checks apply", async () => {
    const l = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "serials",
      type: "SERIAL",
      items: [{ value: "C02XYZ" }, { value: "PF1ABC", description: "ann" }],
    });
    expect(l).toMatchObject({ name: "serials", type: "SERIAL", description: "", count: 2 });
    expect(l.items.map((i: { value: string; description?: string }) => [i.value, i.description])).toEqual([
      ["C02XYZ", undefined],
      ["PF1ABC", "ann"],
    ]);
    expect(l.items[0]).not.toHaveProperty("description");
    const got = await result(emu, "GET", `${acct(emu)}/gateway/lists/${l.id}`);
    expect(got).toEqual(l);
    const put = await result(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, {
      name: "serials",
      type: "SERIAL",
      description: "laptops",
      items: [{ value: "NEW1" }],
    });
    expect(put).toMatchObject({ description: "laptops", count: 1, items: [{ value: "NEW1" }] });
    const listed = await result(emu, "GET", `${acct(emu)}/gateway/lists?type=SERIAL`);
    expect(listed.find((x: { id: string }) => x.id === l.id)).not.toHaveProperty("items");
    const badEmail = await call(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "e",
      type: "EMAIL",
      items: [{ value: "nope" }, { value: "a@b.co" }, { value: "a@b.co" }],
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.errors).toHaveLength(2);
    const tooMany = await call(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "big",
      type: "SERIAL",
      items: Array.from({ length: 1001 }, (_, i) => ({ value: `S${i}` })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors[0].message).toMatch(/at most 1000/);
    expect(
      (await call(emu, "PUT", `${acct(emu)}/gateway/lists/${l.id}`, { name: "serials", type: "EMAIL" }))
        .status,
    ).toBe(400);
  });

  it("posture rules: serial_number needs a SERIAL list; Cloudflare-style name/description/schedule answers", async () => {
    const serials = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "mac serials",
      type: "SERIAL",
      items: [{ value: "C02AAA" }],
    });
    const emails = await result(emu, "POST", `${acct(emu)}/gateway/lists`, {
      name: "people",
      type: "EMAIL",
      items: [{ value: "a@example.org" }],
    });
    const body = {
      name: "mac serial",
      type: "serial_number",
      input: { id: serials.id },
      match: [{ platform: "mac" }],
    };
    const rule = await result(emu, "POST", `${acct(emu)}/devices/posture`, body);
    expect(rule).toMatchObject({ ...body, enabled: true, description: "", schedule: "5m" });
    expect(rule.input).toEqual({ id: serials.id }); // nothing added inside input
    expect(await result(emu, "GET", `${acct(emu)}/devices/posture/${rule.id}`)).toEqual(rule);
    const u = await result(emu, "PUT", `${acct(emu)}/devices/posture/${rule.id}`, {
      ...body,
      schedule: "1h",
      description: "macs",
    });
    expect(u).toMatchObject({ schedule: "1h", description: "macs", id: rule.id });
    const wrongList = await call(emu, "POST", `${acct(emu)}/devices/posture`, {
      ...body,
      input: { id: emails.id },
    });
    expect(wrongList.status).toBe(400);
    const badPlatform = await call(emu, "POST", `${acct(emu)}/devices/posture`, {
      ...body,
      match: [{ platform: "beos" }],
    });
    expect(badPlatform.status).toBe(400);
    const warp = await result(emu, "POST", `${acct(emu)}/devices/posture`, {
      type: "warp",
      match: [{ platform: "linux" }],
    });
    expect(warp.name).toBe("");
    expect(warp).not.toHaveProperty("schedule");
    expect((await call(emu, "DELETE", `${acct(emu)}/devices/posture/${warp.id}`)).json.result).toEqual({
      id: warp.id,
    });
  });
});
