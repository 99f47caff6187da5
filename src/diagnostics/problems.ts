// One reported problem in an input file (users.yaml, Pulumi.<stack>.yaml), located at the YAML node it is about.
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
  /** The named rule that found it (src/users/rules.ts), when one did; callers may treat some apart. */
  rule?: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** The block printed on stderr: one line per problem, then the count, so CI logs and terminals read the same. */
export function formatProblems(problems: readonly Problem[]): string {
  const sorted = [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
  const lines = sorted.map(formatProblem);
  lines.push(`${problems.length} problem${problems.length === 1 ? "" : "s"} found; nothing was changed.`);
  return lines.join("\n");
}

/** Thrown where a caller cannot return problems (the Pulumi program): carries all of them, not just the first. */
export class InputError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "InputError";
  }
}

/** Readable path for messages: users[3].devices[0].serial */
export function describePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "the file";
}

/** Closest known word, for "did you mean" hints on typos such as `emial`. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
