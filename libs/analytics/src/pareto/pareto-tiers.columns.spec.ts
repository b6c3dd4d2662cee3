import fc from 'fast-check';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { computeParetoTiers } from './pareto-tiers';
import { paretoSummaryOfColumns, rankedIndices } from './pareto-tiers.columns';
import type { CustomerRevenue } from './pareto-tiers.types';
import { compareByRank } from './tier-lookup';

/** Unique ids (ties of revenue broken by them), zero and negative nets, repeated amounts. */
const customerBase = fc.uniqueArray(
  fc.record({
    customerId: fc.string({ minLength: 1, maxLength: 4 }),
    revenueMinor: fc.oneof(
      fc.integer({ min: -5000, max: 0 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(0, 100, 250, 1000),
    ),
  }),
  { selector: (c) => c.customerId, maxLength: 120 },
);

const shares = fc.oneof(
  // The defaults, which round amounts reach exactly (a cumulative share equal to the target).
  fc.constant({ tierAShare: 0.8, tierBShare: 0.95 }),
  fc
    .tuple(
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([a, extra]) => ({ tierAShare: a, tierBShare: a + (1 - a) * extra })),
);

function columnsOf(base: readonly CustomerRevenue[]) {
  return {
    ids: base.map((c) => c.customerId),
    revenue: Float64Array.from(base, (c) => c.revenueMinor),
  };
}

describe('paretoSummaryOfColumns', () => {
  it('gives the report computeParetoTiers gives, less the assignments, for any base and shares', () => {
    fc.assert(
      fc.property(customerBase, shares, fc.integer({ min: 2, max: 12 }), (base, share, points) => {
        const options = { ...share, maxLorenzPoints: points };
        const { assignments: _assignments, ...expected } = computeParetoTiers(base, options);
        const { ids, revenue } = columnsOf(base);
        expect(paretoSummaryOfColumns(ids, revenue, options)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('puts the customer whose revenue reaches the share exactly in the tier it completes', () => {
    // 400 + 400 of 1,000 is 80 % exactly: A is those two; B runs to 950 (95 %), C the rest.
    const base = [
      { customerId: 'c01', revenueMinor: 400 },
      { customerId: 'c02', revenueMinor: 400 },
      ...Array.from({ length: 8 }, (_, i) => ({ customerId: `c1${i}`, revenueMinor: 25 })),
      { customerId: 'z-none', revenueMinor: 0 },
      { customerId: 'z-refund', revenueMinor: -50 },
    ];
    const { ids, revenue } = columnsOf(base);
    const summary = paretoSummaryOfColumns(ids, revenue);
    expect([summary.tiers.A.count, summary.tiers.B.count, summary.tiers.C.count]).toEqual([
      2, 6, 2,
    ]);
    expect(summary.tiers.none).toEqual({
      count: 2,
      revenueMinor: -50,
      revenueShare: 0,
      minRevenueMinor: -50,
      maxRevenueMinor: 0,
    });
    expect(summary.cutoffs).toEqual({
      a: { revenueMinor: 400, customerId: 'c02' },
      b: { revenueMinor: 25, customerId: 'c15' },
    });
  });

  it('ranks indices as compareByRank ranks customers', () => {
    fc.assert(
      fc.property(customerBase, (base) => {
        const { ids, revenue } = columnsOf(base);
        const ranked = [...rankedIndices(ids, revenue)].map((i) => base[i]);
        expect(ranked).toEqual([...base].sort(compareByRank));
      }),
    );
  });

  describe('when the columns are not a valid base', () => {
    it('names a customer who appears twice', () => {
      expect(() => paretoSummaryOfColumns(['c1', 'c1'], [5, 7])).toThrow(
        new InvalidAnalyticsInputError('customer c1 appears twice', { customerId: 'c1' }),
      );
    });

    it('names a customer whose revenue is not integer minor units', () => {
      expect(() => paretoSummaryOfColumns(['c1', 'c2'], [5, 7.5])).toThrow(
        'revenue of customer c2 must be an integer in minor units',
      );
    });

    it('refuses columns of different lengths', () => {
      expect(() => paretoSummaryOfColumns(['c1', 'c2'], [5])).toThrow(
        'customer ids and revenues must be as many',
      );
    });
  });
});
