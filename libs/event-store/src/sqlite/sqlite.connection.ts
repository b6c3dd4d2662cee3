import Database from 'better-sqlite3';

/**
 * A connection to the event store's file: WAL (readers never wait for the writer), every
 * commit durable before it is acknowledged (synchronous=FULL), and a bounded wait for another
 * process's write lock. synchronous and busy_timeout hold per connection, so the writer
 * thread's connection opens through here too.
 */
export function openSqlite(
  path: string,
  busyTimeoutMs: number,
  readOnly = false,
): Database.Database {
  // Read-only, the file is one a writer already put in WAL mode (which lasts in the file).
  const db = new Database(path, readOnly ? { readonly: true, fileMustExist: true } : {});
  if (!readOnly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}
