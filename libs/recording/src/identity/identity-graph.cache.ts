import type { RecordedEvent } from '@rapport/event-store';
import {
  evolveIdentityGraph,
  initialIdentityGraph,
  isIdentityEvent,
  type IdentityEvent,
  type IdentityGraph,
} from '@rapport/identity';

/** Links kept by default: ~100 MB of cached graph at most. */
export const DEFAULT_IDENTITY_CACHE_CAPACITY = 250_000;

/**
 * The identity graph as this instance knows it: every graph-stream event up to `revision`, and
 * the links of the identifiers it has met (read from their streams on first use). Only a
 * shortcut: every append it leads to carries an expected revision, and a refused one resets it.
 */
export class IdentityGraphCache {
  graph: IdentityGraph = initialIdentityGraph();

  /** At most this many links kept between resolutions (a million identifiers would not fit). */
  constructor(readonly capacity = DEFAULT_IDENTITY_CACHE_CAPACITY) {}
  /**
   * Last graph-stream revision folded in (-1: none). An identifier whose stream was read empty
   * is not remembered as free: another instance may link it next.
   */
  revision = -1n;

  /**
   * Before a resolution: over capacity, start again from the store, as after a refused append.
   * Nothing is decided from the cache alone (every append carries its expected revision), so
   * dropping it costs reads, never correctness. True when it was dropped.
   */
  makeRoom(): boolean {
    if (this.graph.links.size <= this.capacity) return false;
    this.reset();
    return true;
  }

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
