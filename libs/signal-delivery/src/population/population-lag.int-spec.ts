import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CustomerEvent, Touchpoint } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type RecordedEvent } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM, type MergeUndone, type ProfilesMerged } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
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

const day = (n: number, hour = 10) =>
  new Date(Date.UTC(2026, 0, n, hour)).toISOString().replace('.000Z', 'Z');

const visit = (customerId: string, at: string) =>
  aTouchpoint(
    'web_visit',
    { url: 'https://shop.example/' },
    { customerId, occurredAt: at, touchpointId: `visit-${customerId}-${at}` },
  );

/** One append to the log, in the order given: a customer's events, or an identity-graph event. */
type Append =
  | { readonly customer: string; readonly events: readonly CustomerEvent[] }
  | { readonly graph: ProfilesMerged | MergeUndone };

/**
 * C-top leads, C-mid overtakes it on day 12, C-low visits on day 14 (event time passes the
 * day-13 boundary there). What `late` holds is appended right after that visit (`latePurchase`:
 * a large purchase of C-low's on day 12), then a visit of C-top on day 16 moves event time past
 * the next boundaries. `first` is appended before everything.
 */
function history(options: {
  readonly latePurchase?: boolean;
  readonly late?: readonly Append[];
  readonly first?: readonly Append[];
}): Append[] {
  const top = historyOf(purchase('O-1', 900_000, day(1), 'C-top'), visit('C-top', day(16)));
  const mid = historyOf(
    purchase('O-2', 50_000, day(2), 'C-mid'),
    purchase('O-3', 9_000_000, day(12), 'C-mid'),
  );
  const low = historyOf(
    purchase('O-4', 20_000, day(3), 'C-low'),
    visit('C-low', day(14)),
    purchase('O-5', 40_000_000, day(12, 11), 'C-low'),
  );
  return [
    ...(options.first ?? []),
    { customer: 'C-top', events: top.slice(0, 1) },
    { customer: 'C-mid', events: mid.slice(0, 1) },
    { customer: 'C-low', events: low.slice(0, 1) },
    { customer: 'C-mid', events: mid.slice(1) },
    { customer: 'C-low', events: low.slice(1, 2) },
    ...(options.latePurchase ? [{ customer: 'C-low', events: low.slice(2) }] : []),
    ...(options.late ?? []),
    { customer: 'C-top', events: top.slice(1) },
  ];
}

async function appendAll(store: SqliteEventStore, appends: readonly Append[]): Promise<void> {
  let n = 0;
  for (const append of appends) {
    n += 1;
    if ('graph' in append)
      await store.append(
        IDENTITY_GRAPH_STREAM,
        [
          {
            id: `graph-${n}`,
            type: append.graph.type,
            data: { ...append.graph.data },
            metadata: {},
          },
        ],
        { expectedRevision: 'any' },
      );
    else await appendHistory(store, append.customer, append.events);
  }
}

const CUSTOMERS = ['C-A', 'C-B', 'C-C', 'C-D'];
const HOUR = 3_600_000;

type Op =
  | {
      readonly kind: 'purchase';
      readonly customer: number;
      readonly minor: number;
      /** Hours before the latest event time so far: a late event when more than zero. */
      readonly lateHours: number;
    }
  | { readonly kind: 'visit'; readonly customer: number }
  | { readonly kind: 'merge'; readonly a: number; readonly b: number }
  | { readonly kind: 'undo'; readonly pick: number };

const customer = fc.nat(CUSTOMERS.length - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('purchase' as const),
      customer,
      minor: fc.oneof(
        fc.integer({ min: 1_000, max: 20_000 }),
        fc.integer({ min: 500_000, max: 5_000_000 }),
      ),
      lateHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 72 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('visit' as const), customer }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('merge' as const), a: customer, b: customer }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), pick: fc.nat() }) },
);

/** Each op after a gap of event time (up to two days): what event time passes is evaluated. */
const randomHistory = fc.array(fc.tuple(op, fc.integer({ min: 0, max: 48 })), {
  minLength: 4,
  maxLength: 24,
});

/** The ops as appends, each customer's touchpoints through the decider (valid histories). */
function appendsOf(ops: readonly (readonly [Op, number])[]): Append[] {
  const touchpoints = new Map<string, Touchpoint[]>(CUSTOMERS.map((c) => [c, []]));
  const merges: string[] = [];
  const appends: Append[] = [];
  let at = Date.UTC(2026, 0, 1, 9);
  let n = 0;
  for (const [step, gapHours] of ops) {
    n += 1;
    at += gapHours * HOUR;
    if (step.kind === 'merge') {
      if (step.a === step.b) continue;
      merges.push(`m-${n}`);
      appends.push({ graph: merged(`m-${n}`, CUSTOMERS[step.a], CUSTOMERS[step.b]) });
      continue;
    }
    if (step.kind === 'undo') {
      if (merges.length === 0) continue;
      appends.push({ graph: undone(merges.splice(step.pick % merges.length, 1)[0]) });
      continue;
    }
    const id = CUSTOMERS[step.customer];
    const mine = touchpoints.get(id)!;
    mine.push(
      step.kind === 'purchase'
        ? purchase(`O-${n}`, step.minor, new Date(at - step.lateHours * HOUR).toISOString(), id)
        : visit(id, new Date(at).toISOString()),
    );
    appends.push({ customer: id, events: historyOf(...mine).slice(mine.length - 1) });
  }
  return appends;
}

describe('population signals whatever the projector’s lag', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-population-lag-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Derivation one event a step over the whole log, the population rules evaluated after every
   * step; the projector `lag` events past what derivation has read (Infinity: caught up before
   * derivation starts, as when the ledger is rebuilt). What comes out: the population rules'
   * signals (id, content, the position each was derived at) and the standings.
   */
  async function evaluate(
    store: SqliteEventStore,
    log: readonly RecordedEvent[],
    run: string,
    lag: number,
  ) {
    const readStore = new MemoryReadStore();
    const engine = new InsightsEngine(readStore, INSIGHTS);
    const ledger = new SqliteSignalLedger(join(dir, `${run}.db`));
    try {
      const projector = new Projector(store, readStore, [VIEW, FACTS], {
        name: 'projector',
        batchSize: 1000,
        maxBatchDelayMs: 5,
      });
      const derivation = new SignalDerivation(store, readStore, ledger, {
        rules: DEFAULT_SIGNAL_RULES,
        batchSize: 1,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
      const population = new PopulationSignalEvaluation(ledger, readStore, {
        rules: DEFAULT_SIGNAL_RULES,
        windowSeconds: 86_400,
        factsCollection: () => Promise.resolve(FACTS.name),
        eventStore: store,
        populationAsOf: (asOf, viewsAsOf) => engine.computeWithViews(asOf, viewsAsOf),
        firstEventTime: () => firstEventTime(store),
      });
      let applied = 0;
      for (;;) {
        const read = log.findIndex((e) => e.position > derivation.readUpTo());
        if (read < 0) break;
        const target = Math.min(log.length, read + 1 + lag);
        if (target > applied) {
          await projector.applyBatch(log.slice(applied, target));
          applied = target;
        }
        expect(await derivation.step()).toBe(true);
        for (;;) {
          const { windows } = await population.evaluateUpTo(
            derivation.watermark(),
            derivation.readUpTo(),
          );
          if (windows === 0) break;
        }
      }
      const signals = ledger
        .list({ limit: 1000 })
        .filter((e) => e.signal.rule === 'tier-move' || e.signal.rule === 'win-back')
        .map((e) => ({
          id: e.signal.id,
          derivedAt: e.derivedAtPosition.toString(),
          signal: JSON.parse(signalContent(e.signal)) as unknown,
          subject: e.signal.subject.id,
        }))
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      const standings = [...ledger.standings()].sort(([x], [y]) => (x < y ? -1 : 1));
      return { signals, standings };
    } finally {
      await engine.close();
      ledger.close();
    }
  }

  async function inStepAndRebuilt(name: string, appends: readonly Append[]) {
    const store = new SqliteEventStore({ path: join(dir, `${name}.db`), pollIntervalMs: 10 });
    try {
      await appendAll(store, appends);
      const log = await store.readAll();
      const inStep = await evaluate(store, log, `${name}-in-step`, 0);
      const ahead = await evaluate(store, log, `${name}-ahead`, 3);
      const rebuilt = await evaluate(store, log, `${name}-rebuilt`, Infinity);
      return { inStep, ahead, rebuilt };
    } finally {
      await store.close();
    }
  }

  it('given a purchase of day 12 appended after event time passed day 13, when the ledger is derived with the projector in step, ahead or caught up first, then the same population signals and standings', async () => {
    const { inStep, ahead, rebuilt } = await inStepAndRebuilt(
      'late',
      history({ latePurchase: true }),
    );
    // The late purchase counts from the first boundary evaluated after it was read (day 15).
    expect(inStep.signals.some((s) => s.subject === 'C-low')).toBe(true);
    expect(ahead).toEqual(inStep);
    expect(rebuilt).toEqual(inStep);
  }, 120_000);

  it('given C-low merged into C-top after event time passed day 13, when derived in step, ahead or caught up first, then the same population signals and standings', async () => {
    const { inStep, ahead, rebuilt } = await inStepAndRebuilt(
      'merge',
      history({ late: [{ graph: merged('m-1', 'C-low', 'C-top') }] }),
    );
    expect(ahead).toEqual(inStep);
    expect(rebuilt).toEqual(inStep);
  }, 120_000);

  it('given C-mid and C-low merged from the start and the merge undone after event time passed day 13, when derived in step, ahead or caught up first, then the same population signals and standings', async () => {
    const { inStep, ahead, rebuilt } = await inStepAndRebuilt(
      'undo',
      history({
        first: [{ graph: merged('m-1', 'C-low', 'C-mid') }],
        late: [{ graph: undone('m-1') }],
      }),
    );
    expect(ahead).toEqual(inStep);
    expect(rebuilt).toEqual(inStep);
  }, 120_000);
  it('gives the same population signals and standings with the projector in step, ahead or caught up first, for any history of late events, merges and undos', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(randomHistory, fc.integer({ min: 1, max: 6 }), async (ops, lag) => {
        runs += 1;
        const store = new SqliteEventStore({
          path: join(dir, `random-${runs}.db`),
          pollIntervalMs: 10,
        });
        try {
          await appendAll(store, appendsOf(ops));
          const log = await store.readAll();
          const inStep = await evaluate(store, log, `random-${runs}-in-step`, 0);
          expect(await evaluate(store, log, `random-${runs}-ahead`, lag)).toEqual(inStep);
          expect(await evaluate(store, log, `random-${runs}-rebuilt`, Infinity)).toEqual(inStep);
        } finally {
          await store.close();
        }
      }),
      { numRuns: Number(process.env.POPULATION_LAG_RUNS ?? 10) },
    );
  }, 600_000);
});
