import { z } from "zod";
import { containsIp, parseCidr, parseIpv4 } from "./network";
import { defaultAppKey, identityProvidersSchema, seatsSchema } from "./portal-config";

// Stack configuration (Pulumi.<stack>.yaml, namespace `zt:`): the infrastructure settings that are not
// about people. Validated as strictly as users.yaml, with every problem reported at once.

/** Zero Trust plans (Cloudflare's plans page): Free (up to 50 users), Pay-as-you-go, Enterprise. */
export const ACCOUNT_PLANS = ["free", "pay-as-you-go", "enterprise"] as const;

const ID32 = /^[0-9a-f]{32}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const INTERNAL_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
// An optional registry with a port (registry.example.com:5000/), then repository, tag and digest.
const IMAGE = /^([a-z0-9.-]+:\d+\/)?[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$/;

const notLocal = (value: string) => !/(^|\.)local$/.test(value);
const LOCAL_REASON =
  "the .local top-level domain is reserved for mDNS and will not resolve through WARP: use a domain you own or .internal (e.g. ocs.internal)";

const APP_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

const appFields = z.strictObject({
  key: z
    .string()
    .regex(APP_KEY, {
      error: "key must be lower-case letters, digits and '-' (at most 63), e.g. client-acme",
    })
    .optional()
    .describe("The app's name in users.yaml `access:` (default: the hostname's first label)."),
  name: z.string().min(1).max(100).describe("Name shown in the Access app launcher."),
  hostname: z
    .string()
    .regex(HOSTNAME, { error: "hostname must be a public DNS name in your zone, e.g. ocs.example.org" })
    .refine(notLocal, { error: LOCAL_REASON })
    .describe("Public hostname routed through the tunnel and protected by Access."),
  service: z
    .string()
    .regex(/^(https?|tcp|ssh|rdp|unix|smb):\/\/\S+$|^http_status:\d{3}$/, {
      error: "service must be where cloudflared reaches the app, e.g. http://ocs-web:8000",
    })
    .describe("Local service behind the hostname, as cloudflared sees it."),
});

/** An application; `key` defaults to the hostname's first label, so every app has one. */
export const appSchema = appFields.transform((a) => ({ ...a, key: a.key ?? defaultAppKey(a.hostname) }));

export const privateNetworkSchema = z.strictObject({
  cidr: z.string().describe("Private network reached through WARP, e.g. 172.18.0.0/16."),
  internalDomain: z
    .string()
    .regex(INTERNAL_NAME, { error: "internalDomain must be a DNS name such as ocs.internal" })
    .refine(notLocal, { error: LOCAL_REASON }),
  dnsmasqAddress: z.string().describe("Address of the dnsmasq container inside cidr."),
  hosts: z
    .record(z.string(), z.string())
    .default({})
    .describe("Names dnsmasq answers for, e.g. { ocs.internal: 172.18.0.7 }."),
  extraFallback: z
    .array(
      z.strictObject({
        suffix: z
          .string()
          .regex(INTERNAL_NAME, { error: "suffix must be a DNS name such as corp.example.org" }),
        description: z.string().max(100).optional(),
        dnsServers: z.array(z.string()).optional(),
      }),
    )
    .default([])
    .describe(
      "Local Domain Fallback entries of your own, kept beside the internal domain and Cloudflare's defaults (npm run adopt writes the ones it found).",
    ),
});

export const connectorSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe("Run cloudflared and dnsmasq on the Docker host (false: leave containers out)."),
  dockerHost: z
    .string()
    .regex(/^(unix|ssh|tcp):\/\/\S+$/, {
      error: "dockerHost must look like unix:///var/run/docker.sock or ssh://user@host",
    })
    .default("unix:///var/run/docker.sock"),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(2)
    .describe("cloudflared replicas: failover, not load balancing."),
  network: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/)
    .default("zt-private"),
  cloudflaredImage: z.string().regex(IMAGE).default("cloudflare/cloudflared:2025.11.1"),
  dnsmasqImage: z.string().regex(IMAGE).default("dockurr/dnsmasq:2.91"),
});

export const LOGPUSH_DATASETS = [
  "access_requests",
  "gateway_dns",
  "gateway_http",
  "gateway_network",
] as const;

export const logpushSchema = z.discriminatedUnion(
  "destination",
  [
    z.strictObject({
      destination: z.literal("r2"),
      bucket: z.string().min(3),
      path: z.string().default("zero-trust"),
    }),
    z.strictObject({
      destination: z.literal("s3"),
      bucket: z.string().min(3),
      path: z.string().default("zero-trust"),
      region: z.string().min(2),
      ownershipChallenge: z
        .string()
        .optional()
        .describe("Token Cloudflare wrote into the bucket after the first run."),
    }),
    z.strictObject({
      destination: z.literal("splunk"),
      url: z.url(),
      channel: z.string().min(1),
      sourcetype: z.string().default("cloudflare:zerotrust"),
    }),
    z.strictObject({
      destination: z.literal("datadog"),
      url: z.url().default("https://http-intake.logs.datadoghq.com/api/v2/logs"),
    }),
  ],
  { error: "destination must be one of r2, s3, splunk, datadog" },
);

export const guardsSchema = z.strictObject({
  maxRemovalShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("Refuse a change removing more than this share of users at once."),
});

export const stackConfigSchema = z
  .strictObject({
    accountId: z.string().regex(ID32, {
      error:
        "accountId must be the 32-character hex account id (dashboard URL or `Account ID` on the zone overview)",
    }),
    zoneId: z.string().regex(ID32, {
      error: "zoneId must be the 32-character hex zone id of the zone holding the hostnames",
    }),
    teamName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      error:
        "teamName is the Zero Trust team name (<team>.cloudflareaccess.com), lower-case letters, digits and -",
    }),
    usersFile: z.string().default("users.yaml"),
    apps: z.array(appSchema).min(1, { error: "apps needs at least one application" }),
    tunnelName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/),
    privateNetwork: privateNetworkSchema,
    connector: connectorSchema.default(connectorSchema.parse({})),
    logpush: logpushSchema
      .optional()
      .describe("Enterprise only: export Access and Gateway logs. Leave out to disable."),
    guards: guardsSchema.default(guardsSchema.parse({})),
    identityProviders: identityProvidersSchema,
    seats: seatsSchema,
    plan: z
      .enum(ACCOUNT_PLANS, { error: `plan must be one of ${ACCOUNT_PLANS.join(", ")}` })
      .optional()
      .describe("The account's Zero Trust plan; when set, features it lacks (Logpush) are refused."),
  })
  .superRefine((c, ctx) => {
    // Logpush of Zero Trust logs is an Enterprise feature: on another plan the job's create fails
    // halfway through an up, after everything before it was written. Refused up front instead.
    if (c.logpush && c.plan !== undefined && c.plan !== "enterprise")
      ctx.addIssue({
        code: "custom",
        path: ["logpush"],
        message: `Logpush needs a Zero Trust Enterprise plan and zt:plan is ${c.plan}: remove zt:logpush, or set zt:plan to enterprise if the account has it`,
      });
    const cidr = parseCidr(c.privateNetwork.cidr);
    if ("error" in cidr) {
      ctx.addIssue({ code: "custom", path: ["privateNetwork", "cidr"], message: cidr.error });
    } else {
      const ips: [string, string[]][] = [
        [c.privateNetwork.dnsmasqAddress, ["privateNetwork", "dnsmasqAddress"]],
        ...Object.entries(c.privateNetwork.hosts).map(([name, ip]): [string, string[]] => [
          ip,
          ["privateNetwork", "hosts", name],
        ]),
      ];
      for (const [ip, path] of ips) {
        const n = parseIpv4(ip);
        if (n === undefined)
          ctx.addIssue({ code: "custom", path, message: `"${ip}" is not an IPv4 address` });
        else if (!containsIp(cidr, n))
          ctx.addIssue({
            code: "custom",
            path,
            message: `${ip} is outside the private network ${c.privateNetwork.cidr}`,
          });
      }
    }
    for (const name of Object.keys(c.privateNetwork.hosts)) {
      const d = c.privateNetwork.internalDomain;
      if (!notLocal(name))
        ctx.addIssue({ code: "custom", path: ["privateNetwork", "hosts", name], message: LOCAL_REASON });
      else if (name !== d && !name.endsWith(`.${d}`)) {
        ctx.addIssue({
          code: "custom",
          path: ["privateNetwork", "hosts", name],
          message: `${name} is not inside internalDomain ${d}: WARP only sends ${d} to dnsmasq`,
        });
      }
    }
    const seen = new Set<string>();
    c.apps.forEach((a, i) => {
      if (seen.has(a.hostname))
        ctx.addIssue({
          code: "custom",
          path: ["apps", i, "hostname"],
          message: `${a.hostname} is listed twice`,
        });
      seen.add(a.hostname);
    });
    // Keys name apps in users.yaml `access:`: two apps with one key could not be told apart.
    const keys = new Map<string, number>();
    c.apps.forEach((a, i) => {
      const first = keys.get(a.key);
      if (first === undefined) keys.set(a.key, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["apps", i, a.key === defaultAppKey(a.hostname) ? "hostname" : "key"],
          message: `key ${a.key} is already the key of apps[${first}] (${c.apps[first].hostname}); set a different key: for one of them`,
        });
    });
    const idps = new Map<string, number>();
    c.identityProviders.forEach((p, i) => {
      const first = idps.get(p.name);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["identityProviders", i, "name"],
          message: `identity provider ${p.name} is listed twice (first at identityProviders[${first}])`,
        });
      else idps.set(p.name, i);
      if (p.type === "onetimepin" && c.identityProviders.findIndex((q) => q.type === "onetimepin") !== i)
        ctx.addIssue({
          code: "custom",
          path: ["identityProviders", i, "type"],
          message: "an account has one one-time PIN provider: list it once",
        });
    });
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type AppConfig = z.infer<typeof appSchema>;
export type AppInput = z.input<typeof appSchema>;
export type LogpushConfig = z.infer<typeof logpushSchema>;
