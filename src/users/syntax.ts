import { Composer, CST, Document, LineCounter, Parser, YAMLError, YAMLParseError } from "yaml";

// Structure checks on YAML's concrete syntax tree, before a document is composed: the composer recurses
// once per nesting level (so deep brackets end in "Maximum call stack size exceeded"), and reports an
// unclosed `[` where the file ends instead of where the bracket opens. The CST parser keeps its own
// stack, so walking it is safe at any depth. The same tokens are then composed (what parseDocument
// does), so the file is lexed once.

/** users.yaml needs 5 levels (file → users → user → devices → device); anything far deeper is a mistake. */
export const MAX_DEPTH = 32;

export interface Structure {
  /** Offset of the first collection nested deeper than MAX_DEPTH. */
  tooDeep?: number;
  /** `[` and `{` that are never closed, by offset. */
  unclosed: { offset: number; open: string; close: string }[];
}

type Item = { key?: CST.Token | null; value?: CST.Token | null };

/** The document (unless nesting is too deep to compose safely) and the structure found on the way. */
export function parseYaml(text: string, lines: LineCounter): { doc?: Document.Parsed; structure: Structure } {
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const structure = scanStructure(tokens);
  if (structure.tooDeep !== undefined) return { structure };
  // As yaml's parseDocument: the first document, and an error for any second one.
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: true, version: "1.2" }).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      const message = "Source contains multiple documents; please use YAML.parseAllDocuments()";
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", message));
      break;
    }
  }
  return { doc, structure };
}

function scanStructure(tokens: readonly CST.Token[]): Structure {
  const out: Structure = { unclosed: [] };
  const stack: { token: CST.Token; depth: number }[] = [];
  for (const token of tokens) stack.push({ token, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const children: (CST.Token | null | undefined)[] = [];
    let nested = depth;
    switch (token.type) {
      case "document":
        children.push(token.value);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        nested = depth + 1;
        if (nested > MAX_DEPTH) {
          if (out.tooDeep === undefined || token.offset < out.tooDeep) out.tooDeep = token.offset;
          continue;
        }
        for (const item of token.items as Item[]) children.push(item.key, item.value);
        if (token.type === "flow-collection") {
          const close = token.start.source === "[" ? "]" : "}";
          if (!token.end.some((t) => t.source === close))
            out.unclosed.push({ offset: token.start.offset, open: token.start.source, close });
        }
        break;
    }
    for (const child of children) if (child) stack.push({ token: child, depth: nested });
  }
  out.unclosed.sort((a, b) => a.offset - b.offset);
  return out;
}

export type Pos = { line: number; col: number };
type Located = Pos & { message: string };

/**
 * YAML's errors as problems: an unclosed bracket at the bracket, a mis-indented item at its `-`, and
 * one error per line (the rest on a line are consequences of the first).
 */
export function syntaxProblems(
  errors: readonly YAMLError[],
  text: string,
  structure: Structure,
  at: (offset: number) => Pos,
): Located[] {
  const out: Located[] = [];
  const firstUnclosed = structure.unclosed[0]?.offset ?? Infinity;
  for (const u of structure.unclosed) {
    out.push({
      ...at(u.offset),
      message:
        `YAML syntax error: this ${u.open} is never closed: add the matching ${u.close} ` +
        "(a flow collection must be closed before the next key or list item)",
    });
  }
  const lines = new Set<number>();
  for (const error of errors) {
    const offset = error.pos[0];
    if (offset >= firstUnclosed) continue; // consequences of the unclosed bracket, already reported
    const pos = at(offset);
    if (lines.has(pos.line)) continue;
    lines.add(pos.line);
    out.push(misindented(error, text, pos, at) ?? { ...pos, message: yamlMessage(error) });
  }
  return out;
}

function yamlMessage(error: YAMLError): string {
  const first = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (error.code === "DUPLICATE_KEY")
    return `${first}: the same key is written twice in one mapping; keep one of them`;
  return `YAML syntax error: ${first}`;
}

/** The start of each line before `lineStart`, nearest first, skipping blank and comment-only lines. */
function* linesAbove(text: string, lineStart: number) {
  for (let end = lineStart - 1; end > 0;) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, "");
    if (line.trim() !== "" && !line.trimStart().startsWith("#")) yield { start, line };
    end = start - 1;
  }
}

/**
 * YAML reports a mis-indented line at column 1. Point at where the line really starts instead, and
 * when it is a list item or a key that does not line up with the one above it, name both columns.
 */
function misindented(error: YAMLError, text: string, pos: Pos, at: (offset: number) => Pos) {
  const lineStart = error.pos[0] - (pos.col - 1);
  const newline = text.indexOf("\n", lineStart);
  const lineText = text.slice(lineStart, newline === -1 ? undefined : newline);
  const indent = /^ */.exec(lineText)![0].length;
  if (pos.col > indent + 1 || indent === lineText.trimEnd().length) return undefined;
  const col = indent + 1;
  const isItem = lineText.startsWith("- ", indent) || lineText.trimEnd().endsWith("-");
  if (isItem && ["BLOCK_AS_IMPLICIT_KEY", "BAD_INDENT"].includes(error.code)) {
    let above: Pos | undefined;
    for (const { start, line } of linesAbove(text, lineStart)) {
      const m = /^( *)-( |$)/.exec(line);
      if (m) above = at(start + m[1].length);
      if (m || /^ *[^ -]/.test(line.slice(0, col))) break;
    }
    const where =
      above && above.col !== col
        ? `, but the item above it (line ${above.line}) starts at column ${above.col}`
        : "";
    return {
      line: pos.line,
      col,
      message: `YAML syntax error: this list item starts at column ${col}${where}: line up the "-" of every item in the list`,
    };
  }
  if (!isItem && /Sequence item without - indicator/.test(error.message)) {
    const above = linesAbove(text, lineStart).next().value;
    const m = above && /^( *(?:- +)?)[^\s#]/.exec(above.line);
    const keyAbove = m ? at(above.start + m[1].length) : undefined;
    const where = keyAbove
      ? `, but the key above it (line ${keyAbove.line}) starts at column ${keyAbove.col}`
      : "";
    return {
      line: pos.line,
      col,
      message: `YAML syntax error: this line starts at column ${col}${where}: indent the keys of one entry alike`,
    };
  }
  return { line: pos.line, col, message: yamlMessage(error) };
}
