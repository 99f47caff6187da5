import * as pulumi from "@pulumi/pulumi";

// Objects to adopt in the next `up` through Pulumi's `import` resource option: the pending creates of a
// killed run that Cloudflare did carry out (src/converge/index.ts finds them by name), and the objects
// an adoption record names (src/adopt/record.ts). The program runs inline, in this process, so a
// transform registered when it starts can add the option to exactly those resources, by type and name,
// without the components knowing. (`pulumi import` is not used: it loads the nodejs language plugin,
// which an inline program never needs and the toolchain does not ship.) A scheduled entry may also carry
// inputs for a create: values the account held that the stack does not declare (adoption), or a new
// list's entries sent with its create, so a policy never points at an empty list.

interface Scheduled {
  id?: string;
  props?: Record<string, unknown>;
}
const scheduled = new Map<string, Scheduled>();
const key = (type: string, name: string) => `${type}::${name}`;

export function scheduleImports(
  imports: ReadonlyArray<{ type: string; name: string; id?: string; props?: Record<string, unknown> }>,
): void {
  for (const i of imports) {
    const prev = scheduled.get(key(i.type, i.name)) ?? {};
    scheduled.set(key(i.type, i.name), {
      id: i.id ?? prev.id,
      props: i.props || prev.props ? { ...prev.props, ...i.props } : undefined,
    });
  }
}

export function clearScheduledImports(): void {
  scheduled.clear();
}

/** Called by the program before it declares anything. */
export function registerScheduledImports(): void {
  if (scheduled.size === 0) return;
  const entries = new Map(scheduled);
  pulumi.runtime.registerResourceTransform((args) => {
    const s = entries.get(key(args.type, args.name));
    if (s === undefined) return undefined;
    return {
      props: s.props ? { ...args.props, ...s.props } : args.props,
      opts: s.id === undefined ? args.opts : { ...args.opts, import: s.id },
    };
  });
}
