import Database from 'better-sqlite3';
import type { Signal } from '@rapport/signals';

export type WebhookState = 'pending' | 'delivered' | 'dead' | 'expired';

export interface WebhookDue {
  readonly seq: number;
  readonly signal: Signal;
  /** Attempts made so far. */
  readonly attempts: number;
}

export interface WebhookDeadLetter {
  readonly seq: number;
  readonly signalId: string;
  readonly attempts: number;
  readonly error: string;
}

/**
 * The webhook's delivery state, in the signal ledger's SQLite file (its own connection): one row
 * per ledger entry handed to the webhook, with its attempts, when it may be tried next, and the
 * last error. Delivered and dead entries are never sent again, across restarts.
 */
export class SqliteWebhookLedger {
  private readonly db: Database.Database;

  /**
   * `start` says where the webhook begins the first time it runs on this ledger (no cursor
   * yet): `now` after the entries already there, `backfill` at the first one. Later starts go
   * on from the cursor either way.
   */
  constructor(path: string, start: 'now' | 'backfill' = 'backfill') {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS webhook (
        seq INTEGER PRIMARY KEY,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE INDEX IF NOT EXISTS webhook_due ON webhook (state, next_at, seq);
      CREATE TABLE IF NOT EXISTS webhook_cursor (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);
    `);
    if (start === 'now') this.startAtLatest();
  }

  private startAtLatest(): void {
    const hasSignals = this.db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signals'`)
      .get();
    const latest = hasSignals
      ? ((this.db.prepare('SELECT MAX(seq) AS seq FROM signals').get() as { seq: number | null })
          .seq ?? 0)
      : 0;
    this.db
      .prepare(`INSERT OR IGNORE INTO webhook_cursor (name, seq) VALUES ('webhook', ?)`)
      .run(latest);
  }

  /**
   * Hands the ledger entries derived since the last call to the webhook: pending, or expired
   * when they expired by `watermark` (event time) before the webhook got to them.
   */
  enqueueNew(watermark: string | null, limit = 1_000): number {
    const cursor =
      (
        this.db.prepare(`SELECT seq FROM webhook_cursor WHERE name = 'webhook'`).get() as
          { seq: number } | undefined
      )?.seq ?? 0;
    const rows = this.db
      .prepare('SELECT seq, content FROM signals WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(cursor, limit) as { seq: number; content: string }[];
    if (rows.length === 0) return 0;
    const at = watermark === null ? Number.NEGATIVE_INFINITY : Date.parse(watermark);
    const add = this.db.prepare('INSERT OR IGNORE INTO webhook (seq, state) VALUES (?, ?)');
    const move = this.db.prepare(
      `INSERT INTO webhook_cursor (name, seq) VALUES ('webhook', ?)
       ON CONFLICT(name) DO UPDATE SET seq = excluded.seq`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        const { expiresAt } = JSON.parse(row.content) as Signal;
        add.run(row.seq, Date.parse(expiresAt) <= at ? 'expired' : 'pending');
      }
      move.run(rows[rows.length - 1].seq);
    })();
    return rows.length;
  }

  /** Pending entries whose next attempt is due at `nowMs`, oldest due first. */
  due(nowMs: number, limit: number): WebhookDue[] {
    const rows = this.db
      .prepare(
        `SELECT w.seq, w.attempts, s.content FROM webhook w JOIN signals s ON s.seq = w.seq
         WHERE w.state = 'pending' AND w.next_at <= ? ORDER BY w.next_at, w.seq LIMIT ?`,
      )
      .all(nowMs, limit) as { seq: number; attempts: number; content: string }[];
    return rows.map((r) => ({
      seq: r.seq,
      attempts: r.attempts,
      signal: JSON.parse(r.content) as Signal,
    }));
  }

  /** When the next pending entry is due (ms since the epoch), if there is one. */
  nextDueAt(): number | undefined {
    const row = this.db
      .prepare(`SELECT MIN(next_at) AS at FROM webhook WHERE state = 'pending'`)
      .get() as { at: number | null };
    return row.at ?? undefined;
  }

  delivered(seq: number, attempts: number): void {
    this.db
      .prepare(
        `UPDATE webhook SET state = 'delivered', attempts = ?, last_error = NULL WHERE seq = ?`,
      )
      .run(attempts, seq);
  }

  retryAt(seq: number, attempts: number, nextAtMs: number, error: string): void {
    this.db
      .prepare('UPDATE webhook SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?')
      .run(attempts, nextAtMs, error, seq);
  }

  dead(seq: number, attempts: number, error: string): void {
    this.db
      .prepare(`UPDATE webhook SET state = 'dead', attempts = ?, last_error = ? WHERE seq = ?`)
      .run(attempts, error, seq);
  }

  counts(): Record<WebhookState, number> {
    const counts: Record<WebhookState, number> = { pending: 0, delivered: 0, dead: 0, expired: 0 };
    const rows = this.db
      .prepare('SELECT state, COUNT(*) AS n FROM webhook GROUP BY state')
      .all() as { state: WebhookState; n: number }[];
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  deadLetters(limit = 100): WebhookDeadLetter[] {
    const rows = this.db
      .prepare(
        `SELECT w.seq, s.id, w.attempts, w.last_error FROM webhook w JOIN signals s ON s.seq = w.seq
         WHERE w.state = 'dead' ORDER BY w.seq LIMIT ?`,
      )
      .all(limit) as { seq: number; id: string; attempts: number; last_error: string }[];
    return rows.map((r) => ({
      seq: r.seq,
      signalId: r.id,
      attempts: r.attempts,
      error: r.last_error,
    }));
  }

  /** Every entry's webhook state by ledger seq (for listing signals with it). */
  statesOf(seqs: readonly number[]): Map<number, WebhookState> {
    if (seqs.length === 0) return new Map();
    const rows = this.db
      .prepare(`SELECT seq, state FROM webhook WHERE seq IN (${seqs.map(() => '?').join(',')})`)
      .all(...seqs) as { seq: number; state: WebhookState }[];
    return new Map(rows.map((r) => [r.seq, r.state]));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
