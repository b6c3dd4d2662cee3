import fc from 'fast-check';
import { bgNbdExpectedPurchases, bgNbdProbabilityAlive } from '../bgnbd/bg-nbd.predict';
import { CDNOW_SAMPLE_PARAMS } from '../testing';
import { customerLifetimeValue, DAYS_PER_MONTH } from './customer-lifetime-value';

const model = { params: CDNOW_SAMPLE_PARAMS, unit: 'weeks' as const };
const options = { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 0.3 };

describe('customerLifetimeValue', () => {
  describe('when nothing is discounted', () => {
    it('is margin × spend × the BG/NBD expected transactions over the whole horizon', () => {
      const summary = { x: 4, tx: 30, T: 39 };
      const result = customerLifetimeValue(model, summary, 5_000, {
        ...options,
        monthlyDiscountRate: 0,
      });
      const expected = bgNbdExpectedPurchases(model.params, summary, (12 * DAYS_PER_MONTH) / 7);
      expect(result.expectedTransactions).toBeCloseTo(expected, 10);
      expect(result.discountedTransactions).toBeCloseTo(expected, 10);
      expect(result.valueMinor).toBe(Math.round(expected * 5_000 * 0.3));
    });
  });

  describe('when future months are discounted', () => {
    it('is worth less than undiscounted, by at most the last month’s factor', () => {
      const summary = { x: 2, tx: 20, T: 30 };
      const plain = customerLifetimeValue(model, summary, 8_000, {
        ...options,
        monthlyDiscountRate: 0,
      });
      const discounted = customerLifetimeValue(model, summary, 8_000, options);
      expect(discounted.discountedTransactions).toBeLessThan(plain.discountedTransactions);
      expect(discounted.discountedTransactions).toBeGreaterThan(
        plain.discountedTransactions / Math.pow(1.01, 12),
      );
    });
  });

  const summaries = fc
    .record({ x: fc.integer({ min: 1, max: 30 }), T: fc.integer({ min: 1, max: 150 }) })
    .chain(({ x, T }) =>
      fc.record({ x: fc.constant(x), T: fc.constant(T), tx: fc.integer({ min: 1, max: T }) }),
    );

  it('grows with the expected spend', () => {
    fc.assert(
      fc.property(summaries, fc.integer({ min: 1, max: 100_000 }), (summary, spend) => {
        const low = customerLifetimeValue(model, summary, spend, options);
        const high = customerLifetimeValue(model, summary, spend * 2, options);
        expect(high.valueMinor).toBeGreaterThanOrEqual(low.valueMinor);
        expect(high.discountedTransactions).toBe(low.discountedTransactions);
      }),
    );
  });

  it('grows with frequency for a customer who has just bought', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 150 }), (x, T) => {
        const tx = x === 0 ? 0 : T;
        const fewer = customerLifetimeValue(model, { x, tx, T }, 5_000, options);
        const more = customerLifetimeValue(model, { x: x + 1, tx: T, T }, 5_000, options);
        expect(more.discountedTransactions).toBeGreaterThan(fewer.discountedTransactions);
      }),
    );
  });

  it('is zero for a customer the model believes gone (P(alive) = 0 to machine precision)', () => {
    // Twenty repeat purchases in the first week, then silent for three years.
    const summary = { x: 20, tx: 1, T: 156 };
    expect(bgNbdProbabilityAlive(model.params, summary)).toBeLessThan(1e-12);
    expect(customerLifetimeValue(model, summary, 1_000_000, options).valueMinor).toBe(0);
  });

  it('refuses a horizon that is not whole months and a margin share outside [0, 1]', () => {
    expect(() =>
      customerLifetimeValue(model, { x: 1, tx: 1, T: 2 }, 100, { ...options, horizonMonths: 1.5 }),
    ).toThrow(/horizon/);
    expect(() =>
      customerLifetimeValue(model, { x: 1, tx: 1, T: 2 }, 100, { ...options, marginShare: 2 }),
    ).toThrow(/margin share/);
  });
});
