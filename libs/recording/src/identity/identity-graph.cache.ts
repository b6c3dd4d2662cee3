import type { RecordedEvent } from '@rapport/event-store';
import {
  evolveIdentityGraph,
  initialIdentityGraph,
  isIdentityEvent,
  type IdentityEvent,
  type IdentityGraph,
} from '@rapport/identity';

/**
 * The identity graph as this instance knows it: every graph-stream event up to `revision`, and
 * the links of the identifiers it has met (read from their streams on first use). Only a
 * shortcut: every append it leads to carries an expected revision, and a refused one resets it.
 */
export class IdentityGraphCache {
  graph: IdentityGraph = initialIdentityGraph();
  /**
   * Last graph-stream revision folded in (-1: none). An identifier whose stream was read empty
   * is not remembered as free: another instance may link it next.
   */
  revision = -1n;

  reset(): void {
    this.graph = initialIdentityGraph();
    this.revision = -1n;
  }

  fold(recorded: readonly RecordedEvent[]): void {
    for (const event of recorded) {
      const identity = asIdentityEvent(event);
      if (identity) evolveIdentityGraph(this.graph, identity);
    }
  }

  apply(events: readonly IdentityEvent[]): void {
    for (const event of events) evolveIdentityGraph(this.graph, event);
  }
}

function asIdentityEvent(recorded: RecordedEvent): IdentityEvent | undefined {
  if (!isIdentityEvent(recorded)) return undefined;
  return { type: recorded.type, data: recorded.data } as unknown as IdentityEvent;
}
