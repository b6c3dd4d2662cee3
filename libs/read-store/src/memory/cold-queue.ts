import type { EventLoopUtilization, Performance as NodePerformance } from 'node:perf_hooks';

/** What the queue reads of time: `performance`'s clock and the event loop's utilization. */
export type ColdQueueClock = Pick<NodePerformance, 'now' | 'eventLoopUtilization'>;

// The global clock, not node:perf_hooks' export, so that Jest's fake timers move it; typed as
// Node's because a DOM-typed compilation (the browser tests') sees the global as the DOM's.
const globalClock = (): ColdQueueClock => performance as unknown as NodePerformance;

/** Something written at `writtenAt` (performance.now() milliseconds) that may go cold. */
export interface Written {
  readonly writtenAt: number;
}

export interface ColdQueueOptions<T extends Written> {
  /** How long after its write an item is handed to `goneCold`. */
  readonly afterMs: number;
  /** Called once per item, oldest first, in slices that yield to the event loop. */
  readonly goneCold: (item: T) => void;
  /**
   * Longest run of `goneCold` calls before yielding, in milliseconds: what a request arriving
   * meanwhile waits at most (plus one call).
   */
  readonly sliceMs?: number;
  /**
   * Most of the process's time a backlog may take, 0–1 (default 0.2): after each slice it rests
   * in proportion. A slice per event-loop turn would take nearly all of a busy server's time
   * (requests cost a fraction of a millisecond each), and a catch-up's worth of records going
   * cold at once would stall queries for seconds.
   */
  readonly shareOfTime?: number;
  /**
   * How busy the event loop may be, 0–1 (default 0.6), counting the backlog: while other work
   * (requests) keeps it busier than this less the share, the backlog takes less, down to a
   * fiftieth of the time. A server near its capacity queues every request behind whatever the
   * backlog adds; a write-out that takes longer only keeps records live for longer.
   */
  readonly busyCeiling?: number;
  /**
   * Default: the global `performance`. Given by tests so that work and rests are counted in
   * simulated milliseconds: Jest's fake `performance` has no event-loop utilization.
   */
  readonly clock?: ColdQueueClock;
}

/** The least share a backlog takes, however busy the loop: it always drains, if slowly. */
const MIN_SHARE = 0.02;

/**
 * Items in write order, handed back once they have been left alone for `afterMs`. Time is the
 * global `performance` clock, as the read store stamps `writtenAt` (and as Jest's fake timers
 * replace it). Its timers
 * are unref'd: a queue with work left never keeps a process alive.
 */
export class ColdQueue<T extends Written> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly sliceMs: number;
  private readonly maxShare: number;
  private readonly busyCeiling: number;
  /** The event loop's utilization when the last rest began, to tell how busy others kept it. */
  private restBegan: EventLoopUtilization | undefined;
  private readonly clock: () => ColdQueueClock;

  constructor(private readonly options: ColdQueueOptions<T>) {
    this.sliceMs = options.sliceMs ?? 2;
    this.maxShare = options.shareOfTime ?? 0.2;
    this.busyCeiling = options.busyCeiling ?? 0.6;
    const given = options.clock;
    this.clock = given ? () => given : globalClock;
    if (!(this.maxShare > 0 && this.maxShare <= 1))
      throw new RangeError('shareOfTime must be in (0, 1]');
    if (!(this.busyCeiling > 0 && this.busyCeiling <= 1))
      throw new RangeError('busyCeiling must be in (0, 1]');
  }

  push(item: T): void {
    this.items.push(item);
    this.scheduleIn(item.writtenAt + this.options.afterMs - this.clock().now());
  }

  get size(): number {
    return this.items.length - this.head;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
    this.head = 0;
  }

  private scheduleIn(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.drain();
      },
      Math.max(0, Math.ceil(delayMs)),
    );
    this.timer.unref();
  }

  private drain(): void {
    const othersBusy = this.restBegan
      ? this.clock().eventLoopUtilization(this.restBegan).utilization
      : 0;
    this.restBegan = undefined;
    const sliceStart = this.clock().now();
    const sliceEnd = sliceStart + this.sliceMs;
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      const now = this.clock().now();
      const due = item.writtenAt + this.options.afterMs;
      if (due > now) {
        this.compactStorage();
        return this.scheduleIn(due - now);
      }
      if (now >= sliceEnd) return this.rest(now - sliceStart, othersBusy);
      this.items[this.head++] = undefined;
      this.options.goneCold(item);
    }
    this.items = [];
    this.head = 0;
  }

  /**
   * Rests in proportion to the slice just run: the busier others kept the loop during the last
   * rest (`othersBusy`, 0–1), the longer.
   */
  private rest(busyMs: number, othersBusy: number): void {
    const share = Math.min(this.maxShare, Math.max(MIN_SHARE, this.busyCeiling - othersBusy));
    this.restBegan = this.clock().eventLoopUtilization();
    this.scheduleIn((busyMs * (1 - share)) / share);
  }

  /** Drops the handed-back prefix once it is most of the array, so memory follows the backlog. */
  private compactStorage(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
