import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLMap } from "yaml";

// Where a user or a device is written in users.yaml, as whole lines, so commands can say exactly
// which lines to delete. users.yaml has already been validated when these run.

export interface Span {
  /** 1-based, inclusive. */
  start: number;
  end: number;
  /** The file's lines start..end, as written. */
  lines: string[];
}

interface Located {
  user: Span;
  /** The `devices:` key line of that user. */
  devicesLine?: number;
  device?: Span;
  deviceCount: number;
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const v = map.get(key, true);
  return isScalar(v) ? String(v.value) : undefined;
}

function locate(
  path: string,
  match: (user: YAMLMap, device?: YAMLMap) => boolean,
  wantDevice: boolean,
): Located | undefined {
  const text = readFileSync(path, "utf8");
  const all = text.split(/\r?\n/);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const span = (range: readonly [number, number, number] | null | undefined): Span | undefined => {
    if (!range) return undefined;
    const start = counter.linePos(range[0]).line;
    const end = counter.linePos(Math.max(range[0], range[1] - 1)).line;
    return { start, end, lines: all.slice(start - 1, end) };
  };
  const users = doc.get("users", true);
  if (!isSeq(users)) return undefined;
  for (const u of users.items) {
    if (!isMap(u)) continue;
    const devices = u.get("devices", true);
    const items = isSeq(devices) ? devices.items.filter(isMap) : [];
    const devicesPair = u.items.find((p) => isScalar(p.key) && p.key.value === "devices");
    const devicesLine =
      isScalar(devicesPair?.key) && devicesPair.key.range
        ? counter.linePos(devicesPair.key.range[0]).line
        : undefined;
    if (!wantDevice) {
      if (match(u)) return { user: span(u.range)!, devicesLine, deviceCount: items.length };
      continue;
    }
    for (const d of items) {
      if (match(u, d))
        return { user: span(u.range)!, devicesLine, device: span(d.range), deviceCount: items.length };
    }
  }
  return undefined;
}

export function userSpan(path: string, email: string): Located | undefined {
  const want = email.toLowerCase();
  return locate(path, (u) => scalar(u, "email")?.toLowerCase() === want, false);
}

export function deviceSpan(path: string, serial: string): Located | undefined {
  return locate(path, (_u, d) => scalar(d!, "serial") === serial, true);
}
