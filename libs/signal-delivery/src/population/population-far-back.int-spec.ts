import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { InsightsEngine } from '@rapport/insights';
import { Projector } from '@rapport/projector';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { DEFAULT_SIGNAL_RULES, signalContent, signalFactsProjection } from '@rapport/signals';
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
const DAYS = 60;

const dayOf = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 10)).toISOString();

/**
 * A call dated 1970-01-01 (the edge accepts it) first in the store, then three customers
 * buying every day for 60 days from October 2026, in event-time order; C-2 stops after 20
 * days, so C-0 overtakes it and a tier-move is raised inside the dense stretch.
 */
function appendOrder(): Array<readonly [string, CustomerEvent[]]> {
  const call = aTouchpoint(
    'call',
    { direction: 'inbound', durationSeconds: 0 },
    { customerId: 'C-1970', occurredAt: '1970-01-01T00:00:00Z', touchpointId: 'call-1970' },
  );
  const order: Array<readonly [string, CustomerEvent[]]> = [['C-1970', historyOf(call)]];
  for (let n = 0; n < DAYS; n++)
    for (const [i, customerId] of ['C-0', 'C-1', 'C-2'].entries())
      if (customerId !== 'C-2' || n < 20)
        order.push([
          customerId,
          historyOf(purchase(`O-${customerId}-${n}`, 10_000 * (i + 1), dayOf(n), customerId)),
        ]);
  return order;
}

async function run(history: Array<readonly [string, CustomerEvent[]]>, derivationBatch: number) {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-far-back-'));
  const eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
  const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
  const readStore = new MemoryReadStore();
  const engine = new InsightsEngine(readStore, INSIGHTS);
  try {
    for (const [customerId, events] of history) await appendHistory(eventStore, customerId, events);
    const projector = new Projector(eventStore, readStore, [VIEW, FACTS], {
      name: 'projector',
      batchSize: 1000,
      maxBatchDelayMs: 5,
    });
    await projector.applyBatch(await eventStore.readAll({ after: -1n }));
    const derivation = new SignalDerivation(eventStore, readStore, ledger, {
      rules: DEFAULT_SIGNAL_RULES,
      batchSize: derivationBatch,
      factsCollection: () => Promise.resolve(FACTS.name),
      projectedUpTo: () => Promise.resolve(projector.position),
    });
    const population = new PopulationSignalEvaluation(ledger, readStore, {
      rules: DEFAULT_SIGNAL_RULES,
      windowSeconds: 86_400,
      factsCollection: () => Promise.resolve(FACTS.name),
      eventStore,
      populationAsOf: (asOf, viewsAsOf) => engine.computeWithViews(asOf, viewsAsOf),
      firstEventTime: () => firstEventTime(eventStore),
    });
    let windows = 0;
    const evaluateDue = async () => {
      const progress = await population.evaluateUpTo(derivation.watermark(), derivation.readUpTo());
      windows += progress.windows;
      if (progress.windows > 0) await evaluateDue();
    };
    while (await derivation.step()) await evaluateDue();
    const signals = ledger
      .list({ limit: 10_000 })
      .map((entry) => entry.signal)
      .filter((s) => s.rule === 'tier-move' || s.rule === 'win-back');
    return { windows, lastWindow: ledger.populationWindow(), signals };
  } finally {
    await engine.close();
    ledger.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('population boundaries after an event dated far back', () => {
  it('given a first event in 1970 and 60 busy days in 2026, when derivation reads them, then the 1970 boundary, the 30 days before 2026’s first event and the 60 days: 91 boundaries, not 20,000, whatever the batches', async () => {
    const history = appendOrder();
    const inOneRead = await run(history, 1000);
    const oneByOne = await run(history, 1);

    expect(inOneRead.windows).toBe(1 + 30 + DAYS);
    expect(inOneRead.lastWindow).toBe('2026-11-29T00:00:00.000Z');
    expect(oneByOne.windows).toBe(inOneRead.windows);
    const contentOf = (signals: typeof inOneRead.signals) =>
      signals.map((s) => [s.id, signalContent(s)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(contentOf(oneByOne.signals)).toEqual(contentOf(inOneRead.signals));
    // The dense stretch is evaluated as before: C-0 overtakes C-2 once C-2 stops buying.
    expect(inOneRead.signals.map((s) => [s.rule, s.subject.id, s.trigger, s.dueAt])).toEqual([
      ['tier-move', 'C-0', 'up', '2026-11-01T00:00:00.000Z'],
    ]);
  }, 300_000);
});
