import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findDashboardDir } from '@rapport/http';
import { chromium, type Page } from 'playwright-core';
import { argument } from './bench-support';

/**
 * `npm run bench:dashboard`: the dashboard in a headless Chromium against `npm run demo`'s data
 * (DEMO_CUSTOMERS, default 20,000; DATA_DIR, default ./data/demo, is reused when it holds a
 * store already). Prints the bundle's gzipped size, the overview's time to interactive (the
 * `rapport:overview-interactive` performance mark: tiers, segments and cohorts drawn) over
 * several loads, and the time and bytes of each at-risk page while paging.
 * Options: --loads N (overview loads, default 7), --pages N (at-risk pages, default 30),
 * --chromium PATH (default CHROMIUM_PATH or /usr/bin/chromium), --port N (default 3917),
 * --screenshot PATH (the overview as loaded, at the 1280×900 viewport: the README's picture),
 * --trace PATH (a Chromium performance trace of one more load, its longest tasks printed).
 */
const KEY = 'bench-dashboard-admin-key-0123456789';
const PORT = Number(argument('--port') ?? 3917);
const BASE = `http://127.0.0.1:${PORT}`;
const LOADS = Number(argument('--loads') ?? 7);
const PAGES = Number(argument('--pages') ?? 30);
const CHROMIUM = argument('--chromium') ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = argument('--screenshot');
const TRACE = argument('--trace');

function bundleSize(dir: string): { files: number; bytes: number; gzipped: number } {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  let bytes = 0;
  let gzipped = 0;
  for (const file of files) {
    const content = readFileSync(file);
    bytes += content.length;
    gzipped += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipped };
}

/** The demo platform as `npm run demo` runs it, ready once it prints its URLs. */
async function startDemo(): Promise<ChildProcess> {
  const demo = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/platform/src/demo/demo.main.ts',
    ],
    {
      env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DEMO_ADMIN_KEY: KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    demo.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Rapport demo is ready')) resolve();
    });
    demo.once('exit', (code) => reject(new Error(`the demo stopped (exit ${code})`)));
  });
  return demo;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface OverviewLoad {
  readonly interactiveMs: number;
  /** Where the time went: each request's start, first byte and end, from navigation start (ms). */
  readonly requestMs: Readonly<Record<string, readonly [number, number, number]>>;
}

async function loadOverview(page: Page): Promise<OverviewLoad> {
  // A fresh document each time: a goto to the same URL but its fragment would not reload.
  await page.goto('about:blank');
  await page.goto(`${BASE}/#/overview`);
  await page.locator('[data-testid="cohorts"]').waitFor({ timeout: 60_000 });
  return page.evaluate(`({
    interactiveMs: performance.getEntriesByName('rapport:overview-interactive')[0]?.startTime ?? NaN,
    requestMs: Object.fromEntries(
      performance.getEntriesByType('resource').map((r) => [
        new URL(r.name).pathname,
        [r.startTime, r.responseStart, r.responseEnd],
      ]),
    ),
  })`);
}

/** The renderer main thread's longest tasks in a Chromium trace, with what ran inside them. */
function longestTasks(trace: Buffer, count = 8): string[] {
  type TraceEvent = {
    name: string;
    ph: string;
    ts: number;
    dur?: number;
    tid: number;
    pid: number;
    args?: { name?: string; data?: { url?: string; functionName?: string } };
  };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter(
    (e) => main && e.tid === main.tid && e.pid === main.pid && e.ph === 'X',
  );
  const start = Math.min(...onMain.map((e) => e.ts));
  const tasks = onMain
    .filter((e) => e.name === 'RunTask')
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  return tasks.slice(0, count).map((task) => {
    const inside = onMain
      .filter(
        (e) =>
          e !== task && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0) && (e.dur ?? 0) > 2_000,
      )
      .map(
        (e) =>
          `${e.name}${e.args?.data?.url ? ` ${new URL(e.args.data.url).pathname}` : ''} ${((e.dur ?? 0) / 1000).toFixed(0)}`,
      )
      .slice(0, 6);
    return `at ${((task.ts - start) / 1000).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(0)} ms (${inside.join(', ') || 'nothing over 2 ms'})`;
  });
}

async function main(): Promise<void> {
  const dir = findDashboardDir();
  if (!dir) throw new Error('build the dashboard first: npm run build:dashboard');
  const bundle = bundleSize(dir);
  process.stdout.write(
    `bundle: ${bundle.files} files, ${(bundle.bytes / 1024).toFixed(1)} KB, ` +
      `${(bundle.gzipped / 1024).toFixed(1)} KB gzipped (limit 300 KB)\n`,
  );

  const demo = await startDemo();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The key as the page keeps it after asking once (sessionStorage), before any script runs.
    await context.addInitScript({
      content: `sessionStorage.setItem('rapport.apiKey', ${JSON.stringify(KEY)})`,
    });
    const page = await context.newPage();

    const tiers = (await (
      await fetch(`${BASE}/v1/tiers`, { headers: { Authorization: `Bearer ${KEY}` } })
    ).json()) as { customers: number };
    const runs: OverviewLoad[] = [];
    for (let i = 0; i < LOADS; i++) runs.push(await loadOverview(page));
    if (SCREENSHOT) {
      await page.screenshot({ path: SCREENSHOT });
      process.stdout.write(`overview screenshot: ${SCREENSHOT}\n`);
    }
    const loads = runs.map((run) => run.interactiveMs);
    process.stdout.write(
      `overview, ${tiers.customers} customers: interactive after ${loads.map((ms) => ms.toFixed(0)).join(', ')} ms ` +
        `(median ${median(loads).toFixed(0)} ms, first ${loads[0].toFixed(0)} ms)\n`,
    );
    const paths = Object.keys(runs[runs.length - 1].requestMs);
    const at = (path: string, i: number) =>
      median(runs.map((run) => run.requestMs[path]?.[i] ?? NaN)).toFixed(0);
    process.stdout.write(
      `  medians from navigation start (requested / first byte / end): ${paths
        .map((path) => `${path} ${at(path, 0)}/${at(path, 1)}/${at(path, 2)} ms`)
        .join(', ')}\n`,
    );
    if (TRACE) {
      await browser.startTracing(page, { path: TRACE });
      await loadOverview(page);
      process.stdout.write(
        `  one more load traced into ${TRACE}; its longest main-thread tasks:\n`,
      );
      for (const line of longestTasks(await browser.stopTracing()))
        process.stdout.write(`    ${line}\n`);
    }

    await page.goto(`${BASE}/#/at-risk`);
    await page.locator('[data-testid="at-risk-table"]').waitFor({ timeout: 60_000 });
    const total = await page.locator('[data-testid="at-risk-total"]').getAttribute('data-value');
    const pageTimes: number[] = [];
    const pageBytes: number[] = [];
    let reached = 1;
    for (let i = 1; i < PAGES; i++) {
      const next = page.getByRole('button', { name: 'Next page' });
      if (await next.isDisabled()) break;
      const started = performance.now();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/v1/at-risk?')),
        next.click(),
      ]);
      await page.locator('[data-testid="page-number"]', { hasText: `Page ${i + 1} ` }).waitFor();
      pageTimes.push(performance.now() - started);
      pageBytes.push((await response.body()).length);
      reached = i + 1;
    }
    const rows = await page.locator('[data-testid="at-risk-table"] tbody tr').count();
    process.stdout.write(
      `at-risk: ${total} customers at risk, paged to page ${reached}; a page click to rows drawn: ` +
        `median ${median(pageTimes).toFixed(0)} ms, max ${Math.max(...pageTimes).toFixed(0)} ms; ` +
        `${rows} rows in the page, ${(median(pageBytes) / 1024).toFixed(1)} KB of JSON a page\n`,
    );
  } finally {
    await browser.close();
    demo.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
