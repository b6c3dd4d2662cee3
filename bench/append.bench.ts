/**
 * Issue 2 benchmark: 100,000 touchpoints through the write path (decode → decide → append
 * with expectedRevision) into SQLite, beside raw better-sqlite3 inserts of the same rows into
 * the same schema in the same run.   npm run bench:append [-- --touchpoints 100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTouchpoint } from '@rapport/contract';
import { SqliteEventStore } from '@rapport/event-store';
import { openSqlite } from '../libs/event-store/src/sqlite/sqlite.connection';
import { SQLITE_SCHEMA } from '../libs/event-store/src/sqlite/sqlite.schema';
import { CustomerStateCache } from '@rapport/recording';
import {
  TouchpointRecorder,
  type CustomerBatch,
} from '@rapport/recording';
import { namesCustomer, type Touchpoint } from '@rapport/domain';
import { argument, perSecond, progressBar, seconds, seededRandom } from './bench-support';

const TOUCHPOINTS = Number(argument('--touchpoints') ?? 100_000);
const CUSTOMERS = Number(argument('--customers') ?? 10_000);
const BATCH = Number(argument('--batch') ?? 1_000);

function generate(): unknown[] {
  const random = seededRandom(42);
  const orders = new Map<string, number>();
  const raw: unknown[] = [];
  for (let i = 0; i < TOUCHPOINTS; i++) {
    const customerId = `C-${Math.floor(random() * CUSTOMERS)}`;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const base = { touchpointId: `tp-${i}`, source: 'bench', customerId, occurredAt };
    const roll = random();
    if (roll < 0.25) {
      const orderNo = (orders.get(customerId) ?? 0) + 1;
      orders.set(customerId, orderNo);
      raw.push({
        ...base,
        type: 'purchase',
        channel: 'store',
        data: {
          orderId: `O-${orderNo}`,
          amount: { minor: 100 + Math.floor(random() * 20_000), currency: 'EUR' },
        },
      });
    } else if (roll < 0.6) {
      raw.push({
        ...base,
        type: 'web_visit',
        channel: 'web',
        data: { url: `https://shop.example/p/${Math.floor(random() * 500)}`, durationSeconds: 30 },
      });
    } else if (roll < 0.85) {
      raw.push({
        ...base,
        type: 'email',
        channel: 'email',
        data: { direction: 'outbound', action: 'opened', campaignId: 'c-1' },
      });
    } else {
      raw.push({
        ...base,
        type: 'call',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: 120, reason: 'question' },
      });
    }
  }
  return raw;
}

async function writePath(
  dir: string,
  raw: unknown[],
): Promise<{ secs: number; store: SqliteEventStore }> {
  const store = new SqliteEventStore({ path: join(dir, 'write-path.db') });
  const recorder = new TouchpointRecorder(store, new CustomerStateCache(100_000));
  const bar = progressBar('write path (decode+record)', raw.length);
  const now = new Date();
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < raw.length; offset += BATCH) {
    const groups = new Map<string, Touchpoint[]>();
    for (const item of raw.slice(offset, offset + BATCH)) {
      const decoded = decodeTouchpoint(item, { now });
      if (!decoded.ok) throw new Error(JSON.stringify(decoded.problems));
      if (!namesCustomer(decoded.touchpoint)) throw new Error('the bench names every customer');
      const list = groups.get(decoded.touchpoint.customerId);
      if (list) list.push(decoded.touchpoint);
      else groups.set(decoded.touchpoint.customerId, [decoded.touchpoint]);
    }
    const batches: CustomerBatch[] = [...groups].map(([customerId, touchpoints]) => ({
      customerId,
      touchpoints,
    }));
    const results = await recorder.record(batches, {
      ingestedAt: now.toISOString(),
      correlationId: 'bench',
    });
    if (results.some((r) => r.outcomes.some((o) => o.status !== 'recorded')))
      throw new Error('unexpected outcome');
    bar.update(Math.min(offset + BATCH, raw.length));
  }
  const secs = seconds(start);
  bar.stop();
  return { secs, store };
}

async function rawInserts(dir: string, source: SqliteEventStore, count: number): Promise<number> {
  const rows = await source.readAll();
  if (rows.length !== count) throw new Error(`expected ${count} events, found ${rows.length}`);
  // The store's own connection settings (WAL, synchronous=FULL): the ceiling writes as it does.
  const db = openSqlite(join(dir, 'raw.db'), 5_000);
  db.exec(SQLITE_SCHEMA);
  const insertStream = db.prepare('INSERT INTO streams (name) VALUES (?)');
  const streamIds = new Map<string, number>();
  const insertEvent = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const data = rows.map((e) => [JSON.stringify(e.data), JSON.stringify(e.metadata)]);
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const e = rows[i];
      let id = streamIds.get(e.streamName);
      if (id === undefined) {
        id = Number(insertStream.run(e.streamName).lastInsertRowid);
        streamIds.set(e.streamName, id);
      }
      insertEvent.run(id, Number(e.revision), e.id, e.type, data[i][0], data[i][1], Date.now());
    }
  });
  const bar = progressBar('raw better-sqlite3 inserts', rows.length);
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < rows.length; offset += BATCH) {
    insertBatch(offset, Math.min(offset + BATCH, rows.length));
    bar.update(Math.min(offset + BATCH, rows.length));
  }
  const secs = seconds(start);
  bar.stop();
  db.close();
  return secs;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-append-'));
  try {
    const raw = generate();
    const { secs: pathSecs, store } = await writePath(dir, raw);
    const rawSecs = await rawInserts(dir, store, raw.length);
    await store.close();
    const out = [
      `touchpoints: ${raw.length.toLocaleString('en-US')} for ${CUSTOMERS.toLocaleString('en-US')} customers, ${BATCH} per call`,
      `write path (decode, decide, appendMany with expectedRevision): ${pathSecs.toFixed(2)} s = ${perSecond(raw.length, pathSecs)} events/s`,
      `raw better-sqlite3 inserts of the same rows, same schema:       ${rawSecs.toFixed(2)} s = ${perSecond(raw.length, rawSecs)} rows/s`,
      `write path / raw inserts: ${((rawSecs / pathSecs) * 100).toFixed(0)}%`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
