/**
 * What an off-thread rebuild costs the thread that serves queries, with nothing else running on
 * it: a replay of the customer view from an event store (the demo store's copy) into a fresh
 * generation of an in-memory read store, the fold on its worker thread, while this thread holds
 * a heap of --heap-mb of small objects (the platform's main heap is ~230 MB). Prints the bytes
 * of records this thread took in and copied back out, its own CPU time beside the process's
 * (the worker and V8's helper threads), its collections by kind, and its event-loop delay.
 * Compare trees in one sitting (bench:trees, or two runs side by side) and say the load.
 *   npm run bench:rebuild-main-thread -- --data-dir <copy of a demo store's directory>
 *     [--heap-mb 250] [--batch 50000]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@rapport/config';
import { createEventStore } from '@rapport/event-store';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { ProjectionRebuild } from '@rapport/projector';
import { MemoryReadStore, ViewGenerations } from '@rapport/read-store';
import { argument } from './bench-support';
import { describeSchedule, sampleThreads, scheduleBetween } from './thread-schedule';

const DATA_DIR = argument('--data-dir');
const HEAP_MB = Number(argument('--heap-mb') ?? 250);
const BATCH = Number(argument('--batch') ?? 50_000);

/** CPU time of this process's main thread (its task's utime + stime), in ms. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * 10;
}

const GC_KINDS: Readonly<Record<number, string>> = {
  1: 'minor',
  2: 'major',
  4: 'incremental',
  8: 'weak callbacks',
};

async function main(): Promise<void> {
  if (!DATA_DIR) throw new Error('--data-dir <a copy of a demo store directory> is required');
  Logger.overrideLogger(['error']);
  const config = loadConfig({ ...process.env, DATA_DIR });
  // Stands in for the platform's heap: what each of this thread's full collections marks.
  const heap: unknown[] = [];
  for (let i = 0; i < HEAP_MB * 6_000; i += 1) heap.push({ i, s: `x${i}`, a: [i, { c: i }] });

  const events = createEventStore(config, { appends: false, readOnly: true });
  const readStore = new MemoryReadStore();
  const encoded = readStore.encoded;
  let takenIn = 0;
  let copiedOut = 0;
  const putMany = encoded.putMany;
  const getMany = encoded.getMany;
  Object.assign(encoded, {
    putMany: async (...args: Parameters<typeof putMany>) => {
      for (const record of args[1]) takenIn += record.json.byteLength;
      return putMany(...args);
    },
    getMany: async (...args: Parameters<typeof getMany>) => {
      const found = await getMany(...args);
      for (const record of found) copiedOut += record.json.byteLength;
      return found;
    },
  });

  const collections = new Map<string, { count: number; ms: number; maxMs: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind =
        GC_KINDS[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      const total = collections.get(kind) ?? { count: 0, ms: 0, maxMs: 0 };
      total.count += 1;
      total.ms += entry.duration;
      total.maxMs = Math.max(total.maxMs, entry.duration);
      collections.set(kind, total);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const loadBefore = loadavg()[0];
  const mainBefore = mainThreadCpuMs();
  const threadsBefore = sampleThreads(process.pid);
  const processBefore = process.cpuUsage();
  delay.enable();
  const started = performance.now();
  const done = await new ProjectionRebuild(
    events,
    readStore,
    new ViewGenerations(readStore, { cacheMs: 50 }),
    {
      projection: customerViewProjection as Projection<unknown>,
      mode: 'replay',
      batchSize: BATCH,
      graceMs: 0,
      offThread: { eventStore: config.eventStore, privacy: config.privacy },
    },
  ).run();
  delay.disable();
  observer.disconnect();
  const seconds = (performance.now() - started) / 1000;
  const processCpu = process.cpuUsage(processBefore);
  const schedule = scheduleBetween(process.pid, threadsBefore, sampleThreads(process.pid));
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const ms = (nanos: number) => (nanos / 1e6).toFixed(0);
  process.stdout.write(
    `${done.state}: ${done.eventsApplied.toLocaleString('en')} events in ${seconds.toFixed(0)} s ` +
      `(load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}), heap held ${heap.length > 0 ? HEAP_MB : 0} MB\n` +
      `  this thread took in ${mb(takenIn)} of records and copied ${mb(copiedOut)} back out\n` +
      `  its CPU ${((mainThreadCpuMs() - mainBefore) / 1000).toFixed(1)} s, the process's ` +
      `${((processCpu.user + processCpu.system) / 1e6).toFixed(1)} s\n` +
      `  ${describeSchedule(schedule)}\n` +
      `  its event-loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} ` +
      `max ${ms(delay.max)} ms\n` +
      `  its collections: ${[...collections]
        .map(
          ([kind, t]) =>
            `${kind} ${t.count}× ${t.ms.toFixed(0)} ms (longest ${t.maxMs.toFixed(0)})`,
        )
        .join(', ')}\n`,
  );
  await events.close();
  await readStore.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
