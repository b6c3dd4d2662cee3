import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { assertMinorUnits } from '../shared/validate';
import { giniCoefficient, lorenzCurve } from './lorenz-gini';
import { resolveOptions } from './pareto-tiers';
import type {
  ParetoOptions,
  ParetoReport,
  TierCutoff,
  TierSummary,
  ValueTier,
} from './pareto-tiers.types';

/** The Pareto report without its per-customer assignments: what a population snapshot keeps. */
export type ParetoSummary = Omit<ParetoReport, 'assignments'>;

/**
 * The same report as computeParetoTiers (less the assignments) from two columns: customer ids
 * and their revenues, index for index. For a million customers: the ranking sorts indices over
 * the revenue column instead of a copy of the customer objects, and no assignment object is
 * made per customer; tiers and cutoffs are read off the ranked indices in one pass.
 * Pareto-tiers.columns.spec checks it equals computeParetoTiers on any base.
 */
export function paretoSummaryOfColumns(
  customerIds: readonly string[],
  revenueMinor: ArrayLike<number>,
  options: ParetoOptions = {},
): ParetoSummary {
  const settings = resolveOptions(options);
  const n = customerIds.length;
  if (revenueMinor.length !== n)
    throw new InvalidAnalyticsInputError('customer ids and revenues must be as many', {
      customers: n,
      revenues: revenueMinor.length,
    });
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    assertMinorUnits(revenueMinor[i], `revenue of customer ${customerIds[i]}`);
    if (seen.has(customerIds[i]))
      throw new InvalidAnalyticsInputError(`customer ${customerIds[i]} appears twice`, {
        customerId: customerIds[i],
      });
    seen.add(customerIds[i]);
  }
  seen.clear();
  const ranked = rankedIndices(customerIds, revenueMinor);

  // Ranked by revenue descending: the customers with revenue are a prefix.
  let positive = 0;
  let total = 0;
  while (positive < n && revenueMinor[ranked[positive]] > 0)
    total += revenueMinor[ranked[positive++]];

  const tiers = {
    A: new TierTally(),
    B: new TierTally(),
    C: new TierTally(),
    none: new TierTally(),
  };
  let lastA = -1;
  let lastB = -1;
  let cumulative = 0;
  let reachedA = false;
  let reachedB = false;
  for (let r = 0; r < positive; r++) {
    const i = ranked[r];
    // As computeParetoTiers: a customer joins A while the revenue before them is short of it.
    const tier: ValueTier = !reachedA ? 'A' : !reachedB ? 'B' : 'C';
    tiers[tier].add(revenueMinor[i]);
    if (tier === 'A') lastA = i;
    else if (tier === 'B') lastB = i;
    cumulative += revenueMinor[i];
    if (!reachedA && cumulative / total >= settings.tierAShare) reachedA = true;
    if (reachedA && !reachedB && cumulative / total >= settings.tierBShare) reachedB = true;
  }
  for (let r = positive; r < n; r++) tiers.none.add(revenueMinor[ranked[r]]);

  // Non-negative revenues, poorest first: the ranked order reversed, negatives (last) left out.
  let nonNegative = positive;
  while (nonNegative < n && revenueMinor[ranked[nonNegative]] >= 0) nonNegative++;
  const ascending = new Float64Array(nonNegative);
  for (let r = 0; r < nonNegative; r++) ascending[nonNegative - 1 - r] = revenueMinor[ranked[r]];

  const cutoff = (i: number): TierCutoff | null =>
    i < 0 ? null : { revenueMinor: revenueMinor[i], customerId: customerIds[i] };
  return {
    totalRevenueMinor: total,
    customers: n,
    customersWithRevenue: positive,
    tiers: {
      A: tiers.A.summary(total),
      B: tiers.B.summary(total),
      C: tiers.C.summary(total),
      none: tiers.none.summary(0),
    },
    cutoffs: { a: cutoff(lastA), b: cutoff(lastB) },
    tierACustomerShare: positive === 0 ? 0 : tiers.A.count / positive,
    lorenzCurve: lorenzCurve(ascending, settings.maxLorenzPoints),
    gini: giniCoefficient(ascending),
    options: settings,
  };
}

/**
 * Indices in ranking order, revenue descending then customer id ascending (code units), as
 * compareByRank orders customers.
 */
export function rankedIndices(
  customerIds: readonly string[],
  revenueMinor: ArrayLike<number>,
): Uint32Array {
  const order = new Uint32Array(customerIds.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort(
    (x, y) =>
      revenueMinor[y] - revenueMinor[x] ||
      (customerIds[x] < customerIds[y] ? -1 : customerIds[x] > customerIds[y] ? 1 : 0),
  );
}

/** One tier's count, revenue and range, added in ranking order as summarize() adds them. */
class TierTally {
  count = 0;
  private revenue = 0;
  private min: number | null = null;
  private max: number | null = null;

  add(revenueMinor: number): void {
    this.count++;
    this.revenue += revenueMinor;
    this.min = this.min === null ? revenueMinor : Math.min(this.min, revenueMinor);
    this.max = this.max === null ? revenueMinor : Math.max(this.max, revenueMinor);
  }

  /** `total`: the revenue shares are of; 0 gives shares of 0 (the 'none' tier). */
  summary(total: number): TierSummary {
    return {
      count: this.count,
      revenueMinor: this.revenue,
      revenueShare: total > 0 ? this.revenue / total : 0,
      minRevenueMinor: this.min,
      maxRevenueMinor: this.max,
    };
  }
}
