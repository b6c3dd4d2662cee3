/**
 * The stand-in's storage: one append-only log ($all) plus a per-stream index, in memory.
 *
 * Write rules follow EventStoreDB's commit check (IndexWriter.CheckCommit): an append whose ids
 * are already in the stream right after the expected revision is acknowledged as idempotent and
 * not written again; with `any`, a batch whose first id is already in the stream is idempotent.
 * A batch that only partly repeats earlier events is a wrong-expected-version, as on the server.
 */

export interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  /** Log position; commit == prepare for every event, as on EventStoreDB 20+. */
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata. */
  readonly created: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly kind: 'written' | 'idempotent';
      /** Revision of the last event of the batch, or -1n when nothing exists (empty append). */
      readonly lastRevision: bigint;
      /** Position of the last event of the batch; undefined when the batch was empty. */
      readonly position: bigint | undefined;
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint };

/** Revision -1 means "no stream", as in the server's ExpectedVersion.NoStream. */
const NO_STREAM = -1n;

/**
 * Positions are byte offsets in a real log; the stand-in mimics that with a rough record size so
 * that positions have gaps and nobody can get away with `position + 1` arithmetic.
 */
const RECORD_OVERHEAD = 88n;

export class InMemoryEventLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Per stream, event id -> event: the server keeps a cache of recent ids for `any` retries. */
  private readonly ids = new Map<string, Map<string, StoredEvent>>();
  private readonly waiters = new Set<() => void>();
  private nextPosition = 0n;

  constructor(private readonly clock: () => number = Date.now) {}

  get length(): number {
    return this.all.length;
  }

  at(index: number): StoredEvent {
    return this.all[index];
  }

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  append(
    streamName: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    const existing = this.streams.get(streamName) ?? [];
    const current = BigInt(existing.length) - 1n;

    if (expected.kind === 'any') {
      const ids = this.ids.get(streamName);
      const first = events[0] && ids?.get(events[0].id);
      if (first) {
        let last = first;
        for (const proposed of events.slice(1)) {
          const found = ids?.get(proposed.id);
          if (!found) return { kind: 'wrong_expected_version', currentRevision: current };
          last = found;
        }
        return { kind: 'idempotent', lastRevision: last.revision, position: last.position };
      }
      return this.write(streamName, existing, events);
    }

    let expectedRevision: bigint;
    if (expected.kind === 'stream_exists') {
      if (current === NO_STREAM)
        return { kind: 'wrong_expected_version', currentRevision: NO_STREAM };
      expectedRevision = current;
    } else {
      expectedRevision = expected.kind === 'no_stream' ? NO_STREAM : expected.revision;
    }

    if (expectedRevision < current) {
      // Same ids right after the expected revision: a retry of a write that already happened.
      let revision = expectedRevision;
      for (const proposed of events) {
        revision += 1n;
        const stored = revision <= current ? existing[Number(revision)] : undefined;
        if (stored?.id !== proposed.id)
          return { kind: 'wrong_expected_version', currentRevision: current };
      }
      if (events.length === 0) return { kind: 'wrong_expected_version', currentRevision: current };
      const last = existing[Number(revision)];
      return { kind: 'idempotent', lastRevision: last.revision, position: last.position };
    }
    if (expectedRevision > current) {
      return { kind: 'wrong_expected_version', currentRevision: current };
    }
    return this.write(streamName, existing, events);
  }

  /** Resolves once the log holds more than `length` events (or at once if it already does). */
  waitForAppend(length: number): { promise: Promise<void>; cancel: () => void } {
    if (this.all.length > length) return { promise: Promise.resolve(), cancel: () => {} };
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const waiter = () => {
      if (this.all.length > length) {
        this.waiters.delete(waiter);
        wake();
      }
    };
    this.waiters.add(waiter);
    return {
      promise,
      cancel: () => {
        this.waiters.delete(waiter);
        wake();
      },
    };
  }

  /** Index in $all of the first event at or after `position`; `length` when there is none. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.all[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private write(
    streamName: string,
    existing: StoredEvent[],
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    if (events.length === 0) {
      const last = existing[existing.length - 1];
      return {
        kind: 'written',
        lastRevision: BigInt(existing.length) - 1n,
        position: last?.position,
      };
    }
    const created = BigInt(this.clock()) * 10_000n;
    const ids = this.ids.get(streamName) ?? new Map<string, StoredEvent>();
    this.ids.set(streamName, ids);
    let last: StoredEvent | undefined;
    for (const proposed of events) {
      last = {
        ...proposed,
        streamName,
        revision: BigInt(existing.length),
        position: this.nextPosition,
        created,
      };
      this.nextPosition +=
        RECORD_OVERHEAD +
        BigInt(
          Buffer.byteLength(streamName) +
            Buffer.byteLength(proposed.type) +
            proposed.data.length +
            proposed.metadata.length,
        );
      existing.push(last);
      ids.set(last.id, last);
      this.all.push(last);
    }
    this.streams.set(streamName, existing);
    for (const waiter of [...this.waiters]) waiter();
    return { kind: 'written', lastRevision: last!.revision, position: last!.position };
  }
}
