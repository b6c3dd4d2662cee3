import type { CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import type { InsightsModel } from './customer-insights';
import { customerValueFactsOf } from './customer-value';
import { trailingRevenueOf } from './derive-customer-insights';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
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

/**
 * Profile C-A merged with C-B: each has bought once and B cancelled its order in full. B's order
 * id is given, so the same figures can be compared with and without the two ids colliding.
 */
function mergedView(orderOfB: string) {
  const a = historyOf(
    aTouchpoint(
      'purchase',
      { orderId: 'O-1', amount: eur(20_000) },
      { customerId: 'C-A', occurredAt: '2026-01-01T00:00:00.000Z' },
    ),
    aTouchpoint(
      'purchase',
      { orderId: 'O-2', amount: eur(8_000) },
      { customerId: 'C-A', occurredAt: '2025-12-15T00:00:00.000Z' },
    ),
  );
  const b = historyOf(
    aTouchpoint(
      'purchase',
      { orderId: orderOfB, amount: eur(5_000) },
      { customerId: 'C-B', occurredAt: '2026-01-15T00:00:00.000Z' },
    ),
    aTouchpoint(
      'cancellation',
      { orderId: orderOfB },
      { customerId: 'C-B', occurredAt: '2026-03-01T00:00:00.000Z' },
    ),
  );
  const events: CustomerEvent[] = [...a, ...b].sort((x, y) =>
    x.data.occurredAt < y.data.occurredAt ? -1 : 1,
  );
  return foldProjection(customerViewProjection, 'C-A', events);
}

describe("insights of a merged profile whose members' order ids collide", () => {
  it("takes a member's cancellation off that member's order only", () => {
    expect(trailingRevenueOf(mergedView('O-1'), model, model.asOf)).toBe(28_000);
  });

  it('gives the same value facts as when the ids differ', () => {
    const options = { asOf: model.asOf, currency: 'EUR', windowMonths: 12 };
    expect(customerValueFactsOf(mergedView('O-1'), options)).toEqual(
      customerValueFactsOf(mergedView('O-9'), options),
    );
  });
});
