import Database from 'better-sqlite3';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ownerOnlyDirectory, ownerOnlyFile } from '@rapport/event-store';
import type { DataKey } from '../../fields/field-cipher';
import type { ErasedSince, KeyStore } from '../key-store.port';
import { newDataKeys } from '../new-data-key';

/**
 * Keys in their own SQLite file beside the event store (DATA_DIR/keys.sqlite, 0600). WAL, so
 * that making the keys of a batch's new customers costs one fsync on the ingest path (a
 * rollback journal took three or four), and that fsync runs off the main thread: the
 * connection commits without syncing (synchronous=NORMAL) and `getOrCreateMany` resolves only
 * once the -wal file was fsynced on libuv's thread pool (calls that meet share one fsync).
 * A key is durable before anything is sealed with it, as with synchronous=FULL, but the main
 * thread keeps decoding and deciding other partitions' batches meanwhile: the synchronous
 * fsync, blocking it, was the largest item of the encrypted bench:kafka profile. secure_delete,
 * and a TRUNCATE checkpoint after each destroy (a checkpoint syncs the database file), so that
 * a destroyed key is overwritten in the database file and no copy is left in the -wal file. A
 * destroyed key's row gives way to an entry in `erasure_log` (in the same transaction): the
 * tombstone that keeps the customer from getting a key again, numbered so that other
 * processes' caches learn of it in one indexed read (`erasedSince`).
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly walPath: string;
  /** The fsync running, and the one queued behind it for commits it may not cover. */
  private syncing?: Promise<void>;
  private syncNext?: Promise<void>;
  private readonly select: Database.Statement<[string], { key_id: string; material: Buffer }>;
  private readonly insert: Database.Statement<[string, string, Buffer]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly isErased: Database.Statement<[string], { one: number }>;
  private readonly logErasure: Database.Statement<[string]>;
  private readonly isMigrated: Database.Statement<[string], { one: number }>;
  private readonly markMigrated: Database.Statement<[string, string]>;
  private readonly erasuresAfter: Database.Statement<
    [number],
    { seq: number; customer_id: string }
  >;

  constructor(path: string, busyTimeoutMs = 5_000) {
    ownerOnlyDirectory(dirname(path));
    ownerOnlyFile(path, true);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('synchronous = NORMAL');
    this.walPath = `${path}-wal`;
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS data_keys (customer_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, material BLOB NOT NULL) WITHOUT ROWID',
    );
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS erasure_log (seq INTEGER PRIMARY KEY, customer_id TEXT NOT NULL);' +
        'CREATE INDEX IF NOT EXISTS erasure_log_by_customer ON erasure_log (customer_id)',
    );
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, done_at TEXT NOT NULL) WITHOUT ROWID',
    );
    this.select = this.db.prepare('SELECT key_id, material FROM data_keys WHERE customer_id = ?');
    this.insert = this.db.prepare(
      'INSERT INTO data_keys (customer_id, key_id, material) VALUES (?, ?, ?)',
    );
    this.remove = this.db.prepare('DELETE FROM data_keys WHERE customer_id = ?');
    this.isErased = this.db.prepare(
      'SELECT 1 AS one FROM erasure_log WHERE customer_id = ? LIMIT 1',
    );
    this.logErasure = this.db.prepare('INSERT INTO erasure_log (customer_id) VALUES (?)');
    this.isMigrated = this.db.prepare('SELECT 1 AS one FROM migrations WHERE name = ?');
    this.markMigrated = this.db.prepare(
      'INSERT INTO migrations (name, done_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.erasuresAfter = this.db.prepare(
      'SELECT seq, customer_id FROM erasure_log WHERE seq > ? ORDER BY seq',
    );
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    for (const id of customerIds) {
      const row = this.select.get(id);
      if (row) found.set(id, { keyId: row.key_id, material: row.material });
    }
    return found;
  }

  /**
   * One transaction: a concurrent writer (another process) cannot make a second key, nor one
   * for a customer erased meanwhile. Resolves once the -wal file is fsynced: also for keys that
   * were there already, since another process may have made one an instant ago, not yet synced.
   * The keys of a batch's new customers are drawn from one CSPRNG call and inserted without
   * reading them back: the immediate transaction holds the write lock from its first read.
   */
  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    if (customerIds.length === 0) return new Map();
    const keys = this.db
      .transaction(() => {
        const keys = new Map<string, DataKey>();
        const fresh: string[] = [];
        for (const id of new Set(customerIds)) {
          const row = this.select.get(id);
          if (row) keys.set(id, { keyId: row.key_id, material: row.material });
          else if (!this.isErased.get(id)) fresh.push(id);
        }
        const made = newDataKeys(fresh.length);
        fresh.forEach((id, i) => {
          this.insert.run(id, made[i].keyId, made[i].material);
          keys.set(id, made[i]);
        });
        return keys;
      })
      .immediate();
    await this.syncWal();
    return keys;
  }

  async destroy(customerId: string): Promise<boolean> {
    const removed = this.db
      .transaction(() => {
        this.logErasure.run(customerId);
        return this.remove.run(customerId).changes > 0;
      })
      .immediate();
    // Moves the overwritten page into the database file and empties the -wal file. Another
    // connection reading at this moment makes the checkpoint partial: it says so, and the
    // erasure is retried by its caller (the key is gone from the table either way).
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (result?.busy) throw new Error('key destroyed, but the -wal file still holds a copy: retry');
    return removed;
  }

  async erasedSince(after: number): Promise<ErasedSince> {
    const rows = this.erasuresAfter.all(after);
    return {
      cursor: rows.length ? rows[rows.length - 1].seq : after,
      customerIds: rows.map((r) => r.customer_id),
    };
  }

  async migrationDone(name: string): Promise<boolean> {
    return this.isMigrated.get(name) !== undefined;
  }

  async markMigrationDone(name: string): Promise<void> {
    this.markMigrated.run(name, new Date().toISOString());
  }

  async close(): Promise<void> {
    await this.syncing?.catch(() => undefined);
    await this.syncNext?.catch(() => undefined);
    if (this.db.open) this.db.close();
  }

  /** One fsync of the -wal file for every commit made before it starts. */
  private syncWal(): Promise<void> {
    if (!this.syncing) {
      this.syncing = fsyncFile(this.walPath).finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    // The running fsync may have started before this commit's frames were written.
    this.syncNext ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.syncNext = undefined;
        return this.syncWal();
      });
    return this.syncNext;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    // No -wal file: a checkpoint moved every commit into the database file, and synced it.
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return;
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}
