import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamName, type CustomerEvent } from '@rapport/domain';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { InsightsEngine } from '@rapport/insights';
import { Projector } from '@rapport/projector';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
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
  minCustomersForFit: 20,
} as const;
const DAYS = 30;

const dayOf = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 10)).toISOString();

/** Three customers buying every day, in event-time order. */
function purchasesOf(days: readonly number[]): Array<readonly [string, CustomerEvent[]]> {
  return days.flatMap((n) =>
    ['C-0', 'C-1', 'C-2'].map(
      (customerId, i) =>
        [
          customerId,
          historyOf(purchase(`O-${customerId}-${n}`, 10_000 * (i + 1) + n, dayOf(n), customerId)),
        ] as const,
    ),
  );
}

/** The store, counting the events its `readAll` hands out. */
function counted(store: EventStore): { readonly store: EventStore; handedOut: () => number } {
  let handedOut = 0;
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'readAll')
        return async (options?: Parameters<EventStore['readAll']>[0]) => {
          const events = await target.readAll(options);
          handedOut += events.length;
          return events;
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, handedOut: () => handedOut };
}

/** The store, counting its `readStream` calls by stream. */
function countingStreamReads(store: EventStore): {
  readonly store: EventStore;
  readonly reads: Map<string, number>;
} {
  const reads = new Map<string, number>();
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'readStream')
        return (stream: string, ...rest: unknown[]) => {
          reads.set(stream, (reads.get(stream) ?? 0) + 1);
          return (target.readStream as (...args: unknown[]) => unknown)(stream, ...rest);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, reads };
}

describe('the population rules’ catch-up over a log', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-catch-up-reads-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given derivation reading a few events a step and the rules evaluated after each, with more appended halfway, then the log after the cursor is read once in all: the events read are those appended, not the calls times the log', async () => {
    const eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
    const readStore = new MemoryReadStore();
    const engine = new InsightsEngine(readStore, INSIGHTS);
    try {
      const projector = new Projector(eventStore, readStore, [VIEW, FACTS], {
        name: 'projector',
        batchSize: 1000,
        maxBatchDelayMs: 5,
      });
      const derivation = new SignalDerivation(eventStore, readStore, ledger, {
        rules: DEFAULT_SIGNAL_RULES,
        batchSize: 3,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
      const log = counted(eventStore);
      const population = new PopulationSignalEvaluation(ledger, readStore, {
        rules: DEFAULT_SIGNAL_RULES,
        windowSeconds: 86_400,
        factsCollection: () => Promise.resolve(FACTS.name),
        eventStore: log.store,
        populationAsOf: (asOf, viewsAsOf) => engine.computeWithViews(asOf, viewsAsOf),
        firstEventTime: () => firstEventTime(eventStore),
      });
      let callsThatEvaluated = 0;
      const catchUp = async () => {
        await projector.applyBatch(await eventStore.readAll({ after: projector.position }));
        while (await derivation.step())
          for (;;) {
            const { windows } = await population.evaluateUpTo(
              derivation.watermark(),
              derivation.readUpTo(),
            );
            if (windows === 0) break;
            callsThatEvaluated += 1;
          }
      };
      const days = Array.from({ length: DAYS }, (_, n) => n);
      for (const [customerId, events] of purchasesOf(days.slice(0, DAYS / 2)))
        await appendHistory(eventStore, customerId, events);
      await catchUp();
      for (const [customerId, events] of purchasesOf(days.slice(DAYS / 2)))
        await appendHistory(eventStore, customerId, events);
      await catchUp();

      const appended = (await eventStore.readAll()).length;
      expect(callsThatEvaluated).toBeGreaterThanOrEqual(DAYS - 2);
      expect(ledger.populationWindow()).toBe(new Date(Date.UTC(2026, 9, DAYS)).toISOString());
      expect(log.handedOut()).toBeLessThanOrEqual(appended);
    } finally {
      await engine.close();
      ledger.close();
      await eventStore.close();
    }
  }, 300_000);

  it('given a log written customer by customer and derivation one customer ahead, when one call evaluates many boundaries at that cursor, then each later customer is folded as of the cursor once, not once a boundary', async () => {
    const at = join(dir, 'by-customer');
    const eventStore = new SqliteEventStore({ path: `${at}-events.db`, pollIntervalMs: 10 });
    const ledger = new SqliteSignalLedger(`${at}-signals.db`);
    const readStore = new MemoryReadStore();
    const engine = new InsightsEngine(readStore, INSIGHTS);
    try {
      const projector = new Projector(eventStore, readStore, [VIEW, FACTS], {
        name: 'projector',
        batchSize: 1000,
        maxBatchDelayMs: 5,
      });
      const days = Array.from({ length: DAYS }, (_, n) => n);
      const customers = ['C-0', 'C-1', 'C-2', 'C-3'];
      for (const customerId of customers)
        await appendHistory(
          eventStore,
          customerId,
          days.flatMap((n) =>
            historyOf(purchase(`O-${customerId}-${n}`, 10_000 + n, dayOf(n), customerId)),
          ),
        );
      await projector.applyBatch(await eventStore.readAll());
      // One customer's history a step: event time reaches the last day at the first step.
      const derivation = new SignalDerivation(eventStore, readStore, ledger, {
        rules: DEFAULT_SIGNAL_RULES,
        batchSize: DAYS,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
      const log = countingStreamReads(eventStore);
      const population = new PopulationSignalEvaluation(ledger, readStore, {
        rules: DEFAULT_SIGNAL_RULES,
        windowSeconds: 86_400,
        factsCollection: () => Promise.resolve(FACTS.name),
        eventStore: log.store,
        populationAsOf: (asOf, viewsAsOf) => engine.computeWithViews(asOf, viewsAsOf),
        firstEventTime: () => firstEventTime(eventStore),
      });
      expect(await derivation.step()).toBe(true);
      const { windows } = await population.evaluateUpTo(
        derivation.watermark(),
        derivation.readUpTo(),
      );

      expect(windows).toBeGreaterThanOrEqual(DAYS - 2);
      for (const later of customers.slice(1))
        expect([later, log.reads.get(customerStreamName(later))]).toEqual([later, 1]);
    } finally {
      await engine.close();
      ledger.close();
      await eventStore.close();
    }
  }, 300_000);
});
