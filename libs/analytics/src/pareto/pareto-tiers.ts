import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { assertMinorUnits } from '../shared/validate';
import { giniCoefficient, lorenzCurve } from './lorenz-gini';
import type {
  CustomerRevenue,
  ParetoOptions,
  ParetoReport,
  TierAssignment,
  TierCutoff,
  TierSummary,
  ValueTier,
} from './pareto-tiers.types';
import { compareByRank } from './tier-lookup';

export const DEFAULT_PARETO_OPTIONS: Required<ParetoOptions> = {
  tierAShare: 0.8,
  tierBShare: 0.95,
  maxLorenzPoints: 101,
};

/**
 * Pareto value tiers over a customer base. Customers are ranked by revenue descending, ties
 * by customerId ascending. Tier A is the shortest ranked prefix whose cumulative revenue
 * reaches `tierAShare` of the total; B continues until `tierBShare`; C is every other customer
 * with positive revenue; customers with zero or negative net revenue get 'none'.
 * Nothing assumes 80/20: a uniform base puts ~80% of customers in A.
 * Pure and order-independent: the same customers in any order give the same report.
 */
export function computeParetoTiers(
  customers: readonly CustomerRevenue[],
  options: ParetoOptions = {},
): ParetoReport {
  const settings = resolveOptions(options);
  validateCustomers(customers);

  const ranked = [...customers].sort(compareByRank);
  const positive = ranked.filter((c) => c.revenueMinor > 0);
  let total = 0;
  for (const c of positive) total += c.revenueMinor;

  const tierOf = new Array<ValueTier>(positive.length);
  let cumulative = 0;
  let reachedA = false;
  let reachedB = false;
  for (let i = 0; i < positive.length; i++) {
    // A customer joins A while the revenue *before* them is short of the target: that makes
    // A the smallest prefix reaching it. Ratios are compared as divisions so that e.g.
    // 8/10 equals the literal 0.8 exactly.
    tierOf[i] = !reachedA ? 'A' : !reachedB ? 'B' : 'C';
    cumulative += positive[i].revenueMinor;
    if (!reachedA && cumulative / total >= settings.tierAShare) reachedA = true;
    if (reachedA && !reachedB && cumulative / total >= settings.tierBShare) reachedB = true;
  }

  const assignments: TierAssignment[] = positive.map((c, i) => ({
    customerId: c.customerId,
    revenueMinor: c.revenueMinor,
    rank: i + 1,
    tier: tierOf[i],
  }));
  for (const c of ranked) {
    if (c.revenueMinor <= 0) {
      assignments.push({
        customerId: c.customerId,
        revenueMinor: c.revenueMinor,
        rank: null,
        tier: 'none',
      });
    }
  }

  const tiers = {
    A: summarize(assignments, 'A', total),
    B: summarize(assignments, 'B', total),
    C: summarize(assignments, 'C', total),
    none: summarize(assignments, 'none', 0),
  };
  const nonNegativeAscending = ranked
    .filter((c) => c.revenueMinor >= 0)
    .map((c) => c.revenueMinor)
    .reverse();

  return {
    totalRevenueMinor: total,
    customers: customers.length,
    customersWithRevenue: positive.length,
    tiers,
    cutoffs: { a: lastOfTier(assignments, 'A'), b: lastOfTier(assignments, 'B') },
    tierACustomerShare: positive.length === 0 ? 0 : tiers.A.count / positive.length,
    lorenzCurve: lorenzCurve(nonNegativeAscending, settings.maxLorenzPoints),
    gini: giniCoefficient(nonNegativeAscending),
    assignments,
    options: settings,
  };
}

function summarize(
  assignments: readonly TierAssignment[],
  tier: ValueTier,
  total: number,
): TierSummary {
  let count = 0;
  let revenue = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const a of assignments) {
    if (a.tier !== tier) continue;
    count++;
    revenue += a.revenueMinor;
    min = min === null ? a.revenueMinor : Math.min(min, a.revenueMinor);
    max = max === null ? a.revenueMinor : Math.max(max, a.revenueMinor);
  }
  return {
    count,
    revenueMinor: revenue,
    revenueShare: total > 0 && tier !== 'none' ? revenue / total : 0,
    minRevenueMinor: min,
    maxRevenueMinor: max,
  };
}

function lastOfTier(assignments: readonly TierAssignment[], tier: ValueTier): TierCutoff | null {
  let last: TierAssignment | null = null;
  for (const a of assignments) if (a.tier === tier) last = a;
  return last === null ? null : { revenueMinor: last.revenueMinor, customerId: last.customerId };
}

export function resolveOptions(options: ParetoOptions): Required<ParetoOptions> {
  const settings = { ...DEFAULT_PARETO_OPTIONS, ...options };
  const { tierAShare, tierBShare, maxLorenzPoints } = settings;
  if (!(tierAShare > 0 && tierAShare <= tierBShare && tierBShare <= 1)) {
    throw new InvalidAnalyticsInputError('tier shares must satisfy 0 < A <= B <= 1', {
      tierAShare,
      tierBShare,
    });
  }
  if (!(Number.isInteger(maxLorenzPoints) && maxLorenzPoints >= 2)) {
    throw new InvalidAnalyticsInputError('maxLorenzPoints must be an integer >= 2', {
      maxLorenzPoints,
    });
  }
  return settings;
}

function validateCustomers(customers: readonly CustomerRevenue[]): void {
  const seen = new Set<string>();
  for (const c of customers) {
    assertMinorUnits(c.revenueMinor, `revenue of customer ${c.customerId}`);
    if (seen.has(c.customerId)) {
      throw new InvalidAnalyticsInputError(`customer ${c.customerId} appears twice`, {
        customerId: c.customerId,
      });
    }
    seen.add(c.customerId);
  }
}
