/** Value tier of a customer; 'none' = no positive net revenue in the window. */
export type ValueTier = 'A' | 'B' | 'C' | 'none';

export const VALUE_TIERS: readonly ValueTier[] = ['A', 'B', 'C', 'none'];

/** One customer's net revenue in the trailing window, integer minor units of one currency. */
export interface CustomerRevenue {
  readonly customerId: string;
  readonly revenueMinor: number;
}

export interface ParetoOptions {
  /** Cumulative revenue share tier A must reach. Default 0.8. */
  readonly tierAShare?: number;
  /** Cumulative revenue share tiers A + B must reach. Default 0.95. */
  readonly tierBShare?: number;
  /** Upper bound on Lorenz curve points (≥ 2). Default 101. */
  readonly maxLorenzPoints?: number;
}

/**
 * The last customer ranked into a tier. Ranking is revenue descending then customerId
 * ascending, so a (revenue, id) pair pins the boundary exactly even among equal revenues.
 */
export interface TierCutoff {
  readonly revenueMinor: number;
  readonly customerId: string;
}

export interface TierCutoffs {
  /** null when tier A is empty (no customer has positive revenue). */
  readonly a: TierCutoff | null;
  /** null when tier B is empty. */
  readonly b: TierCutoff | null;
}

export interface TierSummary {
  readonly count: number;
  readonly revenueMinor: number;
  /** Share of total revenue; 0 when the total is 0. For 'none' always 0. */
  readonly revenueShare: number;
  /** Lowest and highest revenue in the tier; null when the tier is empty. */
  readonly minRevenueMinor: number | null;
  readonly maxRevenueMinor: number | null;
}

export interface LorenzPoint {
  /** Cumulative share of customers, poorest first. */
  readonly customerShare: number;
  /** Cumulative share of revenue they hold. */
  readonly revenueShare: number;
}

export interface TierAssignment {
  readonly customerId: string;
  readonly revenueMinor: number;
  /** 1-based rank among customers with positive revenue; null for tier 'none'. */
  readonly rank: number | null;
  readonly tier: ValueTier;
}

export interface ParetoReport {
  /** Sum of positive net revenues (customers with zero or negative net revenue add nothing). */
  readonly totalRevenueMinor: number;
  readonly customers: number;
  /** Customers with positive revenue: the population the tiers split. */
  readonly customersWithRevenue: number;
  readonly tiers: Readonly<Record<ValueTier, TierSummary>>;
  readonly cutoffs: TierCutoffs;
  /** Tier A's count over customersWithRevenue: the share of customers carrying `tierAShare`
   * of revenue (≈ 0.2 under an 80/20 base, ≈ 0.8 under a uniform one). 0 when none. */
  readonly tierACustomerShare: number;
  /** Over customers with revenue ≥ 0 (zero-revenue customers included; negative excluded). */
  readonly lorenzCurve: readonly LorenzPoint[];
  /** Gini coefficient over the same population as the Lorenz curve; 0 when total is 0. */
  readonly gini: number;
  /** Every customer with its tier, ranked (tiered customers first, by rank). */
  readonly assignments: readonly TierAssignment[];
  readonly options: Required<ParetoOptions>;
}
