/**
 * Insights benchmark: what the periodic refresh (INSIGHTS_REFRESH_SECONDS; also every
 * `asOf` query) and the on-demand refit (POST /v1/model/fit) cost with 100,000 customers in
 * the in-memory read store, and what they do to the event loop that serves ingestion and
 * queries: wall time, and the longest event-loop stall while each ran (perf_hooks'
 * monitorEventLoopDelay, 1 ms resolution). Once with the model computed inline, once on the
 * worker thread the apps use. Each is run twice; the first includes starting the thread (here
 * from TypeScript sources, which the built apps do not compile). Views are held as the store
 * holds those left alone for READ_STORE_COLD_AFTER_MS, most of a real base: as JSON text, which
 * a read parses (`--cold-after-ms 30000` keeps them live while the bench runs).
 * The refresh includes value: the spend fit, CLV and cost to serve per customer (calls and
 * emails on a share of the customers, unit costs set), tiers by CLV. It prints the process's
 * RSS with the views loaded and its peak, and what one customer's read costs from a fresh engine
 * (the model alone, never the population's rows).
 * With `--changed <n>` it then measures the refresh that follows the projector: the engine
 * keeps every customer's facts from a full refresh, n customers get a new web visit, and the
 * refresh reads only their views again (and checks, below 200,000 customers, that it publishes
 * what a full refresh does); `--full-passes 0` skips the full refreshes and refit above it.
 *   npm run bench:insights [-- --customers 1000000 --runners worker --cold-after-ms 0 --passes 1]
 *   npm run bench:insights [-- --customers 1000000 --runners worker --passes 0 --changed 1000]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  decide,
  evolve,
  initialCustomerState,
  recordTouchpoint,
  type CustomerEvent,
  type Touchpoint,
} from '@rapport/domain';
import { mulberry32, sampleGamma, simulateBgNbdCustomers } from '@rapport/analytics/testing';
import {
  ChangedCustomersFeed,
  deriveCustomerInsights,
  InlineModelRunner,
  type InsightsSnapshot,
  InsightsEngine,
  WorkerModelRunner,
  type ModelRunner,
} from '@rapport/insights';
import { customerViewProjection, foldProjection, type CustomerView } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { argument, progressBar, seededRandom } from './bench-support';

const CUSTOMERS = Number(argument('--customers') ?? 100_000);
const RUNNERS = (argument('--runners') ?? 'inline,worker').split(',');
const AS_OF = '2026-11-01T00:00:00.000Z';
const PAGE = 1_000;
const COLD_AFTER_MS = Number(argument('--cold-after-ms') ?? 0);
const PASSES = Number(argument('--passes') ?? 2);
const CHANGED = Number(argument('--changed') ?? 0);
const INCREMENTAL_PASSES = 3;
const VALUE = {
  clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 0.3 },
  unitCosts: {
    callMinuteMinor: 90,
    complaintMinor: 2_500,
    cancellationMinor: 1_500,
    emailSentMinor: 3,
  },
};
const MB = 1024 * 1024;

async function loadViews(store: MemoryReadStore): Promise<number> {
  // Purchase days from the BG/NBD story (so the fit has an interior optimum to find), about
  // two years of history, a web visit for half the customers.
  const customers = simulateBgNbdCustomers({
    params: { r: 0.5, alpha: 8, a: 0.6, b: 2.4 },
    unit: 'weeks',
    customers: CUSTOMERS,
    seed: 17,
    minAge: 4,
    maxAge: 104,
    asOf: AS_OF,
  });
  const random = seededRandom(5);
  // Spend from the Gamma-Gamma story (each customer's own mean, p/ν), so the spend fit has an
  // interior optimum too: p = 6, q = 4, γ = 5,000 → a mean of 10,000 minor units.
  const spendRandom = mulberry32(23);
  const bar = progressBar('folding customer views', CUSTOMERS);
  let events = 0;
  let page = [];
  for (const [i, customer] of customers.entries()) {
    const nu = sampleGamma(spendRandom, 4, 5_000);
    const touchpoints: Touchpoint[] = customer.purchases.map((at, p) => ({
      touchpointId: `${customer.customerId}-p${p}`,
      source: 'pos',
      customerId: customer.customerId,
      occurredAt: new Date(at).toISOString(),
      type: 'purchase',
      channel: 'store',
      data: {
        orderId: `O-${p}`,
        amount: { minor: 1 + Math.round(sampleGamma(spendRandom, 6, nu)), currency: 'EUR' },
      },
    }));
    if (random() < 0.5)
      touchpoints.push({
        touchpointId: `${customer.customerId}-v`,
        source: 'web',
        customerId: customer.customerId,
        occurredAt: new Date(
          Date.parse(AS_OF) - 86_400_000 * Math.floor(random() * 400),
        ).toISOString(),
        type: 'web_visit',
        channel: 'web',
        data: { url: 'https://shop.example/' },
      });
    if (random() < 0.3)
      touchpoints.push({
        touchpointId: `${customer.customerId}-c`,
        source: 'callcentre',
        customerId: customer.customerId,
        occurredAt: new Date(
          Date.parse(AS_OF) - 86_400_000 * Math.floor(random() * 300),
        ).toISOString(),
        type: 'call',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: 60 + Math.floor(random() * 3_600) },
      });
    if (random() < 0.5)
      touchpoints.push({
        touchpointId: `${customer.customerId}-e`,
        source: 'mailer',
        customerId: customer.customerId,
        occurredAt: new Date(
          Date.parse(AS_OF) - 86_400_000 * Math.floor(random() * 300),
        ).toISOString(),
        type: 'email',
        channel: 'email',
        data: { direction: 'outbound', action: 'sent' },
      });
    let state = initialCustomerState();
    const history: CustomerEvent[] = [];
    for (const touchpoint of touchpoints) {
      for (const event of decide(
        recordTouchpoint(touchpoint, touchpoint.occurredAt, 'bench'),
        state,
      )) {
        state = evolve(state, event);
        history.push(event);
      }
    }
    events += history.length;
    page.push({
      key: customer.customerId,
      position: BigInt(i),
      value: foldProjection(customerViewProjection, customer.customerId, history),
    });
    if (page.length === PAGE) {
      await store.putMany(customerViewProjection.name, page);
      page = [];
      bar.update(i + 1);
    }
  }
  if (page.length) await store.putMany(customerViewProjection.name, page);
  bar.stop();
  return events;
}

/**
 * Peak RSS so far, and, run with `node --expose-gc`, the heap still in use after a full
 * collection: what the engine keeps between refreshes (facts, the current snapshot's rows).
 */
function memoryNote(): string {
  const peak = `peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return peak;
  gc();
  return `${peak}, heap kept ${(process.memoryUsage().heapUsed / MB).toFixed(0)} MB`;
}

/**
 * Where the process's memory is now: the main thread's V8 heap, memory outside it (the views'
 * UTF-8 text, typed arrays), and the rest of the RSS (the model thread's heap, code, the
 * allocator's slack).
 */
function memoryBreakdown(): string {
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
  return (
    `RSS ${mb(rss)} (peak so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB): ` +
    `main heap ${mb(heapUsed)} used of ${mb(heapTotal)}, outside the heap ${mb(external)}, ` +
    `rest ${mb(rss - heapTotal - external)}`
  );
}

/**
 * The insights' own memory, apart from the read store's: the views (here the in-memory store's
 * text; with Redis they would be in Redis's process) are in the RSS before the refresh starts,
 * so what the refresh adds to the process's peak above that RSS is the engine's (its facts,
 * the model thread, the rows, the old snapshot it still holds, the saved one in the store).
 */
function ownPeak(rssBefore: number, peakBefore: number): string {
  const peak = process.resourceUsage().maxRSS * 1024;
  const own = `${((peak - rssBefore) / MB).toFixed(0)} MB`;
  return peak > peakBefore
    ? `insights' own peak ${own} above the ${(rssBefore / MB).toFixed(0)} MB the process held before it`
    : `insights' own peak at most ${((peakBefore - rssBefore) / MB).toFixed(0)} MB (under an earlier peak)`;
}

async function measured<T>(
  work: () => Promise<T>,
): Promise<{ seconds: number; cpuSeconds: number; stallMs: number; own: string; result: T }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // CPU of every thread (the model's too): under a loaded machine, wall time measures the load.
  const cpuSeconds = (used.user + used.system) / 1e6;
  const own = ownPeak(rssBefore, peakBefore);
  // A stall is recorded when the timer behind the histogram fires late: let it fire once more,
  // or a stall at the very end of the work goes unseen.
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { seconds, cpuSeconds, stallMs: delay.max / 1e6, own, result };
}

function runnerOf(name: string): ModelRunner {
  if (name === 'inline') return new InlineModelRunner();
  if (name === 'worker') return new WorkerModelRunner();
  throw new Error(`--runners: unknown runner ${name} (inline, worker)`);
}

/** When the last model build ended (the views are read by then; the rows are made after it). */
let modelBuiltAt = 0;

/** The runner, noting when each model build ends: the boundary of a refresh's two phases. */
function timedRunner(runner: ModelRunner): ModelRunner {
  return {
    buildModel: async (settings, facts) => {
      const result = await runner.buildModel(settings, facts);
      modelBuiltAt = performance.now();
      return result;
    },
    fit: (unit, summaries) => runner.fit(unit, summaries),
    close: () => runner.close(),
  };
}

/**
 * The process's RSS every 50 ms from a thread of its own (the main thread stalls for seconds
 * during a refresh, a timer on it would miss the peak): where in the refresh the peak is.
 */
function rssSampler(): { stop(): Promise<Array<[number, number]>> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const samples = [];
     const timer = setInterval(
       () => samples.push([performance.timeOrigin + performance.now(), process.memoryUsage.rss()]),
       50,
     );
     parentPort.once('message', () => { clearInterval(timer); parentPort.postMessage(samples); });`,
    { eval: true },
  );
  return {
    stop: async () => {
      const samples = new Promise<Array<[number, number]>>((resolve) =>
        worker.once('message', resolve),
      );
      worker.postMessage('stop');
      const taken = await samples;
      await worker.terminate();
      return taken;
    },
  };
}

/** The RSS peak's size and instant within the refresh, and the highest RSS in each phase. */
function rssTimeline(samples: Array<[number, number]>, started: number, ended: number): string {
  const origin = performance.timeOrigin;
  const modelEnd = modelBuiltAt >= started && modelBuiltAt <= ended ? modelBuiltAt : ended;
  let peak: [number, number] = [0, 0];
  let reading = 0;
  let rows = 0;
  for (const [at, rss] of samples) {
    const t = at - origin;
    if (t < started || t > ended) continue;
    if (rss > peak[1]) peak = [t, rss];
    if (t <= modelEnd) reading = Math.max(reading, rss);
    else rows = Math.max(rows, rss);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (
    `RSS peak ${(peak[1] / MB).toFixed(0)} MB at ${s(peak[0] - started)} of ${s(ended - started)}; ` +
    `highest while reading the views and building the model (to ${s(modelEnd - started)}) ` +
    `${(reading / MB).toFixed(0)} MB, while making and saving the rows ${(rows / MB).toFixed(0)} MB`
  );
}

async function main(): Promise<void> {
  const store = new MemoryReadStore({ coldAfterMs: COLD_AFTER_MS });
  const events = await loadViews(store);
  console.log(
    `${CUSTOMERS.toLocaleString('en')} customers, ${events.toLocaleString('en')} events, as of ${AS_OF}, ` +
      (COLD_AFTER_MS === 0 ? 'views held as text' : `views cold after ${COLD_AFTER_MS} ms`) +
      `; RSS with the views loaded ${(process.memoryUsage().rss / MB).toFixed(0)} MB` +
      ` (the read store's text outside the heap: ${(process.memoryUsage().external / MB).toFixed(0)} MB)` +
      `; ${memoryNote()}`,
  );
  for (const name of RUNNERS) {
    const runner = runnerOf(name);
    const engine = new InsightsEngine(store, {
      currency: 'EUR',
      windowMonths: 12,
      unit: 'weeks',
      horizonDays: 90,
      minCustomersForFit: 20,
      modelRunner: timedRunner(runner),
      value: VALUE,
    });
    for (let pass = 1; pass <= PASSES; pass++) {
      const sampler = rssSampler();
      const refreshStarted = performance.now();
      const refresh = await measured(() => engine.refresh(AS_OF));
      const timeline = rssTimeline(
        await sampler.stop(),
        refreshStarted,
        refreshStarted + refresh.seconds * 1000,
      );
      console.log(`         after the refresh, before the refit: ${memoryBreakdown()}`);
      console.log(
        `         refresh: CPU ${refresh.cpuSeconds.toFixed(1)} s (all threads); ${refresh.own}`,
      );
      console.log(`         ${timeline}`);
      const fit = await measured(() => engine.fitModel(AS_OF, 'weeks'));
      const model = refresh.result.model.fit;
      const refit = fit.result.fit;
      if (!refit || refit.logLikelihood !== model?.logLikelihood)
        throw new Error(`the refit differs from the refresh's fit: ${JSON.stringify(fit.result)}`);
      console.log(
        `${name.padEnd(6)} pass ${pass}: refresh ${refresh.seconds.toFixed(2)} s, longest stall ${refresh.stallMs.toFixed(0)} ms` +
          ` | refit ${fit.seconds.toFixed(2)} s, longest stall ${fit.stallMs.toFixed(0)} ms` +
          ` | fit ${model ? `${model.iterations} iterations, ${model.distinctTriples.toLocaleString('en')} triples, converged=${model.converged}` : refresh.result.fitNote}`,
      );
      const spend = refresh.result.model.value?.spendFit;
      const deselected = refresh.result.rows.filter((r) => (r.netValueMinor ?? 0) < 0).length;
      console.log(
        `         spend fit ${spend ? `p=${spend.params.p.toFixed(3)} q=${spend.params.q.toFixed(3)} gamma=${spend.params.gamma.toFixed(1)}, ${spend.customers.toLocaleString('en')} repeat customers` : refresh.result.model.value?.spendFitNote}` +
          `; ${deselected.toLocaleString('en')} customers with a negative net value` +
          `; ${memoryNote()}`,
      );
    }
    if (CHANGED > 0) await incrementalRefreshes(name, engine, store);
    await engine.close();
  }
  await customerReads(store);
  console.log(
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (views, snapshot and refresh together)`,
  );
}

/**
 * The refresh that follows the projector: a full one keeping the facts, then passes that each
 * give CHANGED customers (spread over the base) a web visit and read only their views again.
 */
async function incrementalRefreshes(
  name: string,
  engine: InsightsEngine,
  store: MemoryReadStore,
): Promise<void> {
  const first = await measured(() => engine.refresh(AS_OF, { keepFacts: true }));
  console.log(
    `${name.padEnd(6)} keeping facts: full refresh ${first.seconds.toFixed(2)} s, longest stall ${first.stallMs.toFixed(0)} ms` +
      `; ${memoryNote()}`,
  );
  const feed = new ChangedCustomersFeed();
  let position = BigInt(CUSTOMERS);
  const stride = Math.max(1, Math.floor(CUSTOMERS / CHANGED));
  for (let pass = 1; pass <= INCREMENTAL_PASSES; pass++) {
    const keys = Array.from(
      { length: Math.min(CHANGED, CUSTOMERS) },
      (_, i) => `C-${String((i * stride + pass) % CUSTOMERS).padStart(6, '0')}`,
    );
    const views = await store.getMany<CustomerView>(customerViewProjection.name, keys);
    const records = [...views.values()].map((record) => ({
      key: record.key,
      position: (position += 1n),
      value: withVisit(record.value, pass),
    }));
    await store.putMany(customerViewProjection.name, records);
    feed.note(keys, position);
    const incremental = await measured(() =>
      engine.refresh(AS_OF, { keepFacts: true, changes: feed.take() }),
    );
    let check = '';
    if (CUSTOMERS < 200_000) {
      const full = await engine.compute(AS_OF);
      check = published(incremental.result) === published(full) ? ', equal to a full refresh' : '';
      if (!check) throw new Error('the incremental refresh differs from a full refresh');
    }
    console.log(
      `${name.padEnd(6)} incremental ${pass}: ${CHANGED.toLocaleString('en')} changed, refresh ${incremental.seconds.toFixed(2)} s, ` +
        `longest stall ${incremental.stallMs.toFixed(0)} ms${check}; ${memoryNote()}`,
    );
  }
}

/** The view after a web visit a day before AS_OF, as the projector would write it. */
function withVisit(view: CustomerView, pass: number): CustomerView {
  const touchpoint: Touchpoint = {
    touchpointId: `${view.customerId}-bench-visit-${pass}`,
    source: 'web',
    customerId: view.customerId,
    occurredAt: new Date(Date.parse(AS_OF) - 86_400_000 * pass).toISOString(),
    type: 'web_visit',
    channel: 'web',
    data: { url: 'https://shop.example/again' },
  };
  const events = decide(
    recordTouchpoint(touchpoint, touchpoint.occurredAt, 'bench'),
    initialCustomerState(),
  );
  return foldProjection(customerViewProjection, view.customerId, events, view);
}

function published(snapshot: InsightsSnapshot): string {
  const { version: _v, computedAt: _c, durationMs: _d, position: _p, ...rest } = snapshot;
  return JSON.stringify(rest);
}

/** One customer's read from an engine that holds nothing yet: it loads the model, not the rows. */
async function customerReads(store: MemoryReadStore): Promise<void> {
  const engine = new InsightsEngine(store, {
    currency: 'EUR',
    windowMonths: 12,
    unit: 'weeks',
    horizonDays: 90,
    minCustomersForFit: 20,
    value: VALUE,
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const model = await engine.currentModel();
  const loadMs = performance.now() - started;
  if (!model) throw new Error('no model saved');
  const reads = 1_000;
  const readStarted = performance.now();
  for (let i = 0; i < reads; i++) {
    const id = `C-${String((i * 7_919) % CUSTOMERS).padStart(6, '0')}`;
    const record = await store.get<CustomerView>(customerViewProjection.name, id, { shared: true });
    if (record) deriveCustomerInsights(record.value, model, AS_OF);
  }
  const perReadMs = (performance.now() - readStarted) / reads;
  console.log(
    `customer read: model loaded in ${loadMs.toFixed(1)} ms (heap +${((process.memoryUsage().heapUsed - heapBefore) / MB).toFixed(1)} MB), ` +
      `then ${perReadMs.toFixed(3)} ms a read over ${reads} customers; the snapshot's rows are not loaded`,
  );
  await engine.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
