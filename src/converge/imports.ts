import * as pulumi from "@pulumi/pulumi";

// Objects to adopt in the next `up` through Pulumi's `import` resource option: the pending creates of a
// killed run that Cloudflare did carry out (src/converge/index.ts finds them by name). The program runs
// inline, in this process, so a transform registered when it starts can add the option to exactly those
// resources, by type and name, without the components knowing. (`pulumi import` is not used: it loads
// the nodejs language plugin, which an inline program never needs and the toolchain does not ship.)

const scheduled = new Map<string, string>();
const key = (type: string, name: string) => `${type}::${name}`;

export function scheduleImports(imports: ReadonlyArray<{ type: string; name: string; id: string }>): void {
  for (const i of imports) scheduled.set(key(i.type, i.name), i.id);
}

export function clearScheduledImports(): void {
  scheduled.clear();
}

/** Called by the program before it declares anything. */
export function registerScheduledImports(): void {
  if (scheduled.size === 0) return;
  const ids = new Map(scheduled);
  pulumi.runtime.registerResourceTransform((args) => {
    const id = ids.get(key(args.type, args.name));
    return id === undefined ? undefined : { props: args.props, opts: { ...args.opts, import: id } };
  });
}
