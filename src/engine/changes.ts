// Which resources an operation would change, from the engine's own step events (the same data
// the CLI's progress display is built from), for `preview --expect-no-changes` and for tests.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { revocationsBetween, type Grants, type Revocations } from "../model/revocation";

export interface PlannedChange {
  urn: string;
  type: string;
  op: OpType;
  /** Top-level properties that differ, when the provider reported them. */
  diffs: string[];
  /** For the revocation ledger (components/revocation.ts): who this step revokes. */
  revokes?: Revocations;
}

/** The name components/revocation.ts gives its ledger. */
export const LEDGER_SUFFIX = "::revoke-on-removal-ledger";

type Meta = NonNullable<NonNullable<EngineEvent["resourcePreEvent"]>["metadata"]>;

function ledgerRevocations(m: Meta): Revocations | undefined {
  if (!m.urn.endsWith(LEDGER_SUFFIX)) return undefined;
  const grants = (s: Meta["old"]) => (s?.inputs as { grants?: Grants } | undefined)?.grants;
  return revocationsBetween(grants(m.old), m.op === "delete" ? {} : grants(m.new));
}

const NO_CHANGE: ReadonlySet<OpType> = new Set<OpType>(["same", "read", "refresh"]);

export function summarizeChanges(events: EngineEvent[]): PlannedChange[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m): m is NonNullable<typeof m> => m !== undefined && !NO_CHANGE.has(m.op))
    .map((m) => {
      const revokes = ledgerRevocations(m);
      return { urn: m.urn, type: m.type, op: m.op, diffs: m.diffs ?? [], ...(revokes ? { revokes } : {}) };
    });
}

/** `urn:pulumi:stack::project::type::name` -> `type::name`, for messages. */
export function shortUrn(urn: string): string {
  return urn.split("::").slice(2).join("::");
}
