/**
 * Streams get an integer id so that the hot unique index (stream_id, revision) compares
 * integers, not text: measured ~3x faster inserts for interleaved streams. A stream's
 * revision is the largest revision in that index (one seek), so an append writes event rows
 * only. `position` is the rowid: rows are never deleted, so it only ever increases, in commit
 * order (SQLite serialises writers). `store_identity` holds the store's one identity row,
 * written when the file is created (or first opened by a build that knows it): a table any
 * build of layout 2 ignores, so no new layout version.
 */
export const SQLITE_SCHEMA_VERSION = 2;

export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  id        INTEGER PRIMARY KEY,
  name      TEXT    NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS events (
  position     INTEGER PRIMARY KEY,
  stream_id    INTEGER NOT NULL,
  revision     INTEGER NOT NULL,
  event_id     TEXT    NOT NULL,
  type         TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  metadata     TEXT    NOT NULL,
  recorded_at  INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS store_identity (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  id          TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
`;
