import { z } from "zod";

// The typed part of a file the schema refused as a whole: every field that passes its own schema, at
// its place. Rules read this (not raw `unknown` data), so they still run when the schema failed
// elsewhere, and the admin sees every problem in one pass.

/** Like T, with every field optional (present only when that field's own schema accepts it). */
export type Salvaged<T> = T extends readonly (infer E)[]
  ? Salvaged<E>[]
  : T extends object
    ? { [K in keyof T]?: Salvaged<T[K]> }
    : T;

/**
 * Objects always come back as an object (`{}` for a non-mapping), so a list of objects keeps its
 * indices: users[2] in the salvage is users[2] in the file. Lists of plain values keep valid items.
 */
export function salvage<S extends z.ZodType>(schema: S, data: unknown): Salvaged<z.infer<S>> | undefined {
  return walk(schema, data) as Salvaged<z.infer<S>> | undefined;
}

function walk(schema: z.ZodType, data: unknown): unknown {
  if (schema instanceof z.ZodOptional)
    return data === undefined ? undefined : walk(schema.unwrap() as z.ZodType, data);
  if (schema instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    if (typeof data !== "object" || data === null || Array.isArray(data)) return out;
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const value = walk(field, (data as Record<string, unknown>)[key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (schema instanceof z.ZodRecord) {
    // groups: and access: keep every entry whose name is valid, each salvaged like an object, so one bad
    // entry does not make every reference to the others look unknown.
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (!(schema.keyType as z.ZodType).safeParse(key).success) continue;
      const walked = walk(schema.valueType as z.ZodType, value);
      if (walked !== undefined) out[key] = walked;
    }
    return out;
  }
  if (schema instanceof z.ZodArray) {
    if (!Array.isArray(data)) return undefined;
    const element = schema.element as z.ZodType;
    const items = data.map((item) => walk(element, item));
    return element instanceof z.ZodObject ? items : items.filter((item) => item !== undefined);
  }
  const result = schema.safeParse(data);
  return result.success ? result.data : undefined;
}
