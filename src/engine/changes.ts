// Which resources an operation would change, from the engine's own step events (the same data
// the CLI's progress display is built from), for `preview --expect-no-changes` and for tests.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";

export interface PlannedChange {
  urn: string;
  type: string;
  op: OpType;
  /** Top-level properties that differ, when the provider reported them. */
  diffs: string[];
}

const NO_CHANGE: ReadonlySet<OpType> = new Set<OpType>(["same", "read", "refresh"]);

export function summarizeChanges(events: EngineEvent[]): PlannedChange[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m): m is NonNullable<typeof m> => m !== undefined && !NO_CHANGE.has(m.op))
    .map((m) => ({ urn: m.urn, type: m.type, op: m.op, diffs: m.diffs ?? [] }));
}

/** `urn:pulumi:stack::project::type::name` -> `type::name`, for messages. */
export function shortUrn(urn: string): string {
  return urn.split("::").slice(2).join("::");
}
