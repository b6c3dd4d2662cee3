import { trailingNetRevenue, type RevenueMovement } from './trailing-net-revenue';

const eur = (minor: number) => ({ minor, currency: 'EUR' });

describe('trailingNetRevenue', () => {
  const asOf = '2025-06-30T12:00:00Z';

  it('sums purchases minus cancellations inside (asOf − 12 months, asOf]', () => {
    const movements: RevenueMovement[] = [
      { kind: 'purchase', occurredAt: '2024-06-30T12:00:00Z', amount: eur(1000) }, // on the open edge: out
      { kind: 'purchase', occurredAt: '2024-06-30T12:00:01Z', amount: eur(2000) },
      { kind: 'purchase', occurredAt: '2025-06-30T12:00:00Z', amount: eur(300) }, // asOf itself: in
      { kind: 'cancellation', occurredAt: '2025-01-05T00:00:00Z', amount: eur(500) },
      { kind: 'purchase', occurredAt: '2025-07-01T00:00:00Z', amount: eur(9999) }, // future: out
    ];
    expect(trailingNetRevenue(movements, { asOf, currency: 'EUR' })).toBe(1800);
  });

  it('counts a cancellation by its own event time, even of an older order (may go negative)', () => {
    const movements: RevenueMovement[] = [
      { kind: 'purchase', occurredAt: '2023-01-01T00:00:00Z', amount: eur(5000) },
      { kind: 'cancellation', occurredAt: '2025-06-01T00:00:00Z', amount: eur(5000) },
    ];
    expect(trailingNetRevenue(movements, { asOf, currency: 'EUR' })).toBe(-5000);
  });

  it('supports other window lengths with calendar-month arithmetic', () => {
    const movements: RevenueMovement[] = [
      { kind: 'purchase', occurredAt: '2025-02-28T23:00:00Z', amount: eur(100) },
      { kind: 'purchase', occurredAt: '2025-03-01T00:00:00Z', amount: eur(10) },
    ];
    // 31 March − 1 month = 28 February (clamped), so 28 Feb 23:00 falls in (28 Feb 12:00, …].
    expect(
      trailingNetRevenue(movements, {
        asOf: '2025-03-31T12:00:00Z',
        windowMonths: 1,
        currency: 'EUR',
      }),
    ).toBe(110);
    expect(
      trailingNetRevenue(movements, {
        asOf: Date.parse('2025-03-31T12:00:00Z'),
        windowMonths: 3,
        currency: 'EUR',
      }),
    ).toBe(110);
  });

  it('refuses mixed currencies and non-integer amounts', () => {
    const usd: RevenueMovement = {
      kind: 'purchase',
      occurredAt: asOf,
      amount: { minor: 1, currency: 'USD' },
    };
    expect(() => trailingNetRevenue([usd], { asOf, currency: 'EUR' })).toThrow(/expected EUR/);
    const float: RevenueMovement = { kind: 'purchase', occurredAt: asOf, amount: eur(9.99) };
    expect(() => trailingNetRevenue([float], { asOf, currency: 'EUR' })).toThrow(/minor units/);
    expect(() => trailingNetRevenue([], { asOf, currency: 'EUR', windowMonths: 0 })).toThrow(
      /windowMonths/,
    );
  });
});
