import { LIFECYCLE_SEGMENTS, type LifecycleSegment } from '@rapport/analytics';
import type { InsightsRow } from './insights-rows';

export interface SegmentFigures {
  readonly count: number;
  /** Of all customers in the snapshot. */
  readonly customerShare: number;
  /** Trailing-window net revenue, in the snapshot's currency. */
  readonly revenueMinor: number;
  /** Of the population's trailing-window revenue; 0 when there is none. */
  readonly revenueShare: number;
  readonly valueAtRiskMinor: number;
  /** Customers of the segment in the high risk band. */
  readonly highRisk: number;
}

export interface SegmentSummary {
  readonly customers: number;
  readonly totalRevenueMinor: number;
  readonly totalValueAtRiskMinor: number;
  /** Every lifecycle segment, in lifecycle order, including empty ones. */
  readonly segments: Readonly<Record<LifecycleSegment, SegmentFigures>>;
}

type SegmentRow = Pick<InsightsRow, 'segment' | 'revenueMinor' | 'valueAtRiskMinor' | 'riskBand'>;

/** Counts, revenue and value at risk per lifecycle segment: what /v1/tiers is for tiers. */
export function summarizeSegments(
  rows: Iterable<SegmentRow> & { readonly length: number },
): SegmentSummary {
  const sums = new Map<
    LifecycleSegment,
    { count: number; revenue: number; atRisk: number; high: number }
  >(LIFECYCLE_SEGMENTS.map((segment) => [segment, { count: 0, revenue: 0, atRisk: 0, high: 0 }]));
  let totalRevenue = 0;
  let totalAtRisk = 0;
  for (const row of rows) {
    const sum = sums.get(row.segment)!;
    sum.count += 1;
    sum.revenue += row.revenueMinor;
    sum.atRisk += row.valueAtRiskMinor;
    if (row.riskBand === 'high') sum.high += 1;
    totalRevenue += row.revenueMinor;
    totalAtRisk += row.valueAtRiskMinor;
  }
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  const segments = Object.fromEntries(
    LIFECYCLE_SEGMENTS.map((segment) => {
      const sum = sums.get(segment)!;
      const figures: SegmentFigures = {
        count: sum.count,
        customerShare: share(sum.count, rows.length),
        revenueMinor: sum.revenue,
        revenueShare: share(sum.revenue, totalRevenue),
        valueAtRiskMinor: sum.atRisk,
        highRisk: sum.high,
      };
      return [segment, figures];
    }),
  ) as Record<LifecycleSegment, SegmentFigures>;
  return {
    customers: rows.length,
    totalRevenueMinor: totalRevenue,
    totalValueAtRiskMinor: totalAtRisk,
    segments,
  };
}
