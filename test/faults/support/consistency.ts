import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { customerIdFromStream, upcastCustomerEvent } from '@rapport/domain';
import { SqliteEventStore, type RecordedEvent } from '@rapport/event-store';
import { CachingKeyStore, EncryptingEventStore, SqliteKeyStore } from '@rapport/privacy';
import { customerViewProjection } from '@rapport/projections';
import { RedisReadStore, ViewGenerations, type StoredRecord } from '@rapport/read-store';

/** The producer's identity of a touchpoint: what "the same touchpoint" means end to end. */
export function touchpointKey(touchpoint: { source: unknown; touchpointId: unknown }): string {
  return `${String(touchpoint.source)}/${String(touchpoint.touchpointId)}`;
}

function keyOfEvent(event: RecordedEvent): string {
  return touchpointKey({ source: event.metadata.source, touchpointId: event.data.touchpointId });
}

/**
 * Every event of the SQLite file, read through the port by a second connection — with personal
 * fields opened by the customers' keys beside it (DATA_DIR/keys.sqlite), as the platform reads
 * them, so that a fresh fold compares with the views.
 */
export async function readAllEvents(dbPath: string): Promise<RecordedEvent[]> {
  const raw = new SqliteEventStore({ path: dbPath, busyTimeoutMs: 10_000 });
  const keysPath = join(dirname(dbPath), 'keys.sqlite');
  const keys = existsSync(keysPath) ? new CachingKeyStore(new SqliteKeyStore(keysPath)) : undefined;
  try {
    return await (keys ? new EncryptingEventStore(raw, keys) : raw).readAll();
  } finally {
    await raw.close();
    await keys?.close();
  }
}

export interface ExactlyOnceReport {
  readonly events: number;
  readonly missing: readonly string[];
  readonly doubled: readonly string[];
  readonly unexpected: readonly string[];
}

/**
 * Compares the store with what producers were told was accepted: `required` must each be there
 * once; `allowed` (sent, answer lost in the crash) may be there, once; nothing else may.
 */
export function exactlyOnce(
  events: readonly RecordedEvent[],
  required: ReadonlySet<string>,
  allowed: ReadonlySet<string> = new Set(),
): ExactlyOnceReport {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = keyOfEvent(event);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    events: events.length,
    missing: [...required].filter((key) => !counts.has(key)),
    doubled: [...counts].filter(([, n]) => n > 1).map(([key]) => key),
    unexpected: [...counts.keys()].filter((key) => !required.has(key) && !allowed.has(key)),
  };
}

export type Views = Map<string, { readonly position: bigint; readonly value: unknown }>;

/** A fresh fold of every event with the pure projection: what any view must equal. */
export function rebuildViews(events: readonly RecordedEvent[]): Views {
  const views: Views = new Map();
  for (const recorded of events) {
    const customerId = customerIdFromStream(recorded.streamName);
    const event = customerId === undefined ? undefined : upcastCustomerEvent(recorded);
    if (customerId === undefined || !event || !customerViewProjection.canHandle(event)) continue;
    const state = views.get(customerId)?.value ?? customerViewProjection.initialState(customerId);
    views.set(customerId, {
      position: recorded.position,
      value: customerViewProjection.evolve(state as never, event),
    });
  }
  // The read store keeps JSON: compare like with like.
  for (const [key, view] of views)
    views.set(key, { position: view.position, value: JSON.parse(JSON.stringify(view.value)) });
  return views;
}

/** The active generation of the customer view (blue/green), every record of it. */
export async function readStoredViews(store: RedisReadStore): Promise<Views> {
  const collection = await new ViewGenerations(store, { cacheMs: 0 }).activeCollection(
    customerViewProjection.name,
  );
  const views: Views = new Map();
  let after: string | undefined;
  for (;;) {
    const page = await store.list<unknown>(collection, { after, limit: 1000 });
    for (const record of page.records as StoredRecord<unknown>[])
      views.set(record.key, { position: record.position, value: record.value });
    if (page.next === undefined) return views;
    after = page.next;
  }
}

/** Differences between the stored views and the rebuild, first few described. */
export function viewDifferences(stored: Views, rebuilt: Views): string[] {
  const problems: string[] = [];
  for (const [key, expected] of rebuilt) {
    const actual = stored.get(key);
    if (!actual) problems.push(`${key}: missing from the read store`);
    else if (actual.position !== expected.position)
      problems.push(`${key}: at position ${actual.position}, rebuild at ${expected.position}`);
    else if (JSON.stringify(actual.value) !== JSON.stringify(expected.value))
      problems.push(`${key}: differs from the rebuild`);
  }
  for (const key of stored.keys()) if (!rebuilt.has(key)) problems.push(`${key}: not in events`);
  return problems;
}

/** Waits until the projector's checkpoint reaches `head`, then compares every view. */
export async function viewsMatchRebuild(
  redisUrl: string,
  events: readonly RecordedEvent[],
  timeoutMs = 30_000,
): Promise<{ customers: number; problems: string[] }> {
  const store = new RedisReadStore({ url: redisUrl });
  try {
    const late = await projectorLateness(store, events, timeoutMs);
    if (late) return { customers: 0, problems: [late] };
    const rebuilt = rebuildViews(events);
    return {
      customers: rebuilt.size,
      problems: viewDifferences(await readStoredViews(store), rebuilt),
    };
  } finally {
    await store.close();
  }
}

/**
 * Waits until the projector's checkpoint reaches the last of `events`; what went wrong when it
 * does not in time, else undefined.
 */
export async function projectorLateness(
  store: RedisReadStore,
  events: readonly RecordedEvent[],
  timeoutMs: number,
): Promise<string | undefined> {
  const head = events.length ? events[events.length - 1].position : -1n;
  const deadline = Date.now() + timeoutMs;
  while (((await store.getCheckpoint('projector')) ?? -1n) < head) {
    if (Date.now() > deadline) return `the projector did not reach ${head} in time`;
    await sleep(50);
  }
  return undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * A cheap event counter on a read-only connection of its own, for killing a process at a
 * seeded point of its progress (polled every few ms, so it must not open the file each time).
 */
export function eventCounter(dbPath: string): { count(): number; close(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const statement = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events');
  return { count: () => statement.get()!.n, close: () => db.close() };
}
