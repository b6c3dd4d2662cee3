/**
 * Queries during a rebuild: the demo history (20,000 customers, 24 months) in the embedded
 * stores, then a dry-run rebuild and a real rebuild of the customer view, each while
 * GET /v1/customers/:id (random demo ids) is loaded at an even rate, open loop
 * (bench/paced-load.ts; loopback only, bounded: it stops when the rebuild is done or after
 * --max-seconds). Prints the query latency per 5-s window and over the whole rebuild, and the
 * rebuild's own events/s from its status. Before the rebuilds, it times GET /v1/tiers as of two
 * past dates (computed on demand from every view).
 *   npm run bench:rebuild [-- --customers 20000 --months 24 --rate 200 --max-seconds 600]
 *     [--events-from <events.db>]   a copy of this store (and keys.sqlite beside it) instead of
 *       writing the demo history
 *     [--profile <dir>]   a CPU profile of the platform's main thread per rebuild, summarised,
 *       and its long tasks (no idle sample for --long-task-ms, default 30) placed from the
 *       rebuild's start
 *     [--trace-gc <file>]   the platform runs with --trace-gc, its standard output into <file>
 *     [--profile-start <dir>]   a CPU profile of the main thread from the platform's start to
 *       the end of the fourth window after ready, and its long tasks (what held the event loop)
 * Beside each window: the platform's resident memory (peak so far, VmHWM) and its main
 * thread's used heap (from /metrics); a rebuild's worker thread counts in the resident memory.
 * And where the platform's main thread spent the window: its event-loop delay (p99 and max,
 * from /metrics, whose histogram restarts at each scrape), its CPU time, and how long it was
 * runnable but not scheduled (thread-schedule.ts), beside the other threads' CPU time. The same
 * windows with no rebuild, before and after the rebuilds, are the floor the machine's load sets.
 * The platform runs as its own process (the built app, with the Node flags `npm start` gives
 * it), so the load generator does not share its event loop.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { argument, seededRandom, startBuiltPlatform } from './bench-support';
import { pacedLoad, type PacedLoadResult } from './paced-load';
import {
  profilerNodeArgs,
  profileWritten,
  summariseLongTasks,
  summariseProfile,
} from './cpu-profile';
import { describeSchedule, sampleThreads, scheduleBetween } from './thread-schedule';

const CUSTOMERS = Number(argument('--customers') ?? 20_000);
const MONTHS = Number(argument('--months') ?? 24);
const RATE = Number(argument('--rate') ?? 200);
const MAX_SECONDS = Number(argument('--max-seconds') ?? 600);
const EVENTS_FROM = argument('--events-from');
const PROFILE_DIR = argument('--profile');
const TRACE_GC = argument('--trace-gc');
const PROFILE_START_DIR = argument('--profile-start');
const WINDOW_SECONDS = 5;
/** A stretch of the main thread's profile without an idle sample that counts as a long task. */
const LONG_TASK_MS = Number(argument('--long-task-ms') ?? 30);
const PORT = 3950 + Math.floor(Math.random() * 40);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const KEY = `bench-${randomUUID()}`;
const auth = { authorization: `Bearer ${KEY}` };
const CLI = 'dist/apps/cli/apps/cli/src/main.js';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function loadDemoHistory(dataDir: string): void {
  log(`writing the demo history (${CUSTOMERS} customers, ${MONTHS} months) into ${dataDir}`);
  execFileSync(
    process.execPath,
    [
      '--max-semi-space-size=128',
      CLI,
      'demo-data',
      '--customers',
      String(CUSTOMERS),
      '--months',
      String(MONTHS),
      '--seed',
      '1',
      '--into-store',
    ],
    { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'inherit' },
  );
}

async function startPlatform(dataDir: string): Promise<ChildProcess> {
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  if (PROFILE_START_DIR) mkdirSync(PROFILE_START_DIR, { recursive: true });
  const started = Date.now();
  const child = await startBuiltPlatform({
    port: PORT,
    key: KEY,
    dataDir,
    env: { INSIGHTS_REFRESH_SECONDS: '0' },
    nodeFlags: [
      ...(PROFILE_DIR ? profilerNodeArgs(PROFILE_DIR) : []),
      ...(PROFILE_START_DIR ? profilerNodeArgs(PROFILE_START_DIR, { fromStart: true }) : []),
      ...(TRACE_GC ? ['--trace-gc'] : []),
    ],
    stdout: TRACE_GC ? openSync(TRACE_GC, 'w') : 'ignore',
    // The views caught up.
    readyPath: '/health/ready',
    timeoutMs: 600_000,
  });
  log(`platform ready (views caught up) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return child;
}

let platformPid: number | undefined;

/** Peak resident memory of the platform so far (VmHWM, all threads), in MB. */
function peakRssMb(): number {
  const status = readFileSync(`/proc/${platformPid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

interface PlatformMetrics {
  /** The main-thread heap in use now, in MB (the worker's heap is apart). */
  readonly heapUsedMb: number;
  /** Event-loop delay since the previous scrape (prom-client restarts its histogram), in ms. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

async function platformMetrics(): Promise<PlatformMetrics> {
  const text = await (await fetch(`${ORIGIN}/metrics`, { headers: auth })).text();
  const value = (name: string) =>
    Number(new RegExp(`^rapport_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heapUsedMb: value('nodejs_heap_size_used_bytes') / 2 ** 20,
    loopDelayP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    loopDelayMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
  };
}

function memory(metrics: PlatformMetrics): string {
  return `rss peak ${peakRssMb().toFixed(0)} MB, heap ${metrics.heapUsedMb.toFixed(0)} MB`;
}

let readyAt = 0;

/**
 * One window of paced queries, with where the platform's main thread spent it. The metrics
 * scrape before it restarts the event-loop delay histogram, so the one after covers the window.
 */
async function measuredWindow(
  path: () => string,
): Promise<{ load: PacedLoadResult; metrics: PlatformMetrics; line: string }> {
  await platformMetrics();
  const before = sampleThreads(platformPid!);
  const startedS = (Date.now() - readyAt) / 1000;
  const load = await pacedLoad({
    origin: ORIGIN,
    path,
    headers: auth,
    rate: RATE,
    seconds: WINDOW_SECONDS,
    connections: 16,
  });
  const schedule = scheduleBetween(platformPid!, before, sampleThreads(platformPid!));
  const metrics = await platformMetrics();
  const line =
    `t+${startedS.toFixed(0)} s after ready: ${figures(load)}, generator stall ` +
    `${load.generatorStallMs.toFixed(0)} ms | loop delay p99 ${metrics.loopDelayP99Ms.toFixed(0)} ` +
    `max ${metrics.loopDelayMaxMs.toFixed(0)} ms | ${describeSchedule(schedule)} | ${memory(metrics)}`;
  return { load, metrics, line };
}

/** Windows with no rebuild running: the floor the machine's load sets. */
async function idleWindows(title: string, count: number): Promise<void> {
  const random = seededRandom(title.length);
  const path = () =>
    `/v1/customers/C-${String(1 + Math.floor(random() * CUSTOMERS)).padStart(6, '0')}`;
  const windows: PacedLoadResult[] = [];
  for (let i = 1; i <= count; i += 1) {
    const { load, line } = await measuredWindow(path);
    windows.push(load);
    process.stdout.write(`  ${title} | window ${i}: ${line}\n`);
  }
  process.stdout.write(
    `${title}: worst window p99 ${Math.max(...windows.map((w) => w.p99Ms)).toFixed(1)} ms, ` +
      `max ${Math.max(...windows.map((w) => w.maxMs)).toFixed(1)} ms\n`,
  );
}

interface RebuildStatus {
  readonly id: string;
  readonly state: string;
  readonly eventsApplied: number;
  readonly eventsPerSecond: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly comparison?: { compared: number; differing: number };
  readonly error?: string;
}

async function rebuildStatus(id: string): Promise<RebuildStatus | undefined> {
  const response = await fetch(`${ORIGIN}/v1/projections/status`, { headers: auth });
  const body = (await response.json()) as { rebuilds?: RebuildStatus[] };
  return body.rebuilds?.find((r) => r.id === id);
}

const FINISHED = new Set(['done', 'failed', 'interrupted']);

function figures(r: PacedLoadResult): string {
  return (
    `${r.answered}/${r.sent} answered, ${r.errors} errors, p50 ${r.p50Ms.toFixed(1)} ms, ` +
    `p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`
  );
}

/** Loads the customer view in 5-s windows until the rebuild has finished. */
let profiles = 0;

async function rebuildUnderLoad(dryRun: boolean): Promise<void> {
  const title = dryRun ? 'dry-run rebuild' : 'rebuild';
  if (PROFILE_DIR) process.kill(platformPid!, 'SIGWINCH');
  const random = seededRandom(dryRun ? 3 : 4);
  const path = () =>
    `/v1/customers/C-${String(1 + Math.floor(random() * CUSTOMERS)).padStart(6, '0')}`;
  const started = await fetch(`${ORIGIN}/v1/projections/customer-view/rebuild?dryRun=${dryRun}`, {
    method: 'POST',
    headers: auth,
  });
  if (started.status !== 202)
    throw new Error(`${title} refused: ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  const windows: PacedLoadResult[] = [];
  const begun = Date.now();
  let maxHeapMb = 0;
  let status: RebuildStatus | undefined;
  do {
    const { load, metrics, line } = await measuredWindow(path);
    windows.push(load);
    status = await rebuildStatus(id);
    maxHeapMb = Math.max(maxHeapMb, metrics.heapUsedMb);
    process.stdout.write(
      `  ${title} ${status?.state ?? '?'} ${status?.eventsApplied ?? 0} events ` +
        `(${status?.eventsPerSecond ?? 0}/s) | window ${windows.length}: ${line}\n`,
    );
  } while (status && !FINISHED.has(status.state) && Date.now() - begun < MAX_SECONDS * 1000);
  if (PROFILE_DIR) {
    const stoppedAt = Date.now();
    process.kill(platformPid!, 'SIGWINCH');
    const file = await profileWritten(PROFILE_DIR, profiles++);
    process.stdout.write(`${summariseProfile(file, [], 30)}\n`);
    // What held the main thread, and when: the start, the middle or the end of the rebuild.
    const clock = { stoppedAt, readyAt: begun, since: `the ${title} began` };
    process.stdout.write(`${summariseLongTasks(file, LONG_TASK_MS, clock)}\n`);
  }
  const worstP99 = Math.max(...windows.map((w) => w.p99Ms));
  const maxMs = Math.max(...windows.map((w) => w.maxMs));
  const errors = windows.reduce((n, w) => n + w.errors, 0);
  const seconds =
    status?.finishedAt !== undefined
      ? (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000
      : undefined;
  const rate =
    seconds && status ? Math.round(status.eventsApplied / seconds).toLocaleString('en') : 'n/a';
  process.stdout.write(
    `${title}: ${status?.state ?? 'unknown'}` +
      (seconds !== undefined
        ? ` in ${seconds.toFixed(1)} s`
        : ` (still running after ${MAX_SECONDS} s)`) +
      `, ${status?.eventsApplied.toLocaleString('en') ?? 0} events, ${rate} events/s overall` +
      (status?.comparison
        ? `, compared ${status.comparison.compared} views, ${status.comparison.differing} differing`
        : '') +
      (status?.error ? `, error: ${status.error}` : '') +
      `\n  queries at ${RATE} req/s during it (${windows.length} windows of ${WINDOW_SECONDS} s): ` +
      `worst window p99 ${worstP99.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms, ${errors} errors\n` +
      `  platform memory: rss peak ${peakRssMb().toFixed(0)} MB since start, main-thread heap ` +
      `at most ${maxHeapMb.toFixed(0)} MB at the end of a window\n`,
  );
}

/**
 * Population views as of a past date are computed on demand from every customer's view: the
 * first ask computes (the figure that counts), the next is served from what was kept.
 */
async function timeAsOfQueries(): Promise<void> {
  const fitted = await fetch(`${ORIGIN}/v1/model/fit`, { method: 'POST', headers: auth });
  if (!fitted.ok) throw new Error(`refit failed: ${fitted.status}`);
  for (const asOf of ['2026-06-30', '2026-03-31']) {
    for (const attempt of ['first', 'again']) {
      const started = performance.now();
      const response = await fetch(`${ORIGIN}/v1/tiers?asOf=${asOf}`, { headers: auth });
      const ms = performance.now() - started;
      const body = (await response.json()) as { customers?: number };
      process.stdout.write(
        `GET /v1/tiers?asOf=${asOf} (${attempt}): ${response.status} in ${ms.toFixed(0)} ms, ` +
          `${body.customers ?? '?'} customers\n`,
      );
    }
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'platform'], {
    stdio: 'inherit',
  });
  if (!EVENTS_FROM)
    execFileSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'cli'], {
      stdio: 'inherit',
    });
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-bench-rebuild-'));
  let platform: ChildProcess | undefined;
  try {
    if (EVENTS_FROM) {
      log(`copying the event store ${EVENTS_FROM} into ${dataDir}`);
      copyFileSync(EVENTS_FROM, join(dataDir, 'events.db'));
      // Personal fields are sealed with the customers' keys, kept beside the events.
      const keys = join(dirname(EVENTS_FROM), 'keys.sqlite');
      if (existsSync(keys)) copyFileSync(keys, join(dataDir, 'keys.sqlite'));
    } else {
      loadDemoHistory(dataDir);
    }
    platform = await startPlatform(dataDir);
    platformPid = platform.pid;
    readyAt = Date.now();
    // The first windows after ready show what start-up leaves behind (they were where p99
    // spikes of 0.3-1.6 s appeared); then the floor before and after the rebuilds.
    await idleWindows('just after ready, no rebuild', 4);
    if (PROFILE_START_DIR) {
      const stoppedAt = Date.now();
      process.kill(platformPid!, 'SIGWINCH');
      const file = await profileWritten(PROFILE_START_DIR, 0);
      process.stdout.write(`${summariseLongTasks(file, 100, { stoppedAt, readyAt })}\n`);
    }
    await timeAsOfQueries();
    await idleWindows('no rebuild', 3);
    await rebuildUnderLoad(true);
    await idleWindows('no rebuild', 3);
    await rebuildUnderLoad(false);
    await idleWindows('no rebuild, after', 3);
  } finally {
    platform?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
