import fc from 'fast-check';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import type { Touchpoint } from '@rapport/domain';
import {
  customerViewProjection,
  foldProjection,
  markedStale,
  type CustomerView,
} from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { InsightsEngine, type InsightsEngineOptions } from './insights.engine';
import type { InsightsSnapshot } from './insights-snapshot';
import {
  buildInsightsModel,
  customerFactsOrExclusion,
  inRankOrder,
  insightsRowOf,
  knownAsOf,
  populationFactsOf,
  withPredictedTiers,
  type CustomerFacts,
} from './population';

const DAY = 86_400_000;
const FIRST_DAY = Date.parse('2025-06-01T00:00:00.000Z');

const settings: InsightsEngineOptions = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  // Small, so that the populations drawn here get a BG/NBD and a spend fit most of the time.
  minCustomersForFit: 3,
  value: {
    clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 0.3 },
    unitCosts: {
      callMinuteMinor: 90,
      complaintMinor: 2_500,
      cancellationMinor: 1_500,
      emailSentMinor: 3,
    },
  },
};

type Step =
  'purchase' | 'usd-purchase' | 'cancel' | 'visit' | 'call' | 'email' | 'complaint' | 'resolve';

const customerArb = fc.record({
  steps: fc.array(
    fc.record({
      step: fc.constantFrom<Step>(
        'purchase',
        'purchase',
        'usd-purchase',
        'cancel',
        'visit',
        'call',
        'email',
        'complaint',
        'resolve',
      ),
      day: fc.integer({ min: 0, max: 540 }),
      minor: fc.integer({ min: 1, max: 50_000 }),
    }),
    { minLength: 1, maxLength: 14 },
  ),
  parked: fc.boolean(),
});

type CustomerDraw = typeof customerArb extends fc.Arbitrary<infer T> ? T : never;

/** One customer's view as the projector folds it, touchpoints in the order of their dates. */
function viewOf(n: number, customer: CustomerDraw): CustomerView {
  const customerId = `C-${String(n).padStart(3, '0')}`;
  const history: Touchpoint[] = [];
  const steps = [...customer.steps].sort((a, b) => a.day - b.day);
  for (const [k, { step, day, minor }] of steps.entries()) {
    const at = {
      customerId,
      occurredAt: new Date(FIRST_DAY + day * DAY + k * 60_000).toISOString(),
    };
    const orders = history.filter((t) => t.type === 'purchase').map((t) => t.data.orderId);
    const cancelled = history.filter((t) => t.type === 'cancellation').map((t) => t.data.orderId);
    const complaints = history.filter((t) => t.type === 'complaint').map((t) => t.data.complaintId);
    const resolved = history
      .filter((t) => t.type === 'complaint_resolved')
      .map((t) => t.data.complaintId);
    const open = orders.find((o) => !cancelled.includes(o));
    const unresolved = complaints.find((c) => !resolved.includes(c));
    if (step === 'purchase' || step === 'usd-purchase')
      history.push(
        aTouchpoint(
          'purchase',
          {
            orderId: `O-${n}-${k}`,
            amount: { minor, currency: step === 'purchase' ? 'EUR' : 'USD' },
          },
          { ...at, channel: 'store' },
        ),
      );
    else if (step === 'cancel' && open)
      history.push(aTouchpoint('cancellation', { orderId: open }, at));
    else if (step === 'visit')
      history.push(aTouchpoint('web_visit', { url: 'https://shop.example/' }, at));
    else if (step === 'call')
      history.push(
        aTouchpoint(
          'call',
          { direction: 'inbound', durationSeconds: minor % 3_600 },
          { ...at, channel: 'phone' },
        ),
      );
    else if (step === 'email')
      history.push(
        aTouchpoint(
          'email',
          { direction: 'outbound', action: 'sent' },
          { ...at, channel: 'email' },
        ),
      );
    else if (step === 'complaint')
      history.push(
        aTouchpoint('complaint', { complaintId: `K-${n}-${k}`, category: 'delivery' }, at),
      );
    else if (step === 'resolve' && unresolved)
      history.push(aTouchpoint('complaint_resolved', { complaintId: unresolved }, at));
  }
  const view = foldProjection(customerViewProjection, customerId, historyOf(...history));
  return customer.parked
    ? markedStale(view, { position: '1', eventType: 'Unknown', error: 'test', eventsNotApplied: 0 })
    : view;
}

/**
 * The as-of snapshot as computed before its facts were kept compact: every known customer's
 * facts as objects, straight from the view, the model and the rows from those.
 */
function referenceAsOf(views: readonly CustomerView[], asOf: string) {
  const options = { ...settings, asOf };
  const facts: CustomerFacts[] = [];
  let excluded = 0;
  for (const view of views) {
    if (!knownAsOf(view, asOf)) continue;
    const outcome = customerFactsOrExclusion(view, options);
    if (outcome.excluded) excluded += 1;
    else facts.push(outcome.facts);
  }
  const result = buildInsightsModel(facts.map(populationFactsOf), options);
  const ranked = inRankOrder(facts.map((f) => insightsRowOf(f, result.model)));
  const predicted = withPredictedTiers(ranked, result.model);
  return {
    ...result,
    ...(predicted ? { model: predicted.model, predictedTiers: predicted.predictedTiers } : {}),
    rows: ranked,
    customers: ranked.length,
    excluded,
  };
}

/** Checks every part of `computed` against the reference from `views`, and the old path. */
async function expectAgreement(
  engine: InsightsEngine,
  views: readonly CustomerView[],
  asOf: string,
): Promise<void> {
  const expected = referenceAsOf(views, asOf);
  const computed = await engine.asOf(asOf);
  // Row by row as objects: the snapshot holds its rows as columns.
  expect([...computed.rows]).toEqual(expected.rows);
  expect(computed.model).toEqual(expected.model);
  expect(computed.tiers).toEqual(expected.tiers);
  expect(computed.predictedTiers).toEqual(expected.predictedTiers);
  expect(computed.retention).toEqual(expected.retention);
  expect(computed.cohorts).toEqual(expected.cohorts);
  expect(computed.currencies).toEqual(expected.currencies);
  expect(computed.fitNote).toEqual(expected.fitNote);
  expect(computed.customers).toBe(expected.customers);
  expect(computed.excluded?.count).toBe(expected.excluded);
  // The dated views' path against the one that reads every view again (compute).
  const fromEveryView = await engine.compute(asOf);
  expect(withoutTimings(computed)).toEqual(withoutTimings(fromEveryView));
  const retention = await engine.retentionAsOf(asOf);
  expect(retention.retention).toEqual(expected.retention);
  expect(retention.cohorts).toEqual(expected.cohorts);
}

/** A snapshot without when and how fast it was computed. */
function withoutTimings(snapshot: InsightsSnapshot) {
  return { ...snapshot, version: 0, computedAt: '', durationMs: 0 };
}

const changeArb = fc.record({ at: fc.nat(), customer: customerArb, remove: fc.boolean() });

describe('when insights are computed as of a past date', () => {
  it("then they equal the computation from every customer's facts as objects", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(customerArb, { minLength: 1, maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 3 }),
        fc.array(changeArb, { maxLength: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 600 }),
        async (customers, asOfDays, changes, reported, laterDay) => {
          const views = customers.map((customer, n) => viewOf(n, customer));
          const store = new MemoryReadStore();
          await store.putMany(
            customerViewProjection.name,
            views.map((value, i) => ({ key: value.customerId, position: BigInt(i + 1), value })),
          );
          const engine = new InsightsEngine(store, settings);
          for (const day of asOfDays)
            await expectAgreement(
              engine,
              views,
              new Date(FIRST_DAY + day * DAY + DAY / 3).toISOString(),
            );

          // The projector writes (or removes) views after the dated views were read: reported
          // to the engine, or only seen in its checkpoint.
          let current = [...views];
          let position = BigInt(views.length);
          for (const change of changes) {
            position += 1n;
            const n = change.at % (current.length + 2);
            const customerId = `C-${String(n).padStart(3, '0')}`;
            if (change.remove) {
              await store.deleteMany(customerViewProjection.name, [customerId]);
              current = current.filter((view) => view.customerId !== customerId);
            } else {
              const view = viewOf(n, change.customer);
              await store.putMany(customerViewProjection.name, [
                { key: customerId, position, value: view },
              ]);
              current = [...current.filter((v) => v.customerId !== customerId), view].sort(
                (x, y) => (x.customerId < y.customerId ? -1 : 1),
              );
            }
            await store.putCheckpoint('projector', position);
            if (reported) engine.viewsWritten([customerId], position);
          }
          // Another time of day than the dates before: not one kept from before the writes.
          await expectAgreement(
            engine,
            current,
            new Date(FIRST_DAY + laterDay * DAY + DAY / 2).toISOString(),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 240_000);
});
