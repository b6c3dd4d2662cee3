import fc from 'fast-check';
import { trailingNetRevenue, type OrderRevenue } from './trailing-net-revenue';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const order = (
  purchasedAt: string,
  minor: number,
  ...cancellations: Array<[string, number]>
): OrderRevenue => ({
  purchasedAt,
  amount: eur(minor),
  cancellations: cancellations.map(([occurredAt, amount]) => ({ occurredAt, amount: eur(amount) })),
});

describe('trailingNetRevenue', () => {
  const asOf = '2025-06-30T12:00:00Z';

  it('sums the orders placed inside (asOf − 12 months, asOf], less what of them was cancelled', () => {
    const orders = [
      order('2024-06-30T12:00:00Z', 1000), // on the open edge: out
      order('2024-06-30T12:00:01Z', 2000, ['2025-01-05T00:00:00Z', 500]),
      order('2025-06-30T12:00:00Z', 300), // asOf itself: in
      order('2025-07-01T00:00:00Z', 9999), // future: out
    ];
    expect(trailingNetRevenue(orders, { asOf, currency: 'EUR' })).toBe(1800);
  });

  describe('when an order bought before the window is cancelled inside it', () => {
    it('takes nothing from the window: the revenue belonged to the order date (C-015519 went to −34)', () => {
      const orders = [
        order('2023-01-01T00:00:00Z', 5000, ['2025-06-01T00:00:00Z', 5000]),
        order('2025-05-01T00:00:00Z', 700),
      ];
      expect(trailingNetRevenue(orders, { asOf, currency: 'EUR' })).toBe(700);
    });
  });

  describe('when an order in the window is cancelled after asOf', () => {
    it('counts it whole as of asOf: the cancellation was not known yet', () => {
      const orders = [order('2025-05-01T00:00:00Z', 700, ['2025-07-02T00:00:00Z', 700])];
      expect(trailingNetRevenue(orders, { asOf, currency: 'EUR' })).toBe(700);
      expect(trailingNetRevenue(orders, { asOf: '2025-07-03T00:00:00Z', currency: 'EUR' })).toBe(0);
    });
  });

  it('is never negative, whatever the orders and cancellations', () => {
    const day = 86_400_000;
    const instant = fc
      .integer({ min: 0, max: 900 })
      .map((d) => new Date(Date.parse('2023-01-01T00:00:00Z') + d * day).toISOString());
    const anOrder = fc
      .record({
        purchasedAt: instant,
        minor: fc.integer({ min: 0, max: 10_000 }),
        cancellations: fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 12_000 })), {
          maxLength: 3,
        }),
      })
      .map((o) => order(o.purchasedAt, o.minor, ...o.cancellations));
    fc.assert(
      fc.property(fc.array(anOrder, { maxLength: 8 }), instant, (orders, at) => {
        expect(trailingNetRevenue(orders, { asOf: at, currency: 'EUR' })).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('supports other window lengths with calendar-month arithmetic', () => {
    const orders = [order('2025-02-28T23:00:00Z', 100), order('2025-03-01T00:00:00Z', 10)];
    // 31 March − 1 month = 28 February (clamped), so 28 Feb 23:00 falls in (28 Feb 12:00, …].
    expect(
      trailingNetRevenue(orders, {
        asOf: '2025-03-31T12:00:00Z',
        windowMonths: 1,
        currency: 'EUR',
      }),
    ).toBe(110);
    expect(
      trailingNetRevenue(orders, {
        asOf: Date.parse('2025-03-31T12:00:00Z'),
        windowMonths: 3,
        currency: 'EUR',
      }),
    ).toBe(110);
  });

  it('refuses mixed currencies and non-integer amounts', () => {
    const usd: OrderRevenue = {
      purchasedAt: asOf,
      amount: { minor: 1, currency: 'USD' },
      cancellations: [],
    };
    expect(() => trailingNetRevenue([usd], { asOf, currency: 'EUR' })).toThrow(/expected EUR/);
    expect(() => trailingNetRevenue([order(asOf, 9.99)], { asOf, currency: 'EUR' })).toThrow(
      /minor units/,
    );
    expect(() => trailingNetRevenue([], { asOf, currency: 'EUR', windowMonths: 0 })).toThrow(
      /windowMonths/,
    );
  });
});
