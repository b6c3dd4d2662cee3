import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import type { InsightsModel } from './customer-insights';
import { deriveCustomerInsights, trailingRevenueOf } from './derive-customer-insights';
import { buildInsightsModel } from './population-model';
import {
  compactInsightsRow,
  customerFactsOf,
  insightsRowOf,
  knownAsOf,
  lastSeenAsOf,
  populationFactsOf,
  type InsightsRow,
} from './insights-rows';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const viewOf = (customerId: string, ...touchpoints: Parameters<typeof historyOf>) =>
  foldProjection(
    customerViewProjection,
    customerId,
    historyOf(...touchpoints.map((t) => ({ ...t, customerId }))),
  );
const buy = (orderId: string, minor: number, occurredAt: string, currency = 'EUR') =>
  aTouchpoint('purchase', { orderId, amount: { minor, currency } }, { occurredAt });

const model: InsightsModel = {
  asOf: '2026-06-01T00:00:00.000Z',
  currency: 'EUR',
  windowMonths: 12,
  cutoffs: {
    a: { revenueMinor: 10_000, customerId: 'X' },
    b: { revenueMinor: 1_000, customerId: 'Y' },
  },
  fit: null,
  horizonDays: 90,
};

describe('customer insights', () => {
  it('ranks only the trailing window in the reporting currency, net of cancellations in it', () => {
    const view = viewOf(
      'C-1',
      buy('O-old', 99_999, '2024-01-01T00:00:00.000Z'),
      buy('O-1', 20_000, '2026-01-01T00:00:00.000Z'),
      buy('O-usd', 5_000, '2026-02-01T00:00:00.000Z', 'USD'),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-1', amount: eur(5_000) },
        { occurredAt: '2026-02-01T00:00:00.000Z' },
      ),
    );
    expect(trailingRevenueOf(view, model, model.asOf)).toBe(15_000);
    expect(deriveCustomerInsights(view, model, model.asOf).valueTier).toBe('A');
  });

  it('leaves the window alone when an order bought before it is cancelled inside it', () => {
    const view = viewOf(
      'C-015519',
      buy('O-old', 3_000, '2025-03-01T00:00:00.000Z'),
      buy('O-new', 2_000, '2026-03-01T00:00:00.000Z'),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-old', amount: eur(3_000) },
        { occurredAt: '2026-04-01T00:00:00.000Z' },
      ),
    );
    expect(trailingRevenueOf(view, model, model.asOf)).toBe(2_000);
  });

  describe("when read as of a date before the customer's latest steps", () => {
    const view = viewOf(
      'C-1',
      aTouchpoint('web_visit', { url: '/a' }, { occurredAt: '2026-03-01T10:00:00.000Z' }),
      aTouchpoint(
        'email',
        { direction: 'outbound', action: 'sent' },
        { occurredAt: '2026-03-04T10:00:00.000Z', channel: 'email' },
      ),
      aTouchpoint('web_visit', { url: '/b' }, { occurredAt: '2026-03-10T10:00:00.000Z' }),
    );

    it('says when they were last seen by then, to the day, never after it', () => {
      expect(lastSeenAsOf(view, '2026-03-20T00:00:00.000Z')).toBe('2026-03-10T10:00:00.000Z');
      expect(lastSeenAsOf(view, '2026-03-05T00:00:00.000Z')).toBe('2026-03-01T00:00:00.000Z');
      expect(lastSeenAsOf(view, '2026-02-28T00:00:00.000Z')).toBeNull();
    });

    it('counts the customer as known only from their first touchpoint of any kind', () => {
      expect(knownAsOf(view, '2026-03-01T10:00:00.000Z')).toBe(true);
      expect(knownAsOf(view, '2026-03-01T09:59:59.999Z')).toBe(false);
    });
  });

  it('reads the same view differently as of different dates', () => {
    const view = viewOf(
      'C-2',
      ...Array.from({ length: 6 }, (_, i) =>
        buy(`O-${i}`, 2_000, new Date(Date.UTC(2025, 0, 1 + i * 14)).toISOString()),
      ),
    );
    const whileBuying = deriveCustomerInsights(view, model, '2025-03-20T00:00:00.000Z');
    const muchLater = deriveCustomerInsights(view, model, '2026-06-01T00:00:00.000Z');
    expect(whileBuying.churn.reasons.map((r) => r.code)).not.toContain('PURCHASE_OVERDUE');
    expect(muchLater.churn.reasons.map((r) => r.code)).toContain('PURCHASE_OVERDUE');
    expect(muchLater.segment.segment).toBe('dormant');
    expect(muchLater.churn.score).toBeGreaterThan(whileBuying.churn.score);
  });

  it('builds a model whose rows put every customer in exactly one tier and segment', () => {
    const views = Array.from({ length: 30 }, (_, c) =>
      viewOf(
        `C-${c}`,
        ...Array.from({ length: 1 + (c % 5) }, (_, i) =>
          buy(`O-${i}`, 1_000 * (c + 1), new Date(Date.UTC(2025, 6 + i, 1 + c)).toISOString()),
        ),
      ),
    );
    const options = {
      asOf: model.asOf,
      currency: 'EUR',
      windowMonths: 12,
      unit: 'weeks' as const,
      horizonDays: 90,
      minCustomersForFit: 20,
    };
    const customers = views.map((v) => customerFactsOf(v, options));
    const result = buildInsightsModel(customers.map(populationFactsOf), options);
    expect(result.model.fit).not.toBeNull();
    expect(
      result.tiers.tiers.A.revenueShare +
        result.tiers.tiers.B.revenueShare +
        result.tiers.tiers.C.revenueShare,
    ).toBeCloseTo(1, 12);
    const rows = customers.map((c) => insightsRowOf(c, result.model));
    expect(rows.filter((r) => r.valueTier === 'A').length).toBe(result.tiers.tiers.A.count);
    // A row, from facts read once, is what the customer's own view derives at query time.
    views.forEach((view, i) => {
      const insights = deriveCustomerInsights(view, result.model, result.model.asOf);
      expect(rows[i]).toMatchObject({
        customerId: view.customerId,
        revenueMinor: insights.trailingRevenue.minor,
        valueTier: insights.valueTier,
        riskScore: insights.churn.score,
        valueAtRiskMinor: insights.churn.valueAtRiskMinor,
        probabilityAlive: insights.probabilityAlive,
        segment: insights.segment.segment,
        reasonCodes: insights.churn.reasons.map((r) => r.code),
        channels: view.channelsUsed,
      });
    });
    expect(
      rows.every(
        (r) => r.probabilityAlive !== null && r.probabilityAlive >= 0 && r.probabilityAlive <= 1,
      ),
    ).toBe(true);
    // Rows with the same lists share one array; one read back from JSON is compacted alike.
    expect(new Set(rows.map((r) => r.channels)).size).toBe(1);
    const byReasons = new Map(rows.map((r) => [r.reasonCodes.join(' '), r.reasonCodes]));
    expect(rows.every((r) => r.reasonCodes === byReasons.get(r.reasonCodes.join(' ')))).toBe(true);
    const parsed = JSON.parse(JSON.stringify(rows[0])) as InsightsRow;
    const compacted = compactInsightsRow(parsed);
    expect(compacted).toEqual(rows[0]);
    expect(compacted.channels).toBe(rows[0].channels);
    expect(compacted.reasonCodes).toBe(rows[0].reasonCodes);
  });

  it('explains why there is no fit when too few customers bought', () => {
    const options = {
      asOf: model.asOf,
      currency: 'EUR',
      windowMonths: 12,
      unit: 'weeks' as const,
      horizonDays: 90,
      minCustomersForFit: 20,
    };
    const result = buildInsightsModel(
      [
        populationFactsOf(
          customerFactsOf(viewOf('C-1', buy('O-1', 1, '2026-01-01T00:00:00.000Z')), options),
        ),
      ],
      options,
    );
    expect(result.model.fit).toBeNull();
    expect(result.fitNote).toMatch(/at least 20/);
  });
});
