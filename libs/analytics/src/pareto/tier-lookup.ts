import type { CustomerRevenue, TierCutoff, TierCutoffs, ValueTier } from './pareto-tiers.types';

/** Ranking order: revenue descending, then customerId ascending (code-unit order). */
export function compareByRank(left: CustomerRevenue, right: CustomerRevenue): number {
  if (left.revenueMinor !== right.revenueMinor) return right.revenueMinor - left.revenueMinor;
  if (left.customerId === right.customerId) return 0;
  return left.customerId < right.customerId ? -1 : 1;
}

/**
 * A customer's tier from the population's cutoffs, without re-ranking anyone: O(1).
 * Exact for customers of the population the cutoffs came from. For a customer whose revenue
 * changed since, it answers as if the rest of the population (and its total) stood still —
 * good enough between recomputations, which is what the cutoffs are for.
 * With no cutoffs at all (nobody had revenue), positive revenue ranks first: tier A.
 */
export function assignValueTier(customer: CustomerRevenue, cutoffs: TierCutoffs): ValueTier {
  if (customer.revenueMinor <= 0) return 'none';
  if (cutoffs.a === null || ranksAtOrBefore(customer, cutoffs.a)) return 'A';
  if (cutoffs.b !== null && ranksAtOrBefore(customer, cutoffs.b)) return 'B';
  return 'C';
}

function ranksAtOrBefore(customer: CustomerRevenue, cutoff: TierCutoff): boolean {
  return (
    compareByRank(customer, { customerId: cutoff.customerId, revenueMinor: cutoff.revenueMinor }) <=
    0
  );
}
