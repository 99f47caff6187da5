import { Document, isMap, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { Adoption, StackValues } from "./map";

// The files adopt writes, with the `yaml` library: users.yaml in today's format (a comment on each user
// and device saying where it was found) and the stack file edited through the Document API, so the
// comments and keys an admin already wrote stay where they are.

export function renderUsersYaml(a: Adoption, stack: string, now: string): string {
  const doc = new Document({
    sessions: { app: a.sessions.app, warp: a.sessions.warp },
    users: a.users.map((u) => ({
      email: u.email,
      devices: u.devices.map((d) => ({ serial: d.serial, ...(d.os ? { os: d.os } : {}) })),
    })),
  });
  doc.commentBefore =
    ` yaml-language-server: $schema=./users.schema.json\n` +
    ` Written by \`npm run adopt -- --stack ${stack}\` on ${now.slice(0, 10)} from the account: review it, then commit.`;
  const root = doc.contents as YAMLMap;
  const sessions = root.get("sessions", true) as unknown as YAMLMap<unknown, Scalar>;
  sessions.items[0].value!.comment = ` ${a.sessions.appSource}`;
  sessions.items[1].value!.comment = ` ${a.sessions.warpSource}`;
  const users = root.get("users", true) as unknown as YAMLSeq;
  users.items.forEach((item, i) => {
    const user = a.users[i];
    (item as YAMLMap).commentBefore = ` found in ${user.source}`;
    const devices = (item as YAMLMap).get("devices", true) as unknown as YAMLSeq;
    devices.items.forEach((d, j) => ((d as YAMLMap).commentBefore = ` ${user.devices[j].source}`));
    if (user.devices.length === 0)
      (item as YAMLMap).comment =
        " no device of this user was found in the posture rule: this user cannot pass the device check";
  });
  return doc.toString({ lineWidth: 0 });
}

/** Sets the adopted `zt:` values in Pulumi.<stack>.yaml, keeping every other key and every comment. */
export function editStackFile(text: string, values: StackValues): string {
  const doc = parseDocument(text || "config: {}\n");
  if (!isMap(doc.get("config"))) doc.set("config", doc.createNode({}));
  const config = doc.get("config") as YAMLMap;
  const set = (key: string, value: unknown, comment: string) => {
    const node = doc.createNode(value);
    if (config.has(key)) return config.set(key, node);
    const pair = doc.createPair(key, node);
    (pair.key as Scalar).commentBefore = ` ${comment}`;
    config.items.push(pair);
  };
  set("zt:teamName", values.teamName, "from the Zero Trust organization's team domain (npm run adopt)");
  set("zt:tunnelName", values.tunnelName, "the tunnel serving the application (npm run adopt)");
  set("zt:apps", values.apps, "the application and its public hostname -> service (npm run adopt)");
  const network = { ...values.privateNetwork } as Record<string, unknown>;
  if ((network.extraFallback as unknown[]).length === 0) delete network.extraFallback;
  set(
    "zt:privateNetwork",
    network,
    "route and Local Domain Fallback of the tunnel (npm run adopt); hosts: dnsmasq's names, not known to Cloudflare",
  );
  return doc.toString({ lineWidth: 0 });
}
