import { setImmediate as nextTurn } from 'node:timers/promises';

/** How much a reading loop may do between two turns of the event loop. */
export interface ReadSliceBound {
  /** Events read (and opened, where the store decrypts them) between two turns. */
  readonly events: number;
  /** Time between two turns however few events that was: large events, slow decryption. */
  readonly ms: number;
}

/**
 * A few thousand events or 50 ms: a turn costs microseconds, and a liveness probe or a query
 * then waits at most about one SQLite page (1,000 events) plus this.
 */
export const DEFAULT_READ_SLICE: ReadSliceBound = { events: 2_000, ms: 50 };

/**
 * Counts what a loop over a subscription did since it last let the event loop turn. The embedded
 * stores (SQLite, and the encrypting store over it) answer every read without I/O, so a loop
 * that only awaits them runs on microtasks: on the demo store a catch-up read and decrypted
 * 113k events (about 15 s) before a timer, a probe or a query could run.
 */
export class ReadSlice {
  private events = 0;
  private startedAt: number;

  constructor(
    private readonly bound: ReadSliceBound = DEFAULT_READ_SLICE,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  /** Counts one event read: true once the slice is full, when the loop should `nextTurn()`. */
  counted(): boolean {
    this.events += 1;
    return this.events >= this.bound.events || this.now() - this.startedAt >= this.bound.ms;
  }

  /** Lets timers and I/O (probes, queries) run, then starts the next slice. */
  async nextTurn(): Promise<void> {
    await nextTurn();
    this.events = 0;
    this.startedAt = this.now();
  }
}
