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
}

/**
 * Items in write order, handed back once they have been left alone for `afterMs`. Its timers
 * are unref'd: a queue with work left never keeps a process alive.
 */
export class ColdQueue<T extends Written> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private readonly sliceMs: number;

  constructor(private readonly options: ColdQueueOptions<T>) {
    this.sliceMs = options.sliceMs ?? 2;
  }

  push(item: T): void {
    this.items.push(item);
    this.scheduleIn(item.writtenAt + this.options.afterMs - performance.now());
  }

  get size(): number {
    return this.items.length - this.head;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    this.items = [];
    this.head = 0;
  }

  private scheduleIn(delayMs: number): void {
    if (this.stopped || this.timer || this.immediate) return;
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
    const sliceEnd = performance.now() + this.sliceMs;
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      const now = performance.now();
      const due = item.writtenAt + this.options.afterMs;
      if (due > now) {
        this.compactStorage();
        return this.scheduleIn(due - now);
      }
      if (now >= sliceEnd) {
        this.immediate = setImmediate(() => {
          this.immediate = undefined;
          this.drain();
        });
        this.immediate.unref();
        return;
      }
      this.items[this.head++] = undefined;
      this.options.goneCold(item);
    }
    this.items = [];
    this.head = 0;
  }

  /** Drops the handed-back prefix once it is most of the array, so memory follows the backlog. */
  private compactStorage(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
