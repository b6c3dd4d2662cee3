import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { argument, progressBar, seededRandom } from './bench-support';

/**
 * `npm run bench:list-paging`: the customers and at-risk lists paged to their end as the
 * dashboard pages them (the same requests: its page size, following `nextCursor`), over
 * 100,000 customers. Checks that every customer comes once and none twice — against the list's
 * `total`, the loaded customers and the CSV of the same filter — and prints the time per page.
 *
 * The platform runs on 127.0.0.1 from the sources (as `npm run demo` does). The customers are
 * posted once into DATA_DIR (--data-dir, default data/list-paging-<customers>) and reused by
 * later runs. Bounded: paging stops after --max-seconds (default 600) and says where.
 * Options: --customers N (100000), --limit N (page size, 50 as the dashboard), --port N (3941).
 */
const CUSTOMERS = Number(argument('--customers') ?? 100_000);
const LIMIT = Number(argument('--limit') ?? 50);
const MAX_SECONDS = Number(argument('--max-seconds') ?? 600);
const PORT = Number(argument('--port') ?? 3941);
const DATA_DIR = argument('--data-dir') ?? `data/list-paging-${CUSTOMERS}`;
const BASE = `http://127.0.0.1:${PORT}`;
const KEY = `bench-${randomUUID()}`;
const auth = { authorization: `Bearer ${KEY}` };

/** The lists as the dashboard asks for them (at risk: its default filter and sort). */
const LISTS = [
  { name: 'customers', path: '/v1/customers?sort=revenue&order=desc' },
  { name: 'at-risk', path: '/v1/at-risk?minBand=medium&sort=valueAtRisk&order=desc' },
] as const;

interface ListPage {
  readonly snapshotVersion: number;
  readonly total: number;
  readonly items: ReadonlyArray<{ readonly customerId: string }>;
  readonly nextCursor?: string;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function startPlatform(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/platform/src/main.ts',
    ],
    {
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATA_DIR,
        LOG_LEVEL: 'warn',
        RAPPORT_API_KEYS: `${KEY}:admin`,
        RATE_LIMIT_REQUESTS: '0',
        // One snapshot for the whole run: refreshed once, after loading.
        INSIGHTS_REFRESH_SECONDS: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let i = 0; i < 1_200; i++) {
    if (child.exitCode !== null) throw new Error(`the platform stopped (exit ${child.exitCode})`);
    try {
      if ((await fetch(`${BASE}/health/live`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the platform did not start within 120 s');
}

async function get(path: string, accept = 'application/json'): Promise<Response> {
  const response = await fetch(`${BASE}${path}`, { headers: { ...auth, accept } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Progress on stderr: a bar on a terminal, a line every tenth of the way otherwise (logs, CI),
 * where the bar would print nothing.
 */
function progress(label: string, total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = progressBar(label, total);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  let next = step;
  return {
    update: (done) => {
      if (done < next && done < total) return;
      log(`${label}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
      next = done + step;
    },
    stop: () => undefined,
  };
}

/**
 * Regular buyers (3–6 purchases, 7–46 days apart) whose last purchase was 1–500 days ago, and
 * half of them a recent visit: many have stopped buying against their own rhythm, so the
 * at-risk list is long too.
 */
async function load(): Promise<void> {
  const random = seededRandom(33);
  const bar = progress('posting customers', CUSTOMERS);
  let batch: unknown[] = [];
  const flush = async () => {
    const response = await fetch(`${BASE}/v1/touchpoints`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (response.status !== 202)
      throw new Error(`loading failed: ${response.status} ${await response.text()}`);
    batch = [];
  };
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysAgo = (days: number) => new Date(today - days * 86_400_000).toISOString();
  for (let c = 0; c < CUSTOMERS; c++) {
    const customerId = `C-${String(c).padStart(6, '0')}`;
    const purchases = 3 + Math.floor(random() * 4);
    const gap = 7 + Math.floor(random() * 40);
    const last = 1 + Math.floor(random() * 500);
    for (let p = 0; p < purchases; p++) {
      batch.push({
        touchpointId: `${customerId}-p${p}`,
        source: 'pos',
        customerId,
        type: 'purchase',
        occurredAt: daysAgo(last + (purchases - 1 - p) * gap),
        channel: 'store',
        data: {
          orderId: `O-${p}`,
          amount: {
            minor: Math.round(1000 * Math.exp(1.2 * (random() + random() - 1))),
            currency: 'EUR',
          },
        },
      });
    }
    if (random() < 0.5)
      batch.push({
        touchpointId: `${customerId}-v`,
        source: 'web',
        customerId,
        type: 'web_visit',
        occurredAt: daysAgo(1 + Math.floor(random() * 60)),
        channel: 'web',
        data: { url: 'https://shop.example.com/' },
      });
    if (batch.length >= 990) await flush();
    if (c % 1_000 === 999) bar.update(c + 1);
  }
  if (batch.length) await flush();
  bar.update(CUSTOMERS);
  bar.stop();
}

/** Waits for every view to catch up with the log, then refreshes the insights once. */
async function settle(): Promise<void> {
  for (;;) {
    const status = (await (await get('/v1/projections/status')).json()) as {
      projections: Array<{ name: string; lag: string }>;
    };
    const behind = status.projections.filter((p) => p.lag !== '0');
    if (behind.length === 0) break;
    log(`views catching up: ${behind.map((p) => `${p.name} ${p.lag} behind`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const fit = await fetch(`${BASE}/v1/model/fit`, { method: 'POST', headers: auth });
  if (!fit.ok) throw new Error(`the refit failed: ${fit.status} ${await fit.text()}`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface PagingRun {
  readonly total: number;
  readonly seen: ReadonlySet<string>;
  readonly duplicates: number;
  readonly pages: number;
  readonly pageMs: readonly number[];
  readonly snapshots: ReadonlySet<number>;
  readonly complete: boolean;
}

async function pageToTheEnd(name: string, path: string, deadline: number): Promise<PagingRun> {
  const seen = new Set<string>();
  const snapshots = new Set<number>();
  const pageMs: number[] = [];
  let duplicates = 0;
  let cursor: string | undefined;
  let total = 0;
  let bar: ReturnType<typeof progress> | undefined;
  do {
    const started = performance.now();
    const page = (await (
      await get(`${path}&limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    ).json()) as ListPage;
    pageMs.push(performance.now() - started);
    total = page.total;
    snapshots.add(page.snapshotVersion);
    for (const item of page.items) {
      if (seen.has(item.customerId)) duplicates += 1;
      else seen.add(item.customerId);
    }
    bar ??= progress(`paging ${name} (pages)`, Math.max(1, Math.ceil(total / LIMIT)));
    bar.update(pageMs.length);
    cursor = page.nextCursor;
  } while (cursor && performance.now() < deadline);
  bar?.stop();
  return {
    total,
    seen,
    duplicates,
    pages: pageMs.length,
    pageMs,
    snapshots,
    complete: cursor === undefined,
  };
}

/** The customer ids of the list's CSV (every row of the filter in one answer). */
async function csvIds(path: string): Promise<Set<string>> {
  const text = await (await get(`${path}&format=csv`, 'text/csv')).text();
  const lines = text.split('\r\n').filter(Boolean);
  const column = lines[0].split(',').indexOf('customerId');
  return new Set(lines.slice(1).map((line) => line.split(',')[column]));
}

async function main(): Promise<void> {
  const fresh = !existsSync(`${DATA_DIR}/events.db`);
  mkdirSync(DATA_DIR, { recursive: true });
  const platform = await startPlatform();
  try {
    if (fresh) await load();
    else log(`${DATA_DIR} holds a store already: not posting the customers again`);
    await settle();
    const deadline = performance.now() + MAX_SECONDS * 1_000;
    const lines: string[] = [];
    let ok = true;
    for (const list of LISTS) {
      const run = await pageToTheEnd(list.name, list.path, deadline);
      const csv = await csvIds(list.path);
      const missing = [...csv].filter((id) => !run.seen.has(id)).length;
      const extra = [...run.seen].filter((id) => !csv.has(id)).length;
      const sorted = [...run.pageMs].sort((a, b) => a - b);
      const sum = run.pageMs.reduce((a, b) => a + b, 0);
      const everyoneOnce =
        run.complete &&
        run.duplicates === 0 &&
        run.seen.size === run.total &&
        missing === 0 &&
        extra === 0 &&
        run.snapshots.size === 1 &&
        (list.name !== 'customers' || run.total === CUSTOMERS);
      ok &&= everyoneOnce;
      lines.push(
        `${list.name}: ${run.total.toLocaleString('en-US')} rows, ${run.pages} pages of ${LIMIT}` +
          `${run.complete ? ' to the end' : ' (stopped at --max-seconds)'}; ` +
          `${run.seen.size.toLocaleString('en-US')} distinct customers seen, ${run.duplicates} twice, ` +
          `${missing} of the CSV's missing, ${extra} not in the CSV, ` +
          `${run.snapshots.size} snapshot(s) → ${everyoneOnce ? 'every customer once' : 'NOT every customer once'}\n` +
          `  per page: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, ` +
          `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; ` +
          `first page ${run.pageMs[0].toFixed(1)} ms; whole list ${(sum / 1000).toFixed(1)} s`,
      );
    }
    process.stdout.write(
      `${CUSTOMERS.toLocaleString('en-US')} customers loaded, pages of ${LIMIT} following nextCursor over 127.0.0.1\n${lines.join('\n')}\n`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    platform.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
