/**
 * Issue 5 benchmark: 1,000,000 customer events projected into the customer view through the
 * Projector's applyBatch path, into the in-memory and the Redis read store, each beside the raw
 * ceiling of its store measured in the same run. Events are generated with the domain decider
 * (so they are valid) batch by batch outside the timed sections: the event store is not read.
 * Batches are as large as the projector takes them while catching up or rebuilding
 * (PROJECTOR_CATCH_UP_BATCH_SIZE, 500,000); `--batch 1000` shows live-sized batches.
 *   npm run bench:projection [-- --events 1000000 --customers 50000 --batch 500000 --stores memory,redis]
 * Redis: REDIS_URL, else redis://127.0.0.1:6379; keys go to a namespace of their own, dropped after.
 */
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { loadConfig } from '@rapport/config';
import {
  customerIdFromStream,
  customerStreamName,
  decide,
  eventIdFor,
  evolve,
  initialCustomerState,
  recordTouchpoint,
  upcastCustomerEvent,
  type CustomerEvent,
  type CustomerState,
  type Touchpoint,
} from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { Projector } from '@rapport/projector';
import { customerViewProjection, foldProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore, RedisReadStore, type ReadStore } from '@rapport/read-store';
import { argument, perSecond, progressBar, seededRandom } from './bench-support';

const EVENTS = Number(argument('--events') ?? 1_000_000);
const CUSTOMERS = Number(argument('--customers') ?? 50_000);
/** As the projector catches up and rebuilds (PROJECTOR_CATCH_UP_BATCH_SIZE); 1000 is live-sized. */
const BATCH = Number(argument('--batch') ?? loadConfig({}).projector.catchUpBatchSize);
const STORES = (argument('--stores') ?? 'memory,redis').split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const VIEW = customerViewProjection as Projection<unknown>;

/** Deterministic: every pass sees exactly the same events. */
function* eventBatches(): Generator<RecordedEvent[]> {
  const random = seededRandom(7);
  const states = new Map<string, { state: CustomerState; revision: bigint; orders: number }>();
  const recordedAt = new Date(Date.UTC(2026, 0, 1));
  let batch: RecordedEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const customerId = `C-${String(Math.floor(random() * CUSTOMERS)).padStart(6, '0')}`;
    let customer = states.get(customerId);
    if (!customer) {
      customer = { state: initialCustomerState(), revision: -1n, orders: 0 };
      states.set(customerId, customer);
    }
    const occurredAt = new Date(Date.UTC(2025, 0, 1) + i * 30_000).toISOString();
    const touchpoint = touchpointFor(customerId, i, occurredAt, random(), customer);
    const [event] = decide(recordTouchpoint(touchpoint, occurredAt, 'bench'), customer.state);
    customer.state = evolve(customer.state, event);
    customer.revision += 1n;
    batch.push(recorded(event, customer.revision, BigInt(i), recordedAt));
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function touchpointFor(
  customerId: string,
  i: number,
  occurredAt: string,
  roll: number,
  customer: { state: CustomerState; orders: number },
): Touchpoint {
  const base = {
    touchpointId: `tp-${i}`,
    source: i % 3 ? 'webshop' : 'pos',
    customerId,
    occurredAt,
  };
  const openOrder = [...customer.state.orders].find(([, order]) => !order.cancelled)?.[0];
  const openComplaint = [...customer.state.complaints].find(([, resolved]) => !resolved)?.[0];
  if (roll < 0.05 && openOrder)
    return {
      ...base,
      type: 'cancellation',
      channel: 'phone',
      data: { orderId: openOrder, reason: 'changed mind' },
    };
  if (roll < 0.1 && openComplaint)
    return {
      ...base,
      type: 'complaint_resolved',
      channel: 'phone',
      data: { complaintId: openComplaint },
    };
  if (roll < 0.13)
    return {
      ...base,
      type: 'complaint',
      channel: 'email',
      data: { complaintId: `K-${i}`, category: 'delivery', severity: 'medium' },
    };
  if (roll < 0.33) {
    customer.orders += 1;
    const minor = 500 + Math.floor(roll * 100_000);
    return {
      ...base,
      type: 'purchase',
      channel: 'store',
      data: {
        orderId: `O-${customer.orders}`,
        amount: { minor, currency: 'EUR' },
        items: [{ sku: `SKU-${i % 400}`, quantity: 1 + (i % 3) }],
      },
    };
  }
  if (roll < 0.43)
    return {
      ...base,
      type: 'call',
      channel: 'phone',
      data: { direction: 'inbound', durationSeconds: 60 + (i % 600), reason: 'question' },
    };
  if (roll < 0.65)
    return {
      ...base,
      type: 'email',
      channel: 'email',
      data: { direction: 'outbound', action: 'opened', campaignId: `cmp-${i % 12}` },
    };
  return {
    ...base,
    type: 'web_visit',
    channel: 'web',
    data: { url: `https://shop.example/p/${i % 500}`, durationSeconds: 30 },
  };
}

function recorded(
  event: CustomerEvent,
  revision: bigint,
  position: bigint,
  at: Date,
): RecordedEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    streamName: customerStreamName(event.data.customerId),
    revision,
    position,
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
    recordedAt: at,
  };
}

interface PassResult {
  readonly label: string;
  readonly events: number;
  readonly secs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Runs `prepare` (not timed) and then `timed` on every batch; only the latter's time counts.
 * Memory is sampled after each batch.
 */
async function pass(
  label: string,
  timed: (batch: RecordedEvent[]) => Promise<void> | void,
  prepare: (batch: RecordedEvent[]) => void = () => {},
): Promise<PassResult> {
  collectGarbage();
  const bar = progressBar(label, EVENTS);
  let nanos = 0n;
  let events = 0;
  let peakRss = 0;
  let peakHeap = 0;
  for (const batch of eventBatches()) {
    prepare(batch);
    const start = process.hrtime.bigint();
    await timed(batch);
    nanos += process.hrtime.bigint() - start;
    events += batch.length;
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
    if (events % (BATCH * 20) === 0 || events === EVENTS) bar.update(events);
    // cli-progress draws nothing when stderr is not a terminal: print a line every tenth.
    if (!process.stderr.isTTY && events % Math.max(BATCH, Math.floor(EVENTS / 10)) < batch.length)
      process.stderr.write(
        `${label}: ${events.toLocaleString('en-US')} / ${EVENTS.toLocaleString('en-US')}\n`,
      );
  }
  bar.stop();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    label,
    events,
    secs: Number(nanos) / 1e9,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
  };
}

/** The bare fold the projector wraps: each customer's events of a batch, no store, no positions. */
function foldInto(views: Map<string, unknown>) {
  return (batch: RecordedEvent[]) => {
    const byCustomer = new Map<string, CustomerEvent[]>();
    for (const recordedEvent of batch) {
      const customerId = customerIdFromStream(recordedEvent.streamName)!;
      const events = byCustomer.get(customerId);
      if (events) events.push(upcastCustomerEvent(recordedEvent)!);
      else byCustomer.set(customerId, [upcastCustomerEvent(recordedEvent)!]);
    }
    for (const [customerId, events] of byCustomer)
      views.set(customerId, foldProjection(VIEW, customerId, events, views.get(customerId)));
  };
}

function projectorOn(store: ReadStore): Projector {
  // applyBatch never touches the event store.
  return new Projector({} as EventStore, store, [VIEW], {
    name: 'bench',
    batchSize: BATCH,
    maxBatchDelayMs: 0,
  });
}

/** A sample of the bare fold's views, kept so the next pass need not carry all of them. */
interface FoldSample {
  readonly customers: number;
  readonly views: Map<string, string>;
}

function sampleOf(views: Map<string, unknown>): FoldSample {
  const sample = new Map<string, string>();
  let i = 0;
  for (const [key, view] of views) if (i++ % 997 === 0) sample.set(key, JSON.stringify(view));
  return { customers: views.size, views: sample };
}

async function checkAgainst(store: ReadStore, fold: FoldSample): Promise<void> {
  const count = await store.count(VIEW.name);
  if (count !== fold.customers)
    throw new Error(`store holds ${count} records, the fold ${fold.customers}`);
  const found = await store.getMany(VIEW.name, [...fold.views.keys()]);
  for (const [key, view] of fold.views)
    if (JSON.stringify(found.get(key)?.value) !== view)
      throw new Error(`customer ${key}: the store's view differs from the bare fold`);
}

async function memoryPasses(): Promise<PassResult[]> {
  let views = new Map<string, unknown>();
  const ceiling = await pass('memory: bare fold (ceiling)', foldInto(views));
  const fold = sampleOf(views);
  views = new Map();
  const store = new MemoryReadStore();
  const projector = projectorOn(store);
  const projected = await pass('memory: Projector.applyBatch', (batch) =>
    projector.applyBatch(batch),
  );
  await checkAgainst(store, fold);
  return [ceiling, projected];
}

/**
 * The same keys and values written in pipelines with no logic (the views are folded outside
 * the timed section). A function of its own so that its views are garbage once it returns.
 */
async function redisCeiling(raw: Redis, layout: RedisReadStore): Promise<[PassResult, FoldSample]> {
  const views = new Map<string, unknown>();
  const fold = foldInto(views);
  const latest = new Map<string, bigint>();
  const result = await pass(
    'redis: pipelined writes (ceiling)',
    writeLatest(raw, layout, views, latest),
    (batch) => {
      fold(batch);
      latest.clear();
      for (const event of batch)
        latest.set(customerIdFromStream(event.streamName)!, event.position);
    },
  );
  return [result, sampleOf(views)];
}

async function redisPasses(): Promise<PassResult[]> {
  const raw = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await raw.ping();
  const runId = randomUUID();
  const ceilingStore = new RedisReadStore({
    url: REDIS_URL,
    keyPrefix: `rapport-bench:${runId}:ceiling:`,
  });
  const store = new RedisReadStore({ url: REDIS_URL, keyPrefix: `rapport-bench:${runId}:store:` });
  try {
    const [ceiling, sample] = await redisCeiling(raw, ceilingStore);
    const projector = projectorOn(store);
    const projected = await pass('redis: Projector.applyBatch', (batch) =>
      projector.applyBatch(batch),
    );
    await checkAgainst(store, sample);
    return [ceiling, projected];
  } finally {
    await store.dropCollection(VIEW.name);
    await ceilingStore.dropCollection(VIEW.name);
    await raw.del(`rapport-bench:${runId}:store:checkpoint:bench`);
    await Promise.all([store.close(), ceilingStore.close(), raw.quit()]);
  }
}

/** What any Redis store must at least do per batch: one index entry and one hash per record. */
function writeLatest(
  raw: Redis,
  layout: RedisReadStore,
  views: Map<string, unknown>,
  latest: Map<string, bigint>,
) {
  const index = `${layout.keyPrefix}index:${VIEW.name}`;
  return async () => {
    const pipeline = raw.pipeline();
    const members: (string | number)[] = [];
    for (const key of latest.keys()) members.push(0, key);
    pipeline.zadd(index, ...members);
    for (const [key, position] of latest)
      pipeline.hset(
        layout.recordKey(VIEW.name, key),
        'p',
        position.toString(),
        'v',
        JSON.stringify(views.get(key)),
      );
    await pipeline.exec();
  };
}

function report(results: PassResult[]): string[] {
  return results.map(
    (r) =>
      `${r.label.padEnd(34)} ${r.secs.toFixed(2).padStart(7)} s  ${perSecond(r.events, r.secs).padStart(10)} events/s` +
      `   peak RSS ${String(r.peakRssMb).padStart(5)} MB, heap ${String(r.peakHeapMb).padStart(5)} MB`,
  );
}

async function main(): Promise<void> {
  const lines = [
    `events: ${EVENTS.toLocaleString('en-US')} for ${CUSTOMERS.toLocaleString('en-US')} customers, ${BATCH} per batch (generated by the decider, not timed)`,
  ];
  if (STORES.includes('memory')) lines.push(...report(await memoryPasses()));
  if (STORES.includes('redis')) {
    try {
      lines.push(...report(await redisPasses()));
    } catch (error) {
      lines.push(
        `redis: skipped (${REDIS_URL}: ${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
