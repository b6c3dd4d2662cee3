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
import {
  DEFAULT_SIGNAL_RULES,
  signalContent,
  signalFactsProjection,
  type Signal,
} from '@rapport/signals';
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

const day = (n: number, hour = 10) =>
  new Date(Date.UTC(2026, 0, n, hour)).toISOString().replace('.000Z', 'Z');

/**
 * Three stages of one history, appended one after another: C-top leads, C-mid overtakes it on
 * day 12, and a visit on day 14 carries event time past the boundary that sees the overtaking.
 */
function stages(): CustomerEvent[][][] {
  const visit = (customerId: string, at: string) =>
    aTouchpoint(
      'web_visit',
      { url: 'https://shop.example/' },
      { customerId, occurredAt: at, touchpointId: `visit-${customerId}-${at}` },
    );
  const top = historyOf(purchase('O-1', 900_000, day(1), 'C-top'));
  const mid = historyOf(
    purchase('O-2', 50_000, day(2), 'C-mid'),
    purchase('O-3', 9_000_000, day(12), 'C-mid'),
  );
  const low = historyOf(purchase('O-4', 20_000, day(3), 'C-low'), visit('C-low', day(14)));
  const until = (events: CustomerEvent[], to: number) =>
    events.filter((e) => Date.parse(e.data.occurredAt) < Date.UTC(2026, 0, to));
  const between = (events: CustomerEvent[], from: number, to: number) =>
    until(events, to).filter((e) => Date.parse(e.data.occurredAt) >= Date.UTC(2026, 0, from));
  return [
    [until(top, 11), until(mid, 11), until(low, 11)],
    [between(top, 11, 13), between(mid, 11, 13), between(low, 11, 13)],
    [between(top, 13, 32), between(mid, 13, 32), between(low, 13, 32)],
  ];
}

const CUSTOMERS = ['C-top', 'C-mid', 'C-low'];

/**
 * The whole pipeline on a fresh store and ledger: each stage appended, projected, derived
 * `derivationBatch` events at a time, and the population rules evaluated after every step of
 * derivation. What comes out is every signal in the ledger.
 */
async function run(history: CustomerEvent[][][], derivationBatch: number): Promise<Signal[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-population-'));
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
    for (const stage of history) {
      for (const [i, events] of stage.entries())
        if (events.length) await appendHistory(eventStore, CUSTOMERS[i], events);
      await projector.applyBatch(await eventStore.readAll({ after: projector.position }));
      const evaluateDue = async () => {
        const { windows } = await population.evaluateUpTo(
          derivation.watermark(),
          derivation.readUpTo(),
        );
        if (windows > 0) await evaluateDue();
      };
      while (await derivation.step()) await evaluateDue();
    }
    return ledger
      .list({ limit: 1000 })
      .map((entry) => entry.signal)
      .filter((s) => s.rule === 'tier-move' || s.rule === 'win-back');
  } finally {
    await engine.close();
    ledger.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('population signals by event time', () => {
  afterEach(() => jest.useRealTimers());

  /** Only Date moves: timers and the event loop run as usual. */
  function wallClockAt(at: string) {
    jest.useFakeTimers({
      now: new Date(at),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  }

  it('when the same events are replayed at another wall-clock time and pace, then the same signals with the same ids and content', async () => {
    const history = stages();
    wallClockAt('2026-03-01T09:00:00Z');
    const live = await run(history, 1000);
    wallClockAt('2031-07-19T23:30:00Z');
    const replayed = await run(history, 1);

    const moves = live.filter((s) => s.rule === 'tier-move');
    expect(moves.map((s) => [s.subject.id, s.trigger, s.dueAt]).sort()).toEqual([
      ['C-mid', 'up', '2026-01-13T00:00:00.000Z'],
      ['C-top', 'down', '2026-01-13T00:00:00.000Z'],
    ]);
    // The instant is the window boundary event time passed, never the wall clock.
    for (const signal of live) expect(signal.evidence.snapshot?.asOf).toBe(signal.dueAt);
    const contentOf = (signals: Signal[]) =>
      signals.map((s) => [s.id, signalContent(s)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(contentOf(replayed)).toEqual(contentOf(live));
  }, 60_000);
});
