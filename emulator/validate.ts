// Request-body validation with Cloudflare-style 400 errors. All problems of a
// body are collected and returned at once, as the real API does for schema errors.
import { isIP } from "node:net";
import { ApiError, type CfError, type Obj, isObj } from "./http";

export class Checker {
  private readonly errors: CfError[] = [];
  constructor(
    readonly body: Obj,
    private readonly code: number,
  ) {}

  error(message: string): this {
    this.errors.push({ code: this.code, message });
    return this;
  }

  private has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  required(...fields: string[]): this {
    for (const f of fields) if (!this.has(f) || this.body[f] === "") this.error(`${f} is required`);
    return this;
  }

  string(...fields: string[]): this {
    for (const f of fields)
      if (this.has(f) && typeof this.body[f] !== "string") this.error(`${f} must be a string`);
    return this;
  }

  boolean(...fields: string[]): this {
    for (const f of fields)
      if (this.has(f) && typeof this.body[f] !== "boolean") this.error(`${f} must be a boolean`);
    return this;
  }

  number(...fields: string[]): this {
    for (const f of fields)
      if (this.has(f) && (typeof this.body[f] !== "number" || !Number.isFinite(this.body[f])))
        this.error(`${f} must be a number`);
    return this;
  }

  array(...fields: string[]): this {
    for (const f of fields)
      if (this.has(f) && !Array.isArray(this.body[f])) this.error(`${f} must be an array`);
    return this;
  }

  object(...fields: string[]): this {
    for (const f of fields) if (this.has(f) && !isObj(this.body[f])) this.error(`${f} must be an object`);
    return this;
  }

  oneOf(field: string, allowed: readonly string[]): this {
    const v = this.body[field];
    if (this.has(field) && (typeof v !== "string" || !allowed.includes(v)))
      this.error(`${field} must be one of: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    return this;
  }

  duration(...fields: string[]): this {
    for (const f of fields)
      if (this.has(f) && !isDuration(this.body[f])) this.error(`${f} must be a duration like 30m or 2h45m`);
    return this;
  }

  check(cond: boolean, message: string): this {
    if (!cond) this.error(message);
    return this;
  }

  /** Throw a 400 if anything was wrong. */
  done(): void {
    if (this.errors.length) throw new ApiError(400, this.errors);
  }
}

/** The body of a write must be a JSON object; anything else is a 400. */
export function objectBody(body: unknown, code: number): Obj {
  if (!isObj(body)) throw new ApiError(400, [{ code, message: "request body must be a JSON object" }]);
  return body;
}

// Go's time.ParseDuration grammar, which Access uses for session durations.
const DURATION =
  /^(?:0|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*)$/;
export function isDuration(v: unknown): boolean {
  return typeof v === "string" && DURATION.test(v);
}

export function isEmail(v: unknown): boolean {
  return typeof v === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
}

export function isHostname(v: unknown): boolean {
  return (
    typeof v === "string" &&
    v.length <= 253 &&
    /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(v)
  );
}

/** "10.0.0.0/8", "fd00::/8" (prefix required) */
export function isCidr(v: unknown): boolean {
  if (typeof v !== "string") return false;
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const fam = isIP(m[1]);
  const bits = Number(m[2]);
  return (fam === 4 && bits <= 32) || (fam === 6 && bits <= 128);
}

export function isIpOrCidr(v: unknown): boolean {
  return typeof v === "string" && (isIP(v) !== 0 || isCidr(v));
}
