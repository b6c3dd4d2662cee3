import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { ownerOnlyFile } from '@rapport/event-store';
import {
  signalContent,
  type CustomerStanding,
  type Signal,
  type SignalRuleName,
  type WatermarkJump,
} from '@rapport/signals';

export interface LedgerCursor {
  /** Event-store position up to which events were read for signals. */
  readonly position: bigint;
  /** Latest event time seen up to there: the "as of" of every evaluation. */
  readonly watermark: string | null;
}

export type LedgerStatus = 'pending' | 'published';

export interface LedgerEntry {
  readonly seq: number;
  readonly signal: Signal;
  readonly status: LedgerStatus;
  /** Event-store position the signal was derived at. */
  readonly derivedAtPosition: bigint;
}

export interface LedgerQuery {
  readonly rule?: SignalRuleName;
  /** One customer, or any of several (the members of a merged profile). */
  readonly customerId?: string | readonly string[];
  /** Signals due at or after this instant (ISO 8601). */
  readonly since?: string;
  /** Entries after this sequence number (a cursor). */
  readonly after?: number;
  readonly limit: number;
}

export interface RecordOutcome {
  readonly added: number;
  /** Ids derived again with other content: kept as first derived, never delivered changed. */
  readonly conflicts: readonly string[];
}

/**
 * The durable ledger of signals (an outbox): every signal derived, with a fingerprint of its
 * content, whether a destination has acknowledged it, and the cursor of the derivation, in one
 * SQLite file under DATA_DIR apart from the read store. It survives rebuilds and replays of the
 * views, so a signal derived again is recognised by its id and never delivered twice.
 */
export class SqliteSignalLedger {
  private readonly db: Database.Database;
  private readonly writes: ReturnType<SqliteSignalLedger['prepareWrites']>;

  constructor(path: string) {
    ownerOnlyFile(path, true);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS signals (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        content TEXT NOT NULL,
        rule TEXT NOT NULL,
        customer TEXT NOT NULL,
        due_at TEXT NOT NULL,
        derived_at_position TEXT NOT NULL,
        published INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS signals_pending ON signals (published, seq);
      CREATE INDEX IF NOT EXISTS signals_customer ON signals (customer, seq);
      CREATE TABLE IF NOT EXISTS conflicts (
        id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        content TEXT NOT NULL,
        PRIMARY KEY (id, fingerprint)
      );
      CREATE TABLE IF NOT EXISTS cursor (
        name TEXT PRIMARY KEY,
        position TEXT NOT NULL,
        watermark TEXT
      );
      -- Population rules: each customer's tier and band as last evaluated, and the last window.
      CREATE TABLE IF NOT EXISTS standings (
        customer TEXT PRIMARY KEY,
        tier TEXT NOT NULL,
        band TEXT NOT NULL,
        since TEXT NOT NULL
      );
      -- Long rises of derivation's watermark, recorded with its cursor (see advanceWatermark).
      CREATE TABLE IF NOT EXISTS watermark_jumps (
        to_time TEXT PRIMARY KEY,
        from_time TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS population_cursor (
        name TEXT PRIMARY KEY,
        window TEXT NOT NULL,
        as_of TEXT NOT NULL,
        position TEXT NOT NULL
      );
    `);
    this.writes = this.prepareWrites();
  }

  /** Prepared once: a catch-up records a step or a boundary many times a second. */
  private prepareWrites() {
    return {
      move: this.db.prepare(
        `INSERT INTO cursor (name, position, watermark) VALUES ('derive', ?, ?)
         ON CONFLICT(name) DO UPDATE SET position = excluded.position, watermark = excluded.watermark`,
      ),
      jump: this.db.prepare(
        'INSERT OR IGNORE INTO watermark_jumps (to_time, from_time) VALUES (?, ?)',
      ),
      keep: this.db.prepare(
        `INSERT INTO standings (customer, tier, band, since) VALUES (?, ?, ?, ?)
         ON CONFLICT(customer) DO UPDATE SET tier = excluded.tier, band = excluded.band, since = excluded.since`,
      ),
      movePopulation: this.db.prepare(
        `INSERT INTO population_cursor (name, window, as_of, position) VALUES ('population', ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET window = excluded.window, as_of = excluded.as_of,
           position = excluded.position`,
      ),
      find: this.db.prepare('SELECT fingerprint FROM signals WHERE id = ?'),
      insert: this.db.prepare(
        `INSERT INTO signals (id, fingerprint, content, rule, customer, due_at, derived_at_position)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      conflict: this.db.prepare(
        'INSERT OR IGNORE INTO conflicts (id, fingerprint, content) VALUES (?, ?, ?)',
      ),
    };
  }

  cursor(): LedgerCursor {
    const row = this.db
      .prepare(`SELECT position, watermark FROM cursor WHERE name = 'derive'`)
      .get() as { position: string; watermark: string | null } | undefined;
    return row
      ? { position: BigInt(row.position), watermark: row.watermark }
      : { position: -1n, watermark: null };
  }

  /**
   * Adds the signals not yet in the ledger and, in the same transaction, moves the cursor: a
   * crash leaves both before or both after. A known id with the same content is a no-op; with
   * other content it is a conflict, recorded and returned, and the first content stands.
   */
  record(
    signals: readonly Signal[],
    derivedAt: bigint,
    cursor?: LedgerCursor,
    jumps: readonly WatermarkJump[] = [],
  ): RecordOutcome {
    const { move, jump } = this.writes;
    return this.db.transaction(() => {
      const outcome = this.insert(signals, derivedAt);
      if (cursor) move.run(cursor.position.toString(), cursor.watermark);
      for (const { from, to } of jumps) jump.run(to, from);
      return outcome;
    })();
  }

  /** The watermark's long rises recorded so far (few: only rises longer than a month or so). */
  watermarkJumps(): WatermarkJump[] {
    const rows = this.db.prepare('SELECT from_time, to_time FROM watermark_jumps').all() as {
      from_time: string;
      to_time: string;
    }[];
    return rows.map((row) => ({ from: row.from_time, to: row.to_time }));
  }

  /** The last window the population rules evaluated (null: none yet). */
  populationWindow(): string | null {
    const row = this.db
      .prepare(`SELECT window FROM population_cursor WHERE name = 'population'`)
      .get() as { window: string } | undefined;
    return row?.window ?? null;
  }

  /** Every customer's standing as last evaluated. */
  standings(): Map<string, CustomerStanding> {
    const rows = this.db.prepare('SELECT customer, tier, band, since FROM standings').all() as {
      customer: string;
      tier: CustomerStanding['tier'];
      band: CustomerStanding['band'];
      since: string;
    }[];
    return new Map(rows.map((r) => [r.customer, { tier: r.tier, band: r.band, since: r.since }]));
  }

  /**
   * One population evaluation: its signals, the standings that changed and the window, in one
   * transaction, so a crash leaves the window either evaluated with all of it or not at all.
   */
  recordPopulation(
    signals: readonly Signal[],
    standings: ReadonlyArray<{ readonly customerId: string; readonly standing: CustomerStanding }>,
    evaluated: { readonly window: string; readonly asOf: string; readonly position: string },
  ): RecordOutcome {
    const { keep, movePopulation } = this.writes;
    return this.db.transaction(() => {
      const outcome = this.insert(signals, BigInt(evaluated.position));
      for (const { customerId, standing } of standings)
        keep.run(customerId, standing.tier, standing.band, standing.since);
      movePopulation.run(evaluated.window, evaluated.asOf, evaluated.position);
      return outcome;
    })();
  }

  private insert(signals: readonly Signal[], derivedAt: bigint): RecordOutcome {
    const { find, insert, conflict } = this.writes;
    let added = 0;
    const conflicts: string[] = [];
    for (const signal of signals) {
      const content = signalContent(signal);
      const fingerprint = fingerprintOf(content);
      const known = find.get(signal.id) as { fingerprint: string } | undefined;
      if (known) {
        if (known.fingerprint !== fingerprint) {
          conflict.run(signal.id, fingerprint, content);
          conflicts.push(signal.id);
        }
        continue;
      }
      insert.run(
        signal.id,
        fingerprint,
        content,
        signal.rule,
        signal.subject.id,
        signal.dueAt,
        derivedAt.toString(),
      );
      added += 1;
    }
    return { added, conflicts };
  }

  /** The oldest signals no destination has acknowledged yet, in the order they were derived. */
  pending(limit: number): LedgerEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM signals WHERE published = 0 ORDER BY seq LIMIT ?')
      .all(limit) as SignalRow[];
    return rows.map(entryOf);
  }

  /** Marks signals acknowledged by the destination: they are never sent again. */
  markPublished(seqs: readonly number[]): void {
    const mark = this.db.prepare('UPDATE signals SET published = 1 WHERE seq = ?');
    this.db.transaction(() => {
      for (const seq of seqs) mark.run(seq);
    })();
  }

  list(query: LedgerQuery): LedgerEntry[] {
    const where: string[] = ['seq > ?'];
    const args: (string | number)[] = [query.after ?? 0];
    if (query.rule) {
      where.push('rule = ?');
      args.push(query.rule);
    }
    if (typeof query.customerId === 'string') {
      where.push('customer = ?');
      args.push(query.customerId);
    } else if (query.customerId) {
      where.push(`customer IN (${query.customerId.map(() => '?').join(', ')})`);
      args.push(...query.customerId);
    }
    if (query.since) {
      // due_at is ISO 8601 UTC as the rules write it; compared as instants, not as text.
      where.push('julianday(due_at) >= julianday(?)');
      args.push(query.since);
    }
    const rows = this.db
      .prepare(`SELECT * FROM signals WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...args, query.limit) as SignalRow[];
    return rows.map(entryOf);
  }

  counts(): { signals: number; pending: number; conflicts: number } {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS signals, COALESCE(SUM(published = 0), 0) AS pending,
           (SELECT COUNT(*) FROM conflicts) AS conflicts FROM signals`,
      )
      .get() as { signals: number; pending: number; conflicts: number };
    return row;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface SignalRow {
  seq: number;
  content: string;
  derived_at_position: string;
  published: number;
}

function entryOf(row: SignalRow): LedgerEntry {
  return {
    seq: row.seq,
    signal: JSON.parse(row.content) as Signal,
    status: row.published ? 'published' : 'pending',
    derivedAtPosition: BigInt(row.derived_at_position),
  };
}

export function fingerprintOf(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
