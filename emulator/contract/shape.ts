// JSON shapes for the contract test: a response becomes a map of field paths
// ("result[].destinations[].uri") to JSON types, with strings refined where the
// format is part of the contract (uuid, 32-hex id, RFC 3339 timestamp).

/** field path -> type ("string", "string:uuid", "number", "boolean", "null", "object", "array", "array:empty"). */
export type Shape = Record<string, string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length ? "array" : "array:empty";
  if (typeof v === "string") {
    if (UUID.test(v)) return "string:uuid";
    if (HEX32.test(v)) return "string:hex32";
    if (TIMESTAMP.test(v)) return "string:timestamp";
    return "string";
  }
  return typeof v;
}

/** Every field path of a JSON value; array elements are merged under `[]`. */
export function shapeOf(v: unknown, prefix = "", out: Shape = {}): Shape {
  if (Array.isArray(v)) {
    for (const x of v) shapeOf(x, `${prefix}[]`, out);
    return out;
  }
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const p = prefix ? `${prefix}.${k}` : k;
      const t = typeOf(x);
      // Merge: a concrete type wins over null / empty array seen in another element.
      const prev = out[p];
      if (!prev || prev === "null" || prev === "array:empty") out[p] = t;
      shapeOf(x, p, out);
    }
  }
  return out;
}

/** /accounts/<32hex>/cfd_tunnel/<uuid>/token -> /accounts/{account}/cfd_tunnel/{id}/token */
export function pathTemplate(path: string): string {
  const segs = path.split("/").filter(Boolean);
  return (
    "/" +
    segs
      .map((s, i) => {
        if (segs[i - 1] === "accounts" && HEX32.test(s)) return "{account}";
        if (segs[i - 1] === "zones" && HEX32.test(s)) return "{zone}";
        if (UUID.test(s) || HEX32.test(s) || /^\d+$/.test(s)) return "{id}";
        return s;
      })
      .join("/")
  );
}

/** Do two refined types agree? null matches anything (the API answers null for unset fields),
 * an empty array matches any array, and a refined string only matters for ids and timestamps. */
export function sameType(field: string, recorded: string, emulated: string): boolean {
  if (recorded === emulated || recorded === "null" || emulated === "null") return true;
  const base = (t: string) => (t.startsWith("array") ? "array" : t.split(":")[0]);
  if (base(recorded) !== base(emulated)) return false;
  if (base(recorded) !== "string") return true;
  const key = field.split(".").pop()!.replace(/\[\]$/, "");
  const strict = key === "id" || key === "uid" || /_(id|at|on)$/.test(key) || key === "time_created";
  return !strict || recorded === emulated;
}
