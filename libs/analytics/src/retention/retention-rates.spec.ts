import { computeRetentionRates } from './retention-rates';

const asOf = '2025-03-15T00:00:00Z';

describe('computeRetentionRates', () => {
  it('computes repeat purchase and cancellation rates up to asOf', () => {
    const rates = computeRetentionRates(
      [
        {
          customerId: 'a',
          purchaseDates: ['2025-01-01T00:00:00Z', '2025-01-01T10:00:00Z'],
          cancellationDates: ['2025-01-02T00:00:00Z'],
        },
        { customerId: 'b', purchaseDates: ['2025-02-01T00:00:00Z', '2025-04-01T00:00:00Z'] },
        { customerId: 'c', purchaseDates: [] },
      ],
      asOf,
    );
    expect(rates).toEqual({
      buyers: 2,
      repeatBuyers: 1,
      repeatPurchaseRate: 0.5,
      purchases: 3,
      cancellations: 1,
      cancellationRate: 1 / 3,
    });
    expect(computeRetentionRates([], asOf)).toMatchObject({
      repeatPurchaseRate: 0,
      cancellationRate: 0,
    });
  });
});
