import { Document, isScalar, visit } from "yaml";

// C0/C1 controls (tab, LF and CR are fine), and invisible characters that can hide a different
// address inside an innocent-looking line (bidi marks and overrides, zero-width characters). They are
// refused whether written raw or as a double-quoted YAML escape ("Alice\u202Eevil"): both end up in
// the value.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: users.yaml refuses them
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, "g");

const RETYPE = "delete it and retype the text around it (it often comes from copying out of a PDF or chat)";

type At = (offset: number, message: string) => void;

export const isForbidden = (char: string) => FORBIDDEN.test(char);
export const hasForbidden = (text: string) => FORBIDDEN.test(text);
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Raw characters anywhere in the file, comments included (a bidi override can disguise the line it is on). */
export function rawCharacters(text: string, at: At): void {
  for (const match of text.matchAll(FORBIDDEN_ALL)) {
    at(match.index, `invisible or control character ${codePoint(match[0])}; ${RETYPE}`);
  }
}

// The escapes of double-quoted YAML scalars that produce one character (YAML 1.2, 5.7).
const NAMED: Record<string, string> = {
  "0": "\u0000",
  a: "\u0007",
  b: "\u0008",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\u000B",
  f: "\u000C",
  r: "\r",
  e: "\u001B",
  N: "\u0085",
  _: "\u00A0",
  L: "\u2028",
  P: "\u2029",
};
const ESCAPE = /\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[\s\S])/g;

/** Escapes in double-quoted scalars (keys too) that decode to a forbidden character, at the backslash. */
export function escapedCharacters(doc: Document, text: string, at: At): void {
  visit(doc, {
    Scalar(_, node) {
      if (!isScalar(node) || node.type !== "QUOTE_DOUBLE" || !node.range) return;
      const [start, end] = node.range;
      for (const match of text.slice(start, end).matchAll(ESCAPE)) {
        const body = match[1];
        const char = body.length > 1 ? String.fromCodePoint(parseInt(body.slice(1), 16)) : NAMED[body];
        if (char === undefined || !isForbidden(char)) continue;
        at(
          start + match.index,
          `invisible or control character ${codePoint(char)} written as the escape ${match[0]}; ${RETYPE}`,
        );
      }
    },
  });
}
