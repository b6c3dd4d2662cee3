import Database from 'better-sqlite3';

/**
 * WAL pages a committing connection lets gather before it copies them back into the database
 * file (SQLite's default is 1,000, about 4 MiB). A checkpoint writes each page once however
 * many commits changed it, and the indexes of random keys (event ids, identifier streams'
 * names) change pages all over a large store: at 1,000 pages nearly every page in the WAL was
 * a different one in a store of a million identifier links, so each commit paid again for
 * copying what it wrote. Measured with a store-level replay of bench:kafka's identity write
 * pattern (60,000 touchpoints, main and this build alternately, load average ~19), together
 * with the appender's one name seek less for a new stream: CPU a touchpoint at a million known
 * identifiers 49.4 → 45.8 µs, at a thousand 34.4 → 34.5 µs. The WAL then grows to about 40 MiB
 * before a checkpoint, and recovery after a crash replays at most that much.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * A connection to the event store's file: WAL (readers never wait for the writer), every
 * commit durable before it is acknowledged (synchronous=FULL), and a bounded wait for another
 * process's write lock. synchronous, busy_timeout and wal_autocheckpoint hold per connection,
 * so the writer thread's connection opens through here too.
 */
export function openSqlite(
  path: string,
  busyTimeoutMs: number,
  readOnly = false,
): Database.Database {
  // Read-only, the file is one a writer already put in WAL mode (which lasts in the file).
  const db = new Database(path, readOnly ? { readonly: true, fileMustExist: true } : {});
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  }
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}
