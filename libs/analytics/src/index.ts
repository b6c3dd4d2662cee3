// Public API of @rapport/analytics: plain data in, plain data out. No I/O, no clock, no
// randomness — time arrives as an `asOf` argument (ISO string or epoch ms).
export * from './shared/analytics.errors';
export {
  asOfInstant,
  endOfPlainDate,
  subtractUtcMonths,
  type DateInput,
} from './shared/date-input';
export { periodStartInstant } from './shared/period-start';

export * from './pareto/pareto-tiers.types';
export { computeParetoTiers, DEFAULT_PARETO_OPTIONS } from './pareto/pareto-tiers';
export {
  paretoSummaryOfColumns,
  rankedIndices,
  type ParetoSummary,
} from './pareto/pareto-tiers.columns';
export { assignValueTier, compareByRank } from './pareto/tier-lookup';
export { giniCoefficient, lorenzCurve } from './pareto/lorenz-gini';
export * from './pareto/trailing-net-revenue';

export * from './churn/churn-signals.types';
export { evaluateChurnSignals, DEFAULT_CHURN_RULE_OPTIONS } from './churn/churn-signals';
export { interPurchaseGapDays, populationMedianPurchaseGapDays } from './churn/inter-purchase-gaps';
export * from './churn/risk-score';

export * from './bgnbd/bg-nbd.types';
export { summarizeBgNbd } from './bgnbd/bg-nbd.summary';
export { summarizeNoPurchase } from './bgnbd/no-purchase.summary';
export { bgNbdLogLikelihood, bgNbdTotalLogLikelihood } from './bgnbd/bg-nbd.likelihood';
export { fitBgNbd, type BgNbdFitOptions } from './bgnbd/bg-nbd.fit';
export {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNewCustomer,
  bgNbdProbabilityAlive,
} from './bgnbd/bg-nbd.predict';

export * from './segments/lifecycle-segment';

export * from './retention/retention-rates';
export * from './retention/cohort-retention';

// Seeded randomness for simulations and demo data: pure, the caller passes the seed.
export * from './random/mulberry32';
export * from './random/random-distributions';
export * from './bgnbd/bg-nbd.holdout';

export * from './gamma-gamma/gamma-gamma.types';
export { fitGammaGamma, type GammaGammaFitOptions } from './gamma-gamma/gamma-gamma.fit';
export { gammaGammaLogLikelihood } from './gamma-gamma/gamma-gamma.likelihood';
export {
  gammaGammaExpectedSpend,
  gammaGammaPopulationMeanSpend,
} from './gamma-gamma/gamma-gamma.predict';
export { summarizeSpend, type SpendOrder } from './gamma-gamma/spend-summary';
export * from './clv/customer-lifetime-value';
export * from './cost-to-serve/cost-to-serve';
export * from './cost-to-serve/net-value';
