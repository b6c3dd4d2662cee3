/**
 * Issue 7 benchmark: a blue/green replay (ProjectionRebuild, the path `rapport replay` and the
 * HTTP rebuild take) of ~1,000,000 demo events from the SQLite event store into the in-memory
 * and the Redis read store, beside a bare read of the same events from the same store in the
 * same run (the ceiling: read and JSON-parse every event, nothing else). Each pass runs in a
 * child process of its own, so its peak RSS is its own.
 *   npm run bench:replay [-- --events 1000000 --batch 500000 --stores memory,redis]
 * Pages are as large as `rapport replay` reads them (PROJECTOR_CATCH_UP_BATCH_SIZE) unless --batch.
 * The event file is built once (demo history appended customer by customer) and kept in
 * $TMPDIR/rapport-replay-bench-<events>.db. Redis: REDIS_URL, else redis://127.0.0.1:6379; keys
 * go to a namespace of their own, dropped after.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@rapport/config';
import {
  customerStreamName,
  decide,
  eventIdFor,
  evolve,
  initialCustomerState,
  recordTouchpoint,
  type Touchpoint,
} from '@rapport/domain';
import { generateDemoHistory } from '@rapport/demo-data';
import { SqliteEventStore, type AppendRequest } from '@rapport/event-store';
import { ProjectionRebuild } from '@rapport/projector';
import { customerViewProjection, type Projection } from '@rapport/projections';
import {
  MemoryReadStore,
  RedisReadStore,
  ViewGenerations,
  type ReadStore,
} from '@rapport/read-store';
import { argument, perSecond, progressBar, v8Flags } from './bench-support';

const EVENTS = Number(argument('--events') ?? 1_000_000);
const BATCH = Number(argument('--batch') ?? loadConfig({}).projector.catchUpBatchSize);
const STORES = (argument('--stores') ?? 'memory,redis').split(',');
const PASS = argument('--pass');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const END = '2026-11-27T00:00:00.000Z';
/** ~56.6 touchpoints per customer over 24 months with the demo defaults. */
const CUSTOMERS = Math.ceil(EVENTS / 56.6);
const FILE = join(tmpdir(), `rapport-replay-bench-${EVENTS}.db`);

interface PassResult {
  readonly pass: string;
  readonly events: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** The demo history, decided per customer and appended in chunks of customers. */
async function buildEventFile(): Promise<void> {
  if (existsSync(FILE)) return;
  const building = `${FILE}.${process.pid}.tmp`;
  const store = new SqliteEventStore({ path: building });
  const bar = progressBar('writing demo events', EVENTS);
  let requests: AppendRequest[] = [];
  let pending: Touchpoint[] = [];
  let written = 0;
  const flushCustomer = () => {
    if (pending.length === 0) return;
    let state = initialCustomerState();
    const events = [];
    for (const touchpoint of pending) {
      for (const event of decide(recordTouchpoint(touchpoint, END, 'bench'), state)) {
        state = evolve(state, event);
        events.push({
          id: eventIdFor(event.metadata.source, event.data.touchpointId),
          type: event.type,
          data: event.data,
          metadata: { ...event.metadata },
        });
      }
    }
    requests.push({
      streamName: customerStreamName(pending[0].customerId),
      expectedRevision: 'no_stream',
      events,
    });
    written += events.length;
    pending = [];
  };
  for (const touchpoint of generateDemoHistory({
    customers: CUSTOMERS,
    months: 24,
    seed: 42,
    endAt: END,
  })) {
    if (pending.length && pending[0].customerId !== touchpoint.customerId) flushCustomer();
    pending.push(touchpoint);
    if (requests.length >= 200) {
      await store.appendMany(requests);
      requests = [];
      bar.update(written);
    }
  }
  flushCustomer();
  await store.appendMany(requests);
  bar.update(written);
  bar.stop();
  await store.close();
  renameSync(building, FILE);
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
}

async function bareRead(): Promise<PassResult> {
  const store = new SqliteEventStore({ path: FILE });
  const started = performance.now();
  let position = -1n;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: BATCH });
    if (page.length === 0) break;
    events += page.length;
    position = page[page.length - 1].position;
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { pass: 'bare read (ceiling)', events, seconds, peakRssMiB: peakRss() };
}

async function replay(kind: 'memory' | 'redis'): Promise<PassResult> {
  const events = new SqliteEventStore({ path: FILE });
  const keyPrefix = `rapport-bench:replay:${randomUUID()}:`;
  const readStore: ReadStore =
    kind === 'memory' ? new MemoryReadStore() : new RedisReadStore({ url: REDIS_URL, keyPrefix });
  const head = Number(await events.headPosition());
  const bar = progressBar(`replay into ${kind}`, head);
  const rebuild = new ProjectionRebuild(events, readStore, new ViewGenerations(readStore), {
    projection: customerViewProjection as Projection<unknown>,
    mode: 'replay',
    batchSize: BATCH,
    graceMs: 0,
    onProgress: (p) => bar.update(Number(p.position)),
  });
  const started = performance.now();
  const done = await rebuild.run();
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  const result = {
    pass: `replay into ${kind}`,
    events: done.eventsApplied,
    seconds,
    peakRssMiB: peakRss(),
  };
  if (readStore instanceof RedisReadStore) {
    await readStore.dropCollection(`${customerViewProjection.name}@g1`);
  }
  await readStore.close();
  await events.close();
  return result;
}

function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  if (PASS) {
    const result = PASS === 'read' ? await bareRead() : await replay(PASS as 'memory' | 'redis');
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  await buildEventFile();
  const run = (pass: string): PassResult =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [...process.execArgv, ...process.argv.slice(1), '--pass', pass],
        { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as PassResult;
  const ceiling = run('read');
  const results = [ceiling, ...STORES.map(run)];
  const ceilingRate = ceiling.events / ceiling.seconds;
  process.stdout.write(
    `\nreplay benchmark: ${ceiling.events.toLocaleString('en-US')} demo events (${CUSTOMERS.toLocaleString('en-US')} customers, 24 months) ` +
      `from SQLite, pages of ${BATCH}, node ${process.version}, ${v8Flags()}\n\n` +
      `${'pass'.padEnd(24)}${'events/s'.padStart(12)}${'seconds'.padStart(10)}${'of ceiling'.padStart(12)}${'peak RSS'.padStart(12)}\n`,
  );
  for (const r of results) {
    const rate = r.events / r.seconds;
    process.stdout.write(
      `${r.pass.padEnd(24)}${perSecond(r.events, r.seconds).padStart(12)}${r.seconds.toFixed(1).padStart(10)}` +
        `${`${Math.round((rate / ceilingRate) * 100)}%`.padStart(12)}${`${r.peakRssMiB} MiB`.padStart(12)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
