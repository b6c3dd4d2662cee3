import type Database from 'better-sqlite3';
import { SqliteAppender } from './sqlite.appender';
import type { CallResult, SerializedCall } from './sqlite.serialized-appends';

/** Where the SQLite store's transactions run: on the caller's thread, or on a writer thread. */
export interface SqliteWriter {
  /** One transaction for the calls (more where one call's requests fail). Rejects on an outage of the writer itself. */
  write(calls: readonly SerializedCall[]): Promise<CallResult[]>;
  /** After the last write settled. */
  close(): Promise<void>;
}

/** Appends on the store's own connection, blocking the event loop while SQLite works. */
export class InlineSqliteWriter implements SqliteWriter {
  private readonly appender: SqliteAppender;

  constructor(db: Database.Database) {
    this.appender = new SqliteAppender(db);
  }

  async write(calls: readonly SerializedCall[]): Promise<CallResult[]> {
    return this.appender.write(calls);
  }

  async close(): Promise<void> {}
}
