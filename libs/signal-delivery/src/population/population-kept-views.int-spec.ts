import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { InsightsEngine, type InsightsSnapshot } from '@rapport/insights';
import { Projector } from '@rapport/projector';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore, type ReadStore } from '@rapport/read-store';
import { DEFAULT_SIGNAL_RULES, signalFactsProjection } from '@rapport/signals';
import { purchase } from '@rapport/signals/testing';
import { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { SignalDerivation } from '../publisher/signal-derivation';
import { appendHistory } from '../testing';
import { firstEventTime } from './first-event-time';
import { PopulationSignalEvaluation } from './population-signal-evaluation';

const FACTS = signalFactsProjection as Projection<unknown>;
const VIEW = customerViewProjection as Projection<unknown>;
const INSIGHTS = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 3,
} as const;
const CUSTOMERS = ['C-0', 'C-1', 'C-2', 'C-3', 'C-4', 'C-5'];

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 10)).toISOString();

/** `store` with the customer views it lists and reads by key written down. */
function countingViewReads(store: ReadStore) {
  let listed = 0;
  let keysRead: string[] = [];
  const counted = new Proxy(store, {
    get(target, name) {
      if (name === 'list')
        return (collection: string, ...rest: [never]) => {
          if (collection === VIEW.name) listed += 1;
          return target.list(collection, ...rest);
        };
      if (name === 'getMany')
        return (collection: string, keys: readonly string[], ...rest: [never]) => {
          if (collection === VIEW.name) keysRead.push(...keys);
          return target.getMany(collection, keys, ...rest);
        };
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  const reads = () => ({ listed, keysRead: [...keysRead].sort() });
  const reset = () => {
    listed = 0;
    keysRead = [];
  };
  return { counted, reads, reset };
}

/** What a snapshot says, without when and how fast it was computed. */
function contentOf(snapshot: InsightsSnapshot) {
  const { computedAt: _at, durationMs: _ms, rows, ...content } = snapshot;
  // Row by row: the columns' internal tables may be laid out differently for equal rows.
  return { ...content, rows: [...rows] };
}

describe('population boundaries computed from the kept dated views', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-population-kept-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given boundaries evaluated once, when one customer buys again and the next boundaries are evaluated, then only that view is read again and every snapshot equals one computed from every stored view', async () => {
    const eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
    const readStore = new MemoryReadStore();
    const { counted, reads, reset } = countingViewReads(readStore);
    const engine = new InsightsEngine(counted, INSIGHTS);
    // Today's reading path: no dated views kept, every stored view listed for each boundary.
    const everyView = new InsightsEngine(readStore, { ...INSIGHTS, maxDatedCustomers: 0 });
    const compared: Array<readonly [InsightsSnapshot, InsightsSnapshot]> = [];
    try {
      for (const [i, customerId] of CUSTOMERS.entries())
        await appendHistory(
          eventStore,
          customerId,
          historyOf(
            purchase(`O-${customerId}-1`, 10_000 * (i + 1), day(1 + i), customerId),
            purchase(`O-${customerId}-2`, 5_000 * (i + 1), day(3 + i), customerId),
          ),
        );
      const projector = new Projector(eventStore, readStore, [VIEW, FACTS], {
        name: 'projector',
        batchSize: 1000,
        maxBatchDelayMs: 5,
      });
      projector.onApplied((customerIds, position) => engine.viewsWritten(customerIds, position));
      const derivation = new SignalDerivation(eventStore, readStore, ledger, {
        rules: DEFAULT_SIGNAL_RULES,
        batchSize: 1000,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
      const population = new PopulationSignalEvaluation(ledger, readStore, {
        rules: DEFAULT_SIGNAL_RULES,
        windowSeconds: 86_400,
        factsCollection: () => Promise.resolve(FACTS.name),
        eventStore,
        populationAsOf: async (asOf, viewsAsOf) => {
          const kept = await engine.computeWithViews(asOf, viewsAsOf);
          compared.push([kept, await everyView.computeWithViews(asOf, viewsAsOf)]);
          return kept;
        },
        firstEventTime: () => firstEventTime(eventStore),
      });
      const projectDeriveAndEvaluate = async () => {
        await projector.applyBatch(await eventStore.readAll({ after: projector.position }));
        let windows = 0;
        while (await derivation.step())
          for (;;) {
            const progress = await population.evaluateUpTo(
              derivation.watermark(),
              derivation.readUpTo(),
            );
            windows += progress.windows;
            if (progress.windows === 0) break;
          }
        return windows;
      };

      expect(await projectDeriveAndEvaluate()).toBeGreaterThan(1);
      expect(reads().listed).toBeGreaterThan(0);
      reset();
      const first = compared.length;
      // A large purchase, and a small one that carries event time past the boundaries after it.
      await appendHistory(
        eventStore,
        'C-2',
        historyOf(
          purchase('O-C-2-3', 900_000, day(12), 'C-2'),
          purchase('O-C-2-4', 1_000, day(15), 'C-2'),
        ),
      );
      const windows = await projectDeriveAndEvaluate();

      expect(windows).toBeGreaterThan(1);
      expect(reads()).toEqual({ listed: 0, keysRead: ['C-2'] });
      const revenuesOfC2 = compared
        .slice(first)
        .map(([kept]) => kept.rows.find((row) => row.customerId === 'C-2')?.revenueMinor);
      expect(revenuesOfC2).toContain(30_000 + 15_000 + 900_000);
      for (const [kept, read] of compared) expect(contentOf(kept)).toEqual(contentOf(read));
    } finally {
      await engine.close();
      await everyView.close();
      ledger.close();
      await eventStore.close();
    }
  }, 120_000);
});
