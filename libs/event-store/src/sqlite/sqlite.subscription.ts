import type { EventEmitter } from 'node:events';
import type { EventSubscription, RecordedEvent } from '../event-store.port';

interface SqliteSubscriptionOptions {
  readonly after: bigint;
  readonly readPage: (after: bigint) => RecordedEvent[];
  /** Fires on every successful append by this process. */
  readonly appended: EventEmitter;
  /** Other processes (an import, a CLI) write to the same file: look for their events too. */
  readonly pollIntervalMs: number;
}

/**
 * Catch-up subscription over the events table: pages through history, then waits for the
 * next append (or the poll interval) and pages again. Position order is commit order, so
 * paging by `position > last` can neither skip nor repeat an event.
 */
export class SqliteSubscription implements EventSubscription {
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly onAppend = () => this.wake?.();
  private readonly onStoreClosed = () => void this.close();

  constructor(private readonly options: SqliteSubscriptionOptions) {
    options.appended.on('appended', this.onAppend);
    options.appended.on('closed', this.onStoreClosed);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after = this.options.after;
    try {
      while (!this.closed) {
        const page = this.options.readPage(after);
        for (const event of page) {
          if (this.closed) return;
          yield event;
          after = event.position;
        }
        if (page.length === 0) await this.nextAppendOrPoll();
      }
    } finally {
      this.detach();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.detach();
  }

  private nextAppendOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
    });
  }

  private detach(): void {
    this.options.appended.off('appended', this.onAppend);
    this.options.appended.off('closed', this.onStoreClosed);
  }
}
