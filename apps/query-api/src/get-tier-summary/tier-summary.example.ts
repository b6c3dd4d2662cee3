/** What GET /v1/tiers answers, for the API documentation. */
export const TIER_SUMMARY_EXAMPLE = {
  asOf: '2026-11-27T12:00:00.000Z',
  currency: 'EUR',
  windowMonths: 12,
  snapshotVersion: 1795801069138,
  computedAt: '2026-11-27T12:00:01.204Z',
  by: 'revenue',
  totalRevenueMinor: 912_345_600,
  customers: 20_000,
  customersWithRevenue: 14_210,
  tiers: {
    A: {
      count: 3_104,
      revenueMinor: 729_876_480,
      revenueShare: 0.8,
      minRevenueMinor: 98_500,
      maxRevenueMinor: 4_120_000,
    },
    B: {
      count: 3_390,
      revenueMinor: 136_851_840,
      revenueShare: 0.15,
      minRevenueMinor: 24_100,
      maxRevenueMinor: 98_490,
    },
    C: {
      count: 7_716,
      revenueMinor: 45_617_280,
      revenueShare: 0.05,
      minRevenueMinor: 100,
      maxRevenueMinor: 24_090,
    },
    none: {
      count: 5_790,
      revenueMinor: 0,
      revenueShare: 0,
      minRevenueMinor: null,
      maxRevenueMinor: null,
    },
  },
  cutoffs: {
    a: { revenueMinor: 98_500, customerId: 'C-004211' },
    b: { revenueMinor: 24_100, customerId: 'C-017730' },
  },
  tierACustomerShare: 0.218,
  lorenzCurve: [
    { customerShare: 0, revenueShare: 0 },
    { customerShare: 0.5, revenueShare: 0.06 },
    { customerShare: 1, revenueShare: 1 },
  ],
  gini: 0.71,
  options: { tierAShare: 0.8, tierBShare: 0.95, maxLorenzPoints: 101 },
};
