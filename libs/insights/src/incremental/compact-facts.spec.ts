import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import {
  buildInsightsModel,
  customerFactsOf,
  insightsRowOf,
  populationFactsOf,
  type InsightsOptions,
} from '../population';
import { CompactFacts } from './compact-facts';

const asOf = '2026-11-01T00:00:00.000Z';
const options: InsightsOptions = {
  asOf,
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 2,
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

const at = (occurredAt: string, customerId: string) => ({ occurredAt, customerId });

/** Customers with every kind of fact: repeat purchases, a cancellation, open and resolved
 * complaints, several touchpoints on one day, calls, emails, another currency, no purchase. */
function views() {
  const busy = 'C-busy';
  const quiet = 'C-quiet';
  const abroad = 'C-abroad';
  const histories = {
    [busy]: historyOf(
      aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: { minor: 4_000, currency: 'EUR' } },
        at('2026-01-03T10:00:00Z', busy),
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-2', amount: { minor: 2_500, currency: 'EUR' } },
        at('2026-03-04T11:00:00.250Z', busy),
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-3', amount: { minor: 1_000, currency: 'EUR' } },
        at('2026-03-04T18:00:00Z', busy),
      ),
      aTouchpoint('cancellation', { orderId: 'O-2' }, at('2026-03-06T09:00:00Z', busy)),
      aTouchpoint('web_visit', { url: 'https://shop.example/' }, at('2026-09-01T08:00:00Z', busy)),
      aTouchpoint('web_visit', { url: 'https://shop.example/' }, at('2026-09-01T09:00:00Z', busy)),
      aTouchpoint(
        'call',
        { direction: 'inbound', durationSeconds: 600 },
        at('2026-10-01T09:00:00Z', busy),
      ),
      aTouchpoint(
        'email',
        { direction: 'outbound', action: 'sent' },
        at('2026-10-02T09:00:00Z', busy),
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'delivery' },
        at('2026-06-01T09:00:00Z', busy),
      ),
      aTouchpoint('complaint_resolved', { complaintId: 'K-1' }, at('2026-06-03T09:00:00Z', busy)),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-2', category: 'billing' },
        at('2026-10-10T09:00:00Z', busy),
      ),
    ),
    [quiet]: historyOf(
      aTouchpoint('web_visit', { url: 'https://shop.example/' }, at('2026-05-01T08:00:00Z', quiet)),
    ),
    [abroad]: historyOf(
      aTouchpoint(
        'purchase',
        { orderId: 'O-9', amount: { minor: 9_000, currency: 'USD' } },
        at('2026-02-01T10:00:00Z', abroad),
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-10', amount: { minor: 3_000, currency: 'EUR' } },
        at('2026-07-01T10:00:00Z', abroad),
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-11', amount: { minor: 3_500, currency: 'EUR' } },
        at('2026-08-01T10:00:00Z', abroad),
      ),
    ),
  };
  return Object.entries(histories).map(([id, history]) =>
    foldProjection(customerViewProjection, id, history),
  );
}

describe('facts kept compact between refreshes', () => {
  const facts = views().map((view) => customerFactsOf(view, options));
  const model = buildInsightsModel(facts.map(populationFactsOf), options).model;

  it('give every customer the row their facts as read from the view give', () => {
    for (const customer of facts)
      expect(insightsRowOf(CompactFacts.of(customer).facts(), model)).toEqual(
        insightsRowOf(customer, model),
      );
  });

  it('give the population model the same input', () => {
    const again = facts.map((customer) => CompactFacts.of(customer).facts());
    expect(buildInsightsModel(again.map(populationFactsOf), options)).toEqual(
      buildInsightsModel(facts.map(populationFactsOf), options),
    );
  });

  it('give the population facts the whole facts give, without building the rest', () => {
    for (const customer of facts) {
      const compact = CompactFacts.of(customer);
      expect(compact.populationFacts()).toStrictEqual(populationFactsOf(compact.facts()));
    }
  });

  it('keep every instant, in order, as epoch ms, and first and last seen as the view wrote them', () => {
    const busy = facts[0];
    const back = CompactFacts.of(busy).facts();
    const ms = (dates: readonly (string | number)[]) => dates.map((d) => Date.parse(String(d)));
    expect(back.inputs.churnFacts.purchaseDates).toEqual(ms(busy.inputs.churnFacts.purchaseDates));
    expect(back.inputs.churnFacts.touchpointDates).toEqual(
      ms(busy.inputs.churnFacts.touchpointDates),
    );
    expect(back.inputs.churnFacts.complaints).toEqual(
      busy.inputs.churnFacts.complaints.map((c) => ({
        complaintId: c.complaintId,
        raisedAt: Date.parse(String(c.raisedAt)),
        ...(c.resolvedAt === undefined ? {} : { resolvedAt: Date.parse(String(c.resolvedAt)) }),
      })),
    );
    expect(back.inputs.value).toEqual(busy.inputs.value);
    expect(back.firstSeenAt).toBe(busy.firstSeenAt);
    expect(back.lastSeenAt).toBe(busy.lastSeenAt);
  });
});
