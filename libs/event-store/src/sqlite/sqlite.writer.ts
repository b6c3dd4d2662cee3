import type Database from 'better-sqlite3';
import { SqliteAppender } from './sqlite.appender';
import type { CallResult, SerializedCall } from './sqlite.serialized-appends';

/**
 * Where the SQLite store's transactions run: on the caller's thread, or on a writer thread.
 * Calls handed over close together share one transaction (group commit: a commit costs far
 * more than a row), each still judged on its own, in the order handed over, as if the calls
 * had come one after another.
 */
export interface SqliteWriter {
  /** One appendMany call's result. Rejects on an outage of the writer itself. */
  write(call: SerializedCall): Promise<CallResult>;
  /** Writes what was handed over, then lets go. */
  close(): Promise<void>;
}

interface WaitingCall {
  readonly call: SerializedCall;
  readonly resolve: (result: CallResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends on the store's own connection, blocking the event loop while SQLite works. The calls
 * made while the event loop is busy (several Kafka partitions' batches, concurrent HTTP
 * requests) share the transaction written at the end of the turn.
 */
export class InlineSqliteWriter implements SqliteWriter {
  private readonly appender: SqliteAppender;
  private waiting: WaitingCall[] = [];
  private scheduled = false;

  constructor(db: Database.Database) {
    this.appender = new SqliteAppender(db);
  }

  write(call: SerializedCall): Promise<CallResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.writeWaiting());
    });
  }

  async close(): Promise<void> {
    this.writeWaiting();
  }

  private writeWaiting(): void {
    this.scheduled = false;
    const group = this.waiting;
    if (group.length === 0) return;
    this.waiting = [];
    try {
      const results = this.appender.write(group.map((waiting) => waiting.call));
      group.forEach((waiting, i) => waiting.resolve(results[i]));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
