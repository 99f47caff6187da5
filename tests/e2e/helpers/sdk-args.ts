// Reads the input names of @pulumi/cloudflare's TypeScript `*Args` interfaces with the
// TypeScript compiler's parser, so the comparison sees exactly what program authors compile against.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export interface ArgsShape {
  names: string[];
  required: string[];
}

const sdkDir = (pkg: string) => join(__dirname, "..", "..", "..", "node_modules", "@pulumi", pkg);

export function sdkVersion(pkg = "cloudflare"): string {
  return JSON.parse(readFileSync(join(sdkDir(pkg), "package.json"), "utf8")).version;
}

/** Members of `export interface <name>` in node_modules/@pulumi/<pkg>/<file>.d.ts. */
export function readArgs(file: string, name: string, pkg = "cloudflare"): ArgsShape {
  const path = join(sdkDir(pkg), `${file}.d.ts`);
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022);
  const decl = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!decl) throw new Error(`${path} has no interface ${name}`);
  const members = decl.members.filter(ts.isPropertySignature);
  const nameOf = (m: ts.PropertySignature) => (m.name as ts.Identifier).text;
  return {
    names: members.map(nameOf).sort(),
    required: members
      .filter((m) => !m.questionToken)
      .map(nameOf)
      .sort(),
  };
}
