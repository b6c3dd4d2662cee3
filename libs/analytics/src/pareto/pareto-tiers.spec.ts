import fc from 'fast-check';
import { computeParetoTiers } from './pareto-tiers';
import type { CustomerRevenue } from './pareto-tiers.types';
import { assignValueTier } from './tier-lookup';

const customer = (customerId: string, revenueMinor: number): CustomerRevenue => ({
  customerId,
  revenueMinor,
});

const TIER_ORDER = { A: 3, B: 2, C: 1, none: 0 } as const;

/** Unique ids, integer revenues including zero and negative nets. */
const customerBase = fc.uniqueArray(
  fc.record({
    customerId: fc.string({ minLength: 1, maxLength: 4 }),
    revenueMinor: fc.oneof(
      fc.integer({ min: -5000, max: 0 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(100, 250, 1000),
    ),
  }),
  { selector: (c) => c.customerId, maxLength: 80 },
);

describe('computeParetoTiers', () => {
  describe('when revenue is concentrated 80/20', () => {
    // 2 customers carry 800 of 1000; 8 share the remaining 200.
    const base = [
      customer('c01', 400),
      customer('c02', 400),
      ...Array.from({ length: 8 }, (_, i) => customer(`c1${i}`, 25)),
      customer('z-none', 0),
      customer('z-refund', -50),
    ];
    const report = computeParetoTiers(base);

    it('puts the smallest top set reaching 80% in A, then up to 95% in B, the rest in C', () => {
      expect(report.totalRevenueMinor).toBe(1000);
      expect(report.tiers.A).toEqual({
        count: 2,
        revenueMinor: 800,
        revenueShare: 0.8,
        minRevenueMinor: 400,
        maxRevenueMinor: 400,
      });
      expect(report.tiers.B.count).toBe(6); // 800 + 6·25 = 950
      expect(report.tiers.C.count).toBe(2);
      expect(report.tiers.none.count).toBe(2);
      expect(report.tierACustomerShare).toBeCloseTo(0.2, 12);
    });

    it('reports cutoffs as the last customer of A and of B, tie-broken by id', () => {
      expect(report.cutoffs.a).toEqual({ revenueMinor: 400, customerId: 'c02' });
      expect(report.cutoffs.b).toEqual({ revenueMinor: 25, customerId: 'c15' });
      const tierOf = new Map(report.assignments.map((a) => [a.customerId, a.tier]));
      expect(tierOf.get('c16')).toBe('C');
      expect(tierOf.get('z-refund')).toBe('none');
    });

    it('computes the Gini coefficient over customers with revenue ≥ 0 (zeros included)', () => {
      // Ascending: 0, 25×8, 400, 400 (n = 11); G = Σ(2i − n − 1)xᵢ / (n Σx).
      const values = [0, ...Array(8).fill(25), 400, 400];
      const n = values.length;
      const expected =
        values.reduce((sum, x, i) => sum + (2 * (i + 1) - n - 1) * x, 0) / (n * 1000);
      expect(report.gini).toBeCloseTo(expected, 12);
    });

    it('draws the Lorenz curve from (0,0) to (1,1) through every point when they fit', () => {
      expect(report.lorenzCurve).toHaveLength(12);
      expect(report.lorenzCurve[0]).toEqual({ customerShare: 0, revenueShare: 0 });
      expect(report.lorenzCurve[1]).toEqual({ customerShare: 1 / 11, revenueShare: 0 });
      expect(report.lorenzCurve[11]).toEqual({ customerShare: 1, revenueShare: 1 });
    });
  });

  describe('when revenue is uniform', () => {
    it('puts 80% of the customers in A, 15% in B and 5% in C', () => {
      const base = Array.from({ length: 100 }, (_, i) =>
        customer(`c${String(i).padStart(3, '0')}`, 1000),
      );
      const report = computeParetoTiers(base);
      expect([report.tiers.A.count, report.tiers.B.count, report.tiers.C.count]).toEqual([
        80, 15, 5,
      ]);
      expect(report.tierACustomerShare).toBe(0.8);
      expect(report.gini).toBe(0);
      expect(report.tiers.A.minRevenueMinor).toBe(1000);
    });
  });

  describe('when the base is large', () => {
    it('bounds the Lorenz curve to maxLorenzPoints, keeping both ends', () => {
      const base = Array.from({ length: 1000 }, (_, i) => customer(`c${i}`, (i % 97) + 1));
      const report = computeParetoTiers(base, { maxLorenzPoints: 51 });
      expect(report.lorenzCurve).toHaveLength(51);
      expect(report.lorenzCurve[0]).toEqual({ customerShare: 0, revenueShare: 0 });
      expect(report.lorenzCurve[50]).toEqual({ customerShare: 1, revenueShare: 1 });
      expect(computeParetoTiers(base).lorenzCurve).toHaveLength(101);
    });
  });

  describe('when nobody has revenue', () => {
    it('tiers nobody and reports an equality line and a zero Gini', () => {
      const report = computeParetoTiers([customer('a', 0), customer('b', -10)]);
      expect(report.totalRevenueMinor).toBe(0);
      expect(report.tiers.none.count).toBe(2);
      expect(report.cutoffs).toEqual({ a: null, b: null });
      expect(report.gini).toBe(0);
      expect(report.lorenzCurve).toEqual([
        { customerShare: 0, revenueShare: 0 },
        { customerShare: 1, revenueShare: 1 },
      ]);
      expect(computeParetoTiers([]).customers).toBe(0);
    });
  });

  it('honours configured thresholds', () => {
    const base = Array.from({ length: 10 }, (_, i) => customer(`c${i}`, 10));
    const report = computeParetoTiers(base, { tierAShare: 0.5, tierBShare: 0.9 });
    expect([report.tiers.A.count, report.tiers.B.count, report.tiers.C.count]).toEqual([5, 4, 1]);
  });

  it('refuses bad input', () => {
    expect(() => computeParetoTiers([customer('a', 1), customer('a', 2)])).toThrow(/twice/);
    expect(() => computeParetoTiers([customer('a', 1.5)])).toThrow(/minor units/);
    expect(() => computeParetoTiers([], { tierAShare: 0.96 })).toThrow(/tier shares/);
    expect(() => computeParetoTiers([], { maxLorenzPoints: 1 })).toThrow(/maxLorenzPoints/);
  });

  describe('laws', () => {
    it('tier revenue shares sum to 1 when there is revenue', () => {
      fc.assert(
        fc.property(customerBase, (base) => {
          const report = computeParetoTiers(base);
          fc.pre(report.totalRevenueMinor > 0);
          const sum =
            report.tiers.A.revenueShare + report.tiers.B.revenueShare + report.tiers.C.revenueShare;
          expect(sum).toBeCloseTo(1, 12);
          expect(report.tiers.A.revenueShare).toBeGreaterThanOrEqual(report.options.tierAShare);
        }),
      );
    });

    it('a customer only moves up (or stays) when their revenue rises and nothing else changes', () => {
      fc.assert(
        fc.property(
          customerBase,
          fc.nat(),
          fc.integer({ min: 1, max: 200_000 }),
          (base, pick, raise) => {
            fc.pre(base.length > 0);
            const index = pick % base.length;
            const before = computeParetoTiers(base);
            const raised = base.map((c, i) =>
              i === index ? { ...c, revenueMinor: c.revenueMinor + raise } : c,
            );
            const after = computeParetoTiers(raised);
            const id = base[index].customerId;
            const tierBefore = before.assignments.find((a) => a.customerId === id)!.tier;
            const tierAfter = after.assignments.find((a) => a.customerId === id)!.tier;
            expect(TIER_ORDER[tierAfter]).toBeGreaterThanOrEqual(TIER_ORDER[tierBefore]);
          },
        ),
      );
    });

    it('the Gini coefficient lies in [0, 1) and the Lorenz curve under the diagonal', () => {
      fc.assert(
        fc.property(customerBase, fc.integer({ min: 2, max: 30 }), (base, maxLorenzPoints) => {
          const report = computeParetoTiers(base, { maxLorenzPoints });
          expect(report.gini).toBeGreaterThanOrEqual(0);
          expect(report.gini).toBeLessThan(1);
          expect(report.lorenzCurve.length).toBeLessThanOrEqual(maxLorenzPoints);
          expect(report.lorenzCurve[0]).toEqual({ customerShare: 0, revenueShare: 0 });
          expect(report.lorenzCurve.at(-1)).toEqual({ customerShare: 1, revenueShare: 1 });
          for (const point of report.lorenzCurve) {
            expect(point.revenueShare).toBeLessThanOrEqual(point.customerShare + 1e-12);
          }
        }),
      );
    });

    it('results do not depend on input order', () => {
      fc.assert(
        fc.property(
          customerBase.chain((base) =>
            fc.tuple(
              fc.constant(base),
              fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }),
            ),
          ),
          ([base, shuffled]) => {
            expect(computeParetoTiers(shuffled)).toEqual(computeParetoTiers(base));
          },
        ),
      );
    });

    it('assignValueTier from the cutoffs agrees with the full ranking', () => {
      fc.assert(
        fc.property(customerBase, (base) => {
          const report = computeParetoTiers(base);
          for (const a of report.assignments) {
            expect(assignValueTier(a, report.cutoffs)).toBe(a.tier);
          }
        }),
      );
    });
  });
});
