/**
 * Issue 5 benchmark: 1,000,000 customer events projected into the customer view through the
 * Projector's applyBatch path, into the in-memory and the Redis read store, each beside the raw
 * ceiling of its store measured in the same run, and the collector's share of each. Events are
 * generated once with the domain decider (so they are valid) and decoded batch by batch outside
 * the timed sections: the event store is not read.
 * Batches are as large as the projector takes them while catching up or rebuilding
 * (PROJECTOR_CATCH_UP_BATCH_SIZE, 500,000); `--batch 1000` shows live-sized batches. The npm
 * script runs Node with the young generation the projector service runs with
 * (--max-semi-space-size=128; docs/OPERATIONS.md, "Young generation").
 *   npm run bench:projection [-- --events 1000000 --customers 50000 --batch 500000 --stores memory,redis
 *     --step 100 --rounds 4 --warmup 300000]
 * The signal facts' cost (issue 31: at most 20 % of applyBatch throughput) is taken from pairs of
 * memory passes, without and with them, in alternating order (ABBA: drift in the machine's load,
 * and the first pass's warming, fall on both sides alike), after an uncounted warm-up of both;
 * each pair gives a share by CPU time and by wall time, and the last line their medians.
 * Redis: REDIS_URL, else redis://127.0.0.1:6379; keys go to a namespace of their own, dropped after.
 */
import { randomUUID } from 'node:crypto';
import { PerformanceObserver, performance } from 'node:perf_hooks';
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
import { signalFactsProjection } from '@rapport/signals';
import { argument, perSecond, progressBar, seededRandom, v8Flags } from './bench-support';

const EVENTS = Number(argument('--events') ?? 1_000_000);
const CUSTOMERS = Number(argument('--customers') ?? 50_000);
/** As the projector catches up and rebuilds (PROJECTOR_CATCH_UP_BATCH_SIZE); 1000 is live-sized. */
const BATCH = Number(argument('--batch') ?? loadConfig({}).projector.catchUpBatchSize);
const STORES = (argument('--stores') ?? 'memory,redis').split(',');
/** Pairs of memory passes of applyBatch without and with the signal facts, in ABBA order. */
const ROUNDS = Number(argument('--rounds') ?? 1);
/**
 * Events of the uncounted warm-up pass of each side (default all of them): the first pass of the
 * projector's code that ran them all took 20-40 % more CPU time than the later ones, even after
 * a warm-up of a fifth (bench:trees, both trees, one run each).
 */
const WARMUP = Number(argument('--warmup') ?? EVENTS);
/** Customers per read-evolve-write step inside a batch (the Projector's customersPerStep). */
const STEP = argument('--step') === undefined ? undefined : Number(argument('--step'));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const VIEW = customerViewProjection as Projection<unknown>;
/** Issue 31: the retention signals' facts, projected beside the view (target: at most 20 % slower). */
const SIGNAL_FACTS = signalFactsProjection as Projection<unknown>;

/**
 * Every pass sees exactly the same events: generated once, kept as JSON in buffers outside the
 * V8 heap, and decoded batch by batch as an event store read would. So the timed sections run
 * beside what a projector holds (its batch and its records), not beside the generator's
 * decider state for every customer, which the collector would otherwise trace again and again.
 */
function* eventBatches(limit = EVENTS): Generator<RecordedEvent[]> {
  if (encodedBatches.length === 0)
    for (const batch of generatedBatches()) encodedBatches.push(encodeBatch(batch));
  let events = 0;
  for (const parts of encodedBatches) {
    if (events >= limit) return;
    const batch = parts.flatMap(decodeEvents);
    events += batch.length;
    yield batch;
  }
}

const encodedBatches: Buffer[][] = [];
/** Events per buffer: a whole large batch would not fit in one string. */
const EVENTS_PER_BUFFER = 10_000;

function encodeBatch(batch: readonly RecordedEvent[]): Buffer[] {
  const parts: Buffer[] = [];
  for (let from = 0; from < batch.length; from += EVENTS_PER_BUFFER) {
    const events = batch.slice(from, from + EVENTS_PER_BUFFER).map((event) => ({
      ...event,
      revision: event.revision.toString(),
      position: event.position.toString(),
      recordedAt: event.recordedAt.toISOString(),
    }));
    parts.push(Buffer.from(JSON.stringify(events)));
  }
  return parts;
}

function decodeEvents(part: Buffer): RecordedEvent[] {
  const events = JSON.parse(part.toString()) as Array<
    Omit<RecordedEvent, 'revision' | 'position' | 'recordedAt'> & {
      revision: string;
      position: string;
      recordedAt: string;
    }
  >;
  return events.map((event) => ({
    ...event,
    revision: BigInt(event.revision),
    position: BigInt(event.position),
    recordedAt: new Date(event.recordedAt),
  }));
}

/** Generated by the decider, so that every event is one it would record. */
function* generatedBatches(): Generator<RecordedEvent[]> {
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
  /** Collector pauses that began inside the timed sections. */
  readonly gcSecs: number;
  /**
   * The process's CPU time (user and system, every thread) inside the timed sections: on a
   * loaded machine wall time counts the waits for a core too, CPU time barely.
   */
  readonly cpuSecs: number;
}

/** Every collector pause of this process, to tell how much of a timed section was collection. */
const gcPauses: Array<{ readonly start: number; readonly duration: number }> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    gcPauses.push({ start: entry.startTime, duration: entry.duration });
}).observe({ entryTypes: ['gc'] });

async function gcSecondsWithin(windows: ReadonlyArray<readonly [number, number]>) {
  // Entries reach the observer asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  let ms = 0;
  for (const { start, duration } of gcPauses)
    if (windows.some(([from, to]) => start >= from && start < to)) ms += duration;
  return ms / 1000;
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
  limit = EVENTS,
): Promise<PassResult> {
  collectGarbage();
  const total = Math.min(limit, EVENTS);
  const bar = progressBar(label, total);
  let events = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const windows: Array<[number, number]> = [];
  let cpuMicros = 0;
  for (const batch of eventBatches(limit)) {
    prepare(batch);
    const cpuFrom = process.cpuUsage();
    const from = performance.now();
    await timed(batch);
    windows.push([from, performance.now()]);
    const cpu = process.cpuUsage(cpuFrom);
    cpuMicros += cpu.user + cpu.system;
    events += batch.length;
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
    if (events % (BATCH * 20) === 0 || events >= total) bar.update(events);
    // cli-progress draws nothing when stderr is not a terminal: print a line every tenth.
    if (!process.stderr.isTTY && events % Math.max(BATCH, Math.floor(total / 10)) < batch.length)
      process.stderr.write(
        `${label}: ${events.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}\n`,
      );
  }
  bar.stop();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    label,
    events,
    secs: windows.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    gcSecs: await gcSecondsWithin(windows),
    cpuSecs: cpuMicros / 1e6,
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

function projectorOn(store: ReadStore, projections = [VIEW]): Projector {
  // applyBatch reads the event store only for the identity graph, which this bench has none of.
  const noGraph = { readStream: async () => [] } as unknown as EventStore;
  return new Projector(noGraph, store, projections, {
    name: 'bench',
    batchSize: BATCH,
    maxBatchDelayMs: 0,
    ...(STEP === undefined ? {} : { customersPerStep: STEP }),
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

async function memoryPasses(print: (results: PassResult[]) => void): Promise<void> {
  let views = new Map<string, unknown>();
  const ceiling = await pass('memory: bare fold (ceiling)', foldInto(views));
  print([ceiling]);
  const fold = sampleOf(views);
  views = new Map();
  const without = { label: 'memory: Projector.applyBatch', projections: [VIEW] };
  const withFacts = {
    label: 'memory: applyBatch + signal facts',
    projections: [VIEW, SIGNAL_FACTS],
  };
  if (WARMUP > 0)
    for (const side of [without, withFacts])
      print([await projectedPass(`${side.label} (warm-up)`, side.projections, fold, WARMUP)]);
  const shares: SignalFactsShare[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const suffix = ROUNDS > 1 ? ` #${round}` : '';
    // ABBA: a pair's first pass runs on a machine a little more (or less) loaded, or the heap a
    // little less grown, than its second; alternating the order lets that fall on both sides.
    const order = round % 2 === 1 ? [without, withFacts] : [withFacts, without];
    const results = new Map<typeof without, PassResult>();
    for (const side of order) {
      const result = await projectedPass(`${side.label}${suffix}`, side.projections, fold);
      results.set(side, result);
      print([result]);
    }
    const share = signalFactsShare(results.get(without)!, results.get(withFacts)!);
    shares.push(share);
    process.stdout.write(
      `signal facts cost${suffix}: ${percent(share.wall)} of applyBatch throughput` +
        ` (by CPU time: ${percent(share.cpu)})\n`,
    );
  }
  if (ROUNDS > 1)
    process.stdout.write(
      `signal facts cost, median of ${ROUNDS} pairs: ${percent(median(shares.map((s) => s.cpu)))} by CPU time` +
        ` (pairs: ${shares.map((s) => percent(s.cpu)).join(', ')}), ${percent(median(shares.map((s) => s.wall)))} by wall time\n`,
    );
}

/** What the signal facts take of applyBatch's throughput: 1 - without / with, by each clock. */
interface SignalFactsShare {
  readonly cpu: number;
  readonly wall: number;
}

function signalFactsShare(without: PassResult, withFacts: PassResult): SignalFactsShare {
  return {
    cpu: 1 - without.cpuSecs / withFacts.cpuSecs,
    wall: 1 - without.secs / withFacts.secs,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

async function projectedPass(
  label: string,
  projections: Projection<unknown>[],
  fold: FoldSample,
  limit = EVENTS,
): Promise<PassResult> {
  const store = new MemoryReadStore();
  const projector = projectorOn(store, projections);
  const result = await pass(label, (batch) => projector.applyBatch(batch), undefined, limit);
  // A warm-up stops short of the fold's views.
  if (limit >= EVENTS) await checkAgainst(store, fold);
  // Or its cold write-out would run on into the next pass, in its timed sections.
  await store.close();
  return result;
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
      `${r.label.padEnd(37)} ${r.secs.toFixed(2).padStart(7)} s  ${perSecond(r.events, r.secs).padStart(10)} events/s` +
      `   GC ${r.gcSecs.toFixed(2).padStart(5)} s   CPU ${r.cpuSecs.toFixed(2).padStart(6)} s` +
      `   peak RSS ${String(r.peakRssMb).padStart(5)} MB, heap ${String(r.peakHeapMb).padStart(5)} MB`,
  );
}

async function main(): Promise<void> {
  const lines = [
    `events: ${EVENTS.toLocaleString('en-US')} for ${CUSTOMERS.toLocaleString('en-US')} customers, ${BATCH} per batch (generated by the decider, not timed); ${v8Flags()}`,
  ];
  // Each row as its pass ends: a pass that fails later (or a run cut short) hides none before it.
  const print = (results: PassResult[]) => process.stdout.write(`${report(results).join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (STORES.includes('memory')) await memoryPasses(print);
  if (STORES.includes('redis')) {
    try {
      print(await redisPasses());
    } catch (error) {
      process.stdout.write(
        `redis: skipped (${REDIS_URL}: ${error instanceof Error ? error.message : String(error)})\n`,
      );
    }
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
