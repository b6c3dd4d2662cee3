import { MemoryReadStore } from '@rapport/read-store';
import { InsightsEngine } from './insights.engine';
import { InlineModelRunner } from './model-runner/inline.model-runner';
import { WorkerModelRunner } from './model-runner/worker.model-runner';

const settings = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 20,
} as const;

// A thread that runs sources compiles them first: seconds on a busy shared machine.
jest.setTimeout(60_000);

describe('an engine whose model runs on a worker thread', () => {
  it('computes what the inline engine computes, sending the thread only the settings', async () => {
    const store = new MemoryReadStore();
    // Options that are not data (a function, the runner itself) must stay on this side.
    const options = { ...settings, viewCollection: () => 'customer-view' };
    const runner = new WorkerModelRunner();
    try {
      const onWorker = await new InsightsEngine(store, { ...options, modelRunner: runner }).compute(
        '2026-11-01T00:00:00.000Z',
      );
      const inline = await new InsightsEngine(store, {
        ...options,
        modelRunner: new InlineModelRunner(),
      }).compute('2026-11-01T00:00:00.000Z');
      expect({ ...onWorker, computedAt: 0, durationMs: 0 }).toEqual({
        ...inline,
        computedAt: 0,
        durationMs: 0,
      });
      expect(runner.lastThreadId).toEqual(expect.any(Number));
    } finally {
      await runner.close();
    }
    // The thread compiles its sources first (ts-node): seconds on a loaded machine.
  }, 120_000);
});
