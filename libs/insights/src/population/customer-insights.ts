import type {
  BgNbdFitResult,
  ChurnReason,
  LifecycleResult,
  RiskBand,
  TierCutoffs,
  ValueTier,
} from '@rapport/analytics';
import type { CustomerValue, ValueModel } from './customer-value';

/**
 * The population-wide model a customer's insights are read against: recomputed from all
 * customer records (never summed incrementally), as of one instant.
 */
export interface InsightsModel {
  readonly asOf: string;
  /** Revenue is ranked in this currency; amounts in other currencies are not ranked. */
  readonly currency: string;
  readonly windowMonths: number;
  readonly cutoffs: TierCutoffs;
  /** null until enough customers have purchased to fit BG/NBD. */
  readonly fit: BgNbdFitResult | null;
  /** Horizon of `expectedPurchases`, in days. */
  readonly horizonDays: number;
  /** The spend model, CLV and cost settings, tiers by predicted value; absent in older snapshots. */
  readonly value?: ValueModel;
}

/** What Rapport concludes about one customer as of `asOf`: value, risk, lifecycle. */
export interface CustomerInsights {
  readonly asOf: string;
  readonly trailingRevenue: {
    readonly minor: number;
    readonly currency: string;
    readonly windowMonths: number;
  };
  readonly valueTier: ValueTier;
  /** BG/NBD probability that the customer is still active; null without a fitted model or purchases. */
  readonly probabilityAlive: number | null;
  /** BG/NBD expected purchases in the next `horizonDays`; null like probabilityAlive. */
  readonly expectedPurchases: { readonly horizonDays: number; readonly value: number } | null;
  readonly churn: {
    readonly score: number;
    readonly band: RiskBand;
    readonly churnProbability: number;
    readonly valueAtRiskMinor: number;
    readonly reasons: readonly ChurnReason[];
  };
  readonly segment: LifecycleResult;
  /** Predicted value (CLV) and cost to serve; null when the model carries no value part. */
  readonly value: CustomerValue | null;
}
