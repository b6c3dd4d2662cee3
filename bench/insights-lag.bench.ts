/**
 * How far behind the projector the population views (tiers, lists, at-risk, retention) are
 * under ingestion: touchpoints are posted at an even rate (each a first purchase of a new
 * customer, so a snapshot's customer count says which writes it includes) while GET /v1/tiers
 * is polled without X-Min-Position. At each poll the lag is how long ago the oldest write the
 * snapshot does not include was acknowledged (0 when it includes them all).
 *   npm run bench:insights-lag -- --events-from <events.db> [--rate 50 --seconds 60 --poll-ms 200]
 *     [--settle-seconds 0]   wait this long after the first snapshot before writing (what still
 *       runs after ready, such as the signal deriver's catch-up, then no longer competes)
 * The platform is the built app with its default INSIGHTS_REFRESH_SECONDS, as its own process;
 * without --events-from it starts on an empty store (a refresh then costs next to nothing).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { argument, startBuiltPlatform } from './bench-support';

const RATE = Number(argument('--rate') ?? 50);
const SECONDS = Number(argument('--seconds') ?? 60);
const POLL_MS = Number(argument('--poll-ms') ?? 200);
const EVENTS_FROM = argument('--events-from');
const SETTLE_SECONDS = Number(argument('--settle-seconds') ?? 0);
const PORT = 3990 + Math.floor(Math.random() * 9);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const KEY = `bench-${randomUUID()}`;
const auth = { authorization: `Bearer ${KEY}` };
const RUN = randomUUID().slice(0, 8);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function startPlatform(dataDir: string): Promise<ChildProcess> {
  const started = Date.now();
  const child = await startBuiltPlatform({
    port: PORT,
    key: KEY,
    dataDir,
    // The platform's default refresh pace: what the bench measures.
    env: { INSIGHTS_REFRESH_SECONDS: undefined },
    // The first snapshot computed: the lists answer.
    readyPath: '/v1/tiers',
    readyNeedsKey: true,
    timeoutMs: 600_000,
  });
  log(`platform ready with a snapshot in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return child;
}

async function tiersCustomers(): Promise<{ customers: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${ORIGIN}/v1/tiers`, { headers: auth });
  const body = (await response.json()) as { customers: number };
  return { customers: body.customers, ms: performance.now() - started };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(): Promise<void> {
  const base = (await tiersCustomers()).customers;
  /** When each write was acknowledged (ms since the epoch), in the order sent. */
  const acked: number[] = [];
  const writeMs: number[] = [];
  const lags: number[] = [];
  const pollMs: number[] = [];
  const begun = Date.now();
  const total = RATE * SECONDS;
  const writing = (async () => {
    for (let i = 0; i < total; i += 1) {
      const due = begun + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const started = performance.now();
      const response = await fetch(`${ORIGIN}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          touchpointId: `lag-${RUN}-${i}`,
          source: 'bench',
          customerId: `LAG-${RUN}-${String(i).padStart(6, '0')}`,
          type: 'purchase',
          occurredAt: new Date(Date.now() - 1_000).toISOString(),
          channel: 'web',
          data: { orderId: `O-${RUN}-${i}`, amount: { minor: 1_000 + i, currency: 'EUR' } },
        }),
      });
      if (response.status !== 202) throw new Error(`write ${i}: ${response.status}`);
      await response.arrayBuffer();
      writeMs.push(performance.now() - started);
      acked.push(Date.now());
    }
  })();
  let done = false;
  void writing.finally(() => (done = true));
  while (!done) {
    const { customers, ms } = await tiersCustomers();
    pollMs.push(ms);
    // Writes are applied in order, so the snapshot holds the first `covered` of them.
    const covered = customers - base;
    lags.push(covered < acked.length ? Date.now() - acked[covered] : 0);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await writing;
  const figures = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, ` +
    `max ${Math.max(...values).toFixed(0)} ms`;
  process.stdout.write(
    `${acked.length} touchpoints at ${RATE}/s over ${SECONDS} s on ${base} customers; ` +
      `${lags.length} polls of GET /v1/tiers every ${POLL_MS} ms\n` +
      `  population views behind the writes: ${figures(lags)}\n` +
      `  GET /v1/tiers latency: ${figures(pollMs)}\n` +
      `  POST /v1/touchpoints latency: ${figures(writeMs)}\n`,
  );
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'platform'], {
    stdio: 'inherit',
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-bench-insights-lag-'));
  let platform: ChildProcess | undefined;
  try {
    if (EVENTS_FROM) {
      copyFileSync(EVENTS_FROM, join(dataDir, 'events.db'));
      // A store written with personal fields sealed (the demo's) is read with its keys.
      const keys = join(dirname(EVENTS_FROM), 'keys.sqlite');
      if (existsSync(keys)) copyFileSync(keys, join(dataDir, 'keys.sqlite'));
    }
    platform = await startPlatform(dataDir);
    if (SETTLE_SECONDS > 0)
      await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1_000));
    await measure();
  } finally {
    platform?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
