import { Problem } from "./problems";

// users.yaml must be UTF-8. Windows Notepad's "Unicode" (UTF-16) and editors saving Latin-1 are the
// usual accidents: decoded as UTF-8 they become a garbled first line, a hundred U+0000 problems, or
// U+FFFD letters that silently change a name or an address. Detect them from the bytes, before YAML.

const SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: File → Save as → Encoding: UTF-8)";

/** The encoding announced by a byte order mark or by the NUL pattern of the first bytes (YAML 1.2, 5.2). */
function wideEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return "UTF-32 (big-endian)";
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return "UTF-32 (little-endian)";
  if (b[0] === 0xfe && b[1] === 0xff) return "UTF-16 (big-endian)";
  if (b[0] === 0xff && b[1] === 0xfe) return "UTF-16 (little-endian)";
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] !== 0) return "UTF-32 (big-endian)";
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) return "UTF-32 (little-endian)";
  if (b.length >= 2 && b[0] === 0 && b[1] !== 0) return "UTF-16 (big-endian)";
  if (b.length >= 2 && b[0] !== 0 && b[1] === 0) return "UTF-16 (little-endian)";
  return undefined;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there cannot start one. */
function sequenceLength(b: Uint8Array, i: number): number {
  const x = b[i];
  if (x < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (x >= 0xc2 && x <= 0xdf) return cont(1) ? 2 : 0;
  if (x === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (x === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no UTF-16 surrogates
  if (x >= 0xe1 && x <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (x === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (x >= 0xf1 && x <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (x === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function firstInvalidByte(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const n = sequenceLength(b, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** The file's bytes as text, or the one problem that says how to save it. */
export function decodeUsersBytes(bytes: Uint8Array, file: string): { text: string } | { problem: Problem } {
  const wide = wideEncoding(bytes);
  if (wide) {
    return {
      problem: { file, line: 1, col: 1, message: `the file is saved as ${wide}, not UTF-8: ${SAVE_AS_UTF8}` },
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidByte(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, bad - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    // Columns count characters, as in every other message: decode the (valid) start of the line.
    const col = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, bad)).length + 1;
    const hex = bytes[bad].toString(16).toUpperCase().padStart(2, "0");
    const latin1 = String.fromCharCode(bytes[bad]);
    const hint = bytes[bad] >= 0xa0 ? ` (it looks like "${latin1}" saved as Latin-1 or Windows-1252)` : "";
    return {
      problem: {
        file,
        line,
        col,
        message: `byte 0x${hex} is not valid UTF-8${hint}: ${SAVE_AS_UTF8}`,
      },
    };
  }
}
