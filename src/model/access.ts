import { Os, OS_VALUES } from "../users/schema";
import { DesiredState } from "./desired";
import { PortalState } from "./portal";

// Which posture lists and rules exist, named stably so that adding a person never renames a resource.

export const POSTURE_PLATFORM: Record<Os, "mac" | "windows" | "linux"> = {
  macos: "mac",
  windows: "windows",
  linux: "linux",
};

export interface SerialListSpec {
  os: Os;
  index: number;
  key: string; // resource name suffix: "macos-0"
  serials: string[];
}

export function serialLists(state: DesiredState): SerialListSpec[] {
  return OS_VALUES.flatMap((os) =>
    state.serialsByOs[os].map((serials, index) => ({ os, index, key: `${os}-${index}`, serials })),
  );
}

export interface EmailListSpec {
  index: number;
  key: string; // "0"
  emails: string[];
}

export function emailLists(state: DesiredState): EmailListSpec[] {
  return state.emailChunks.map((emails, index) => ({ index, key: String(index), emails }));
}

export interface GroupListSpec {
  group: string;
  index: number;
  key: string; // resource name suffix: "staff-0"
  emails: string[];
}

/** Portal mode: each group's EMAIL lists (hash buckets of its members, src/model/chunks.ts). */
export function groupLists(portal: PortalState): GroupListSpec[] {
  return portal.groups.flatMap((g) =>
    g.emailChunks.map((emails, index) => ({ group: g.name, index, key: `${g.name}-${index}`, emails })),
  );
}
