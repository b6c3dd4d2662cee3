import fc from 'fast-check';
import { LIFECYCLE_SEGMENTS } from '@rapport/analytics';
import { summarizeSegments } from './segment-summary';

const row = fc.record({
  segment: fc.constantFrom(...LIFECYCLE_SEGMENTS),
  revenueMinor: fc.integer({ min: 0, max: 10_000_000 }),
  valueAtRiskMinor: fc.integer({ min: 0, max: 10_000_000 }),
  riskBand: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
});

describe('summarizeSegments', () => {
  describe('given customers in some segments', () => {
    it('sums count, revenue, value at risk and high-risk customers per segment', () => {
      const summary = summarizeSegments([
        { segment: 'active_value', revenueMinor: 9_000, valueAtRiskMinor: 900, riskBand: 'low' },
        { segment: 'active_value', revenueMinor: 3_000, valueAtRiskMinor: 100, riskBand: 'high' },
        { segment: 'dormant', revenueMinor: 0, valueAtRiskMinor: 0, riskBand: 'high' },
        { segment: 'migrating', revenueMinor: 3_000, valueAtRiskMinor: 2_500, riskBand: 'high' },
      ]);
      expect(summary).toMatchObject({
        customers: 4,
        totalRevenueMinor: 15_000,
        totalValueAtRiskMinor: 3_500,
      });
      expect(summary.segments.active_value).toEqual({
        count: 2,
        customerShare: 0.5,
        revenueMinor: 12_000,
        revenueShare: 0.8,
        valueAtRiskMinor: 1_000,
        highRisk: 1,
      });
      expect(summary.segments.new).toEqual({
        count: 0,
        customerShare: 0,
        revenueMinor: 0,
        revenueShare: 0,
        valueAtRiskMinor: 0,
        highRisk: 0,
      });
      expect(Object.keys(summary.segments)).toEqual([...LIFECYCLE_SEGMENTS]);
    });
  });

  describe('for any population', () => {
    it('counts every customer once and its shares add up to 1 (or 0 with nothing to share)', () => {
      fc.assert(
        fc.property(fc.array(row, { maxLength: 200 }), (rows) => {
          const summary = summarizeSegments(rows);
          const figures = Object.values(summary.segments);
          expect(figures.reduce((n, f) => n + f.count, 0)).toBe(rows.length);
          const customerShares = figures.reduce((n, f) => n + f.customerShare, 0);
          expect(customerShares).toBeCloseTo(rows.length ? 1 : 0, 9);
          const revenueShares = figures.reduce((n, f) => n + f.revenueShare, 0);
          expect(revenueShares).toBeCloseTo(summary.totalRevenueMinor > 0 ? 1 : 0, 9);
        }),
      );
    });
  });
});
