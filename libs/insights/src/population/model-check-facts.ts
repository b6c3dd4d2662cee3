import {
  holdoutCustomerOf,
  summarizeBgNbd,
  type BgNbdSummary,
  type BgNbdTimeUnit,
  type HoldoutCustomer,
  type SpendSummary,
} from '@rapport/analytics';
import type { CustomerView } from '@rapport/projections';
import { customerValueFactsOf } from './customer-value';
import { purchasesUpTo } from './derive-customer-insights';

/** One customer's part in a model fit: BG/NBD summary, spend, and the holdout split if asked. */
export interface ModelFitFacts {
  readonly summary: BgNbdSummary;
  readonly spend: SpendSummary | null;
  readonly holdout?: HoldoutCustomer;
}

/**
 * What a fit as of `asOf` needs from one view. With `calibrationEnd`, the models are fitted on
 * the calibration period only (purchases up to it), and the purchases after it up to `asOf` are
 * the holdout. Null for a customer without a purchase in the (calibration) period.
 */
export function modelFitFactsOf(
  view: CustomerView,
  options: {
    readonly asOf: string;
    readonly unit: BgNbdTimeUnit;
    readonly currency: string;
    readonly windowMonths: number;
    readonly calibrationEnd?: string;
  },
): ModelFitFacts | null {
  const fitAsOf = options.calibrationEnd ?? options.asOf;
  const purchases = purchasesUpTo(view, options.asOf);
  const summary = summarizeBgNbd(purchases, { asOf: fitAsOf, unit: options.unit });
  if (!summary) return null;
  const { spend } = customerValueFactsOf(view, { ...options, asOf: fitAsOf });
  if (!options.calibrationEnd) return { summary, spend };
  const holdout = holdoutCustomerOf(purchases, {
    calibrationEnd: options.calibrationEnd,
    holdoutEnd: options.asOf,
    unit: options.unit,
  });
  return { summary, spend, ...(holdout ? { holdout } : {}) };
}
