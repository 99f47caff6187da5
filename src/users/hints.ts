import { hasForbidden } from "./characters";
import { DURATION_PATTERN, OS_VALUES } from "./schema";
import { formatDuration } from "../model/sessions";

// The actual cause of a refused value, when it is one of the usual mistakes, with the fix written out.
// Each returns the whole message, or undefined to keep the schema's generic one.

/** `where` is the readable path, e.g. users[0].email. */
export function hintFor(path: readonly PropertyKey[], where: string, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const last = path[path.length - 1];
  if (path[0] === "sessions" && path.length === 2) return durationHint(where, value);
  if (path[0] === "users" && path.length === 3 && last === "email") return emailHint(where, value);
  if (path[0] === "users" && path.length === 5 && last === "os") return osHint(where, value);
  return undefined;
}

const UNITS: [RegExp, number][] = [
  [/^(m|mins?|minutes?)$/i, 1],
  [/^(h|hrs?|hours?)$/i, 60],
  [/^(d|days?)$/i, 24 * 60],
  [/^(w|weeks?)$/i, 7 * 24 * 60],
];

/** `7d`, `8 hours`, `8H`, `1.5h`: say the duration in the form accepted (days are not: 7d is 168h). */
function durationHint(where: string, value: string): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  if (!m || DURATION_PATTERN.test(value)) return undefined;
  const unit = UNITS.find(([re]) => re.test(m[2]))?.[1];
  const minutes = unit === undefined ? NaN : Number(m[1]) * unit;
  if (!Number.isInteger(minutes) || minutes <= 0) return undefined;
  return `${where} is ${value}: write ${formatDuration(minutes)} (a duration is a whole number followed by h or m; days are not accepted)`;
}

// Letters of other alphabets that look like Latin ones in most fonts (the usual homoglyphs).
const LOOKALIKES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ʏ: "y",
  α: "a",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
};
const SCRIPTS = ["Cyrillic", "Greek", "Armenian", "Cherokee", "Latin"] as const;

function describeChar(c: string): string {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (/\s/.test(c)) return `a space (${code})`;
  const script = SCRIPTS.find((s) => new RegExp(`\\p{Script=${s}}`, "u").test(c));
  const kind = script === "Latin" ? "the accented letter" : script ? `the ${script} letter` : "the character";
  const looks = LOOKALIKES[c] ? `, which looks like the Latin "${LOOKALIKES[c]}"` : "";
  return `${kind} "${c}" (${code})${looks}`;
}

function emailHint(where: string, value: string): string | undefined {
  if (hasForbidden(value)) return undefined; // reported on its own, at the character
  const named = /^\s*(?:"[^"]*"|[^<>"]*)\s*<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+)\s*>\s*$/i.exec(value);
  if (named) return `${where} is "${value}": write only the address: ${named[1]} (put the name in name:)`;
  const mailto = /^\s*mailto:(\S+@\S+)\s*$/i.exec(value);
  if (mailto) return `${where} is "${value}": write only the address: ${mailto[1]}`;
  if (value !== value.trim() && !/\s/.test(value.trim())) {
    const end = /\s$/.test(value) ? "ends" : "starts";
    return `${where} "${value}" ${end} with a space: delete it (${value.trim()})`;
  }
  const odd = [...value].filter((c) => /\s/.test(c) || c.codePointAt(0)! > 0x7e);
  if (odd.length === 0) return undefined;
  const distinct = [...new Set(odd)];
  const fixed = [...value].map((c) => LOOKALIKES[c] ?? c).join("");
  const fix = distinct.every((c) => LOOKALIKES[c])
    ? `retype it with Latin letters: ${fixed}`
    : distinct.every((c) => /\s/.test(c))
      ? "an address has no spaces: delete them"
      : "an address here is written with ASCII letters, digits and . _ + - only";
  return `${where} "${value}" contains ${distinct.map(describeChar).join(" and ")}: ${fix}`;
}

const OS_ALIASES: Record<string, (typeof OS_VALUES)[number]> = {
  mac: "macos",
  osx: "macos",
  macosx: "macos",
  darwin: "macos",
  win: "windows",
  win10: "windows",
  win11: "windows",
  windows10: "windows",
  windows11: "windows",
  ubuntu: "linux",
  debian: "linux",
  fedora: "linux",
  rhel: "linux",
  centos: "linux",
  arch: "linux",
};

function osHint(where: string, value: string): string | undefined {
  const key = value.toLowerCase().replace(/[\s_-]/g, "");
  const meant = (OS_VALUES as readonly string[]).includes(key) ? key : OS_ALIASES[key];
  if (!meant) return undefined;
  return `${where} is "${value}": did you mean "${meant}"? (os is one of ${OS_VALUES.join(", ")}, in lower case)`;
}
