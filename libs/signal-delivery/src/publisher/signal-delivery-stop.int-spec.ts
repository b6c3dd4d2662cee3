import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@rapport/event-store';
import type { InsightsSnapshot } from '@rapport/insights';
import { MemoryReadStore } from '@rapport/read-store';
import { DEFAULT_SIGNAL_RULES } from '@rapport/signals';
import { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { PopulationSignalEvaluation } from '../population/population-signal-evaluation';
import { SignalDelivery } from './signal-delivery';
import type { SignalDerivation } from './signal-derivation';

const DAY_S = 86_400;
/** How long one boundary's population takes here: the demo's takes seconds. */
const WINDOW_MS = 100;

/** Derivation has read two months of event time and has nothing more to do. */
const caughtUpDerivation = {
  step: async () => false,
  sweep: async () => 0,
  watermark: () => '2026-03-01T00:00:00Z',
  readUpTo: () => 10n,
} as unknown as SignalDerivation;

const emptyPopulation = (asOf: string): InsightsSnapshot =>
  ({
    asOf,
    position: '10',
    rows: [],
    model: { currency: 'EUR', windowMonths: 12 },
  }) as unknown as InsightsSnapshot;

describe('SignalDelivery.stop during the population rules catch-up', () => {
  let dir: string;
  let ledger: SqliteSignalLedger;
  let eventStore: SqliteEventStore;
  const evaluated: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-delivery-stop-'));
    ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    evaluated.length = 0;
  });

  afterEach(async () => {
    ledger.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function delivery(): SignalDelivery {
    const population = new PopulationSignalEvaluation(ledger, new MemoryReadStore(), {
      rules: DEFAULT_SIGNAL_RULES,
      windowSeconds: DAY_S,
      factsCollection: async () => 'signal-facts',
      eventStore,
      populationAsOf: async (asOf) => {
        evaluated.push(asOf);
        await sleep(WINDOW_MS);
        return emptyPopulation(asOf);
      },
      firstEventTime: async () => '2026-01-01T10:00:00Z',
    });
    return new SignalDelivery(
      caughtUpDerivation,
      undefined,
      undefined,
      { idleMs: 50, sweepMs: 0, retry: { initialMs: 50, maxMs: 50 }, populationCheckMs: 50 },
      population,
    );
  }

  async function untilEvaluated(count: number): Promise<void> {
    for (let i = 0; i < 600 && evaluated.length < count; i++) await sleep(10);
  }

  it('waits for the boundary being evaluated only, and a restart goes on from the next one', async () => {
    // Given 59 daily boundaries due (one call evaluates up to 100 of them)
    const first = delivery();
    first.start();
    await untilEvaluated(1);

    // When it is stopped during the first boundary
    await first.stop();

    // Then that boundary is finished and recorded, and no other was begun
    expect(evaluated).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(ledger.populationWindow()).toBe('2026-01-01T00:00:00.000Z');

    // And a new start evaluates the rest, from the next boundary, none twice
    const second = delivery();
    second.start();
    await untilEvaluated(3);
    await second.stop();
    expect(evaluated.slice(0, 3)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
    expect(new Set(evaluated).size).toBe(evaluated.length);
  }, 60_000);
});
