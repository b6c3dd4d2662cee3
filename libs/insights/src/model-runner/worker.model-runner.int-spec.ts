import { threadId } from 'node:worker_threads';
import { summarizeBgNbd, type BgNbdSummary } from '@rapport/analytics';
import { mulberry32, simulateBgNbdCustomers } from '@rapport/analytics/testing';
import type { InsightsOptions, PopulationFacts } from '../population';
import { InlineModelRunner } from './inline.model-runner';
import { inPages } from './pages';
import { WorkerModelRunner } from './worker.model-runner';

const asOf = '2026-11-01T00:00:00.000Z';
const settings: InsightsOptions = {
  asOf,
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 20,
};

function population(customers: number): PopulationFacts[] {
  const random = mulberry32(5);
  return simulateBgNbdCustomers({
    params: { r: 0.8, alpha: 6, a: 0.7, b: 2.5 },
    unit: 'weeks',
    customers,
    seed: 3,
    minAge: 30,
    maxAge: 90,
    asOf,
  }).map((customer) => ({
    customerId: customer.customerId,
    revenueMinor: Math.round(random() * 50_000) * customer.purchases.length,
    purchaseDates: customer.purchases.map((p) => new Date(p).toISOString()),
    cancellationDates: [],
  }));
}

/**
 * A thread run from sources compiles them first (ts-node): seconds on a loaded machine, so the
 * tests share one thread (only the last one stops it) and wait generously for it.
 */
const THREAD_START_MS = 120_000;

describe('the model computed on a worker thread', () => {
  jest.setTimeout(THREAD_START_MS);
  const facts = population(600);
  const summaries = facts.map(
    (f) => summarizeBgNbd(f.purchaseDates, { asOf, unit: 'weeks' }) as BgNbdSummary,
  );
  const inline = new InlineModelRunner();
  let runner: WorkerModelRunner;

  beforeAll(() => (runner = new WorkerModelRunner()));
  afterAll(() => runner.close());

  it('equals the model computed inline, and is computed on another thread', async () => {
    const onWorker = await runner.buildModel(settings, inPages(facts, 100));
    expect(onWorker).toEqual(await inline.buildModel(settings, inPages(facts, 600)));
    expect(onWorker.model.fit?.customers).toBe(600);
    expect(runner.lastThreadId).toEqual(expect.any(Number));
    expect(runner.lastThreadId).not.toBe(threadId);
  });

  it('fits as the inline fit does', async () => {
    const onWorker = await runner.fit('weeks', inPages(summaries, 250));
    expect(onWorker).toEqual(await inline.fit('weeks', inPages(summaries, 600)));
  });

  it('fails a job with the reason the computation gave, and runs the next one', async () => {
    await expect(runner.fit('weeks', inPages([], 1))).rejects.toThrow(/zero customers/);
    await expect(runner.fit('weeks', inPages(summaries, 600))).resolves.toMatchObject({
      customers: 600,
    });
  });

  it('fails a job whose settings cannot be copied to the thread, and runs the next one', async () => {
    const uncopyable = { ...settings, pareto: { onTie: () => 0 } } as unknown as InsightsOptions;
    await expect(runner.buildModel(uncopyable, inPages(facts, 600))).rejects.toThrow(
      /could not be cloned/,
    );
    await expect(runner.fit('weeks', inPages(summaries, 600))).resolves.toMatchObject({
      customers: 600,
    });
  });

  it('fails a job whose input cannot be read, and keeps none of it', async () => {
    async function* brokenAfterOnePage(): AsyncGenerator<BgNbdSummary[]> {
      yield summaries.slice(0, 300);
      throw new Error('read store went away');
    }
    await expect(runner.fit('weeks', brokenAfterOnePage())).rejects.toThrow(/read store went away/);
    await expect(runner.fit('weeks', inPages(summaries, 600))).resolves.toMatchObject({
      customers: 600,
    });
  });

  it('fails the jobs of a thread that stops, and starts a new thread for the next job', async () => {
    await runner.fit('weeks', inPages(summaries, 600));
    const first = runner.lastThreadId;
    const pending = runner.buildModel(settings, inPages(facts, 100));
    await runner.close();
    await expect(pending).rejects.toThrow(/model worker thread stopped/);
    await runner.fit('weeks', inPages(summaries, 600));
    expect(runner.lastThreadId).not.toBe(first);
    expect(runner.lastThreadId).not.toBe(threadId);
  });
});
