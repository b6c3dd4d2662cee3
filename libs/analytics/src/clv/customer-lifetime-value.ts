import { bgNbdExpectedPurchases } from '../bgnbd/bg-nbd.predict';
import {
  type BgNbdParams,
  type BgNbdSummary,
  type BgNbdTimeUnit,
  TIME_UNIT_DAYS,
} from '../bgnbd/bg-nbd.types';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';

/** A calendar month on average (365.25 / 12 days): the unit of the horizon and the discounting. */
export const DAYS_PER_MONTH = 30.4375;

export interface ClvOptions {
  /** How far ahead value is counted, in months (default 12). */
  readonly horizonMonths: number;
  /** Discount rate per month, e.g. 0.01 (default). */
  readonly monthlyDiscountRate: number;
  /** Share of spend that is margin, in [0, 1]. */
  readonly marginShare: number;
}

export interface ClvResult {
  /** Expected discounted margin over the horizon, in whole minor units. */
  readonly valueMinor: number;
  /** Expected transactions (purchase days) over the horizon, undiscounted. */
  readonly expectedTransactions: number;
  /** Expected transactions, each discounted to today by the month it falls in. */
  readonly discountedTransactions: number;
  /** Expected value of one transaction, minor units (Gamma-Gamma E[Z | z̄, x]). */
  readonly expectedSpendMinor: number;
}

/**
 * Customer lifetime value by the discrete approximation of Fader, Hardie & Lee (2005, "RFM and
 * CLV", §5): for each month m of the horizon, the BG/NBD expected transactions falling in it,
 * E[Y(m) | x, tₓ, T] − E[Y(m−1) | x, tₓ, T], times the expected spend per transaction and the
 * margin share, discounted by (1 + d)^m. E[Y] carries P(alive) as a factor, so a customer
 * believed gone is worth nothing whatever they spent.
 */
export function customerLifetimeValue(
  model: { readonly params: BgNbdParams; readonly unit: BgNbdTimeUnit },
  summary: BgNbdSummary,
  expectedSpendMinor: number,
  options: ClvOptions,
): ClvResult {
  const { horizonMonths, monthlyDiscountRate, marginShare } = options;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1 || horizonMonths > 600)
    throw new InvalidAnalyticsInputError('CLV horizon must be 1 to 600 whole months', {
      horizonMonths,
    });
  if (!(monthlyDiscountRate >= 0) || !(marginShare >= 0 && marginShare <= 1))
    throw new InvalidAnalyticsInputError(
      'CLV needs a discount rate ≥ 0 and a margin share in [0, 1]',
      {
        monthlyDiscountRate,
        marginShare,
      },
    );
  if (!(expectedSpendMinor >= 0) || !Number.isFinite(expectedSpendMinor))
    throw new InvalidAnalyticsInputError('expected spend must be finite and ≥ 0', {
      expectedSpendMinor,
    });
  const monthInUnits = DAYS_PER_MONTH / TIME_UNIT_DAYS[model.unit];
  let before = 0;
  let discounted = 0;
  for (let month = 1; month <= horizonMonths; month++) {
    const upTo = bgNbdExpectedPurchases(model.params, summary, month * monthInUnits);
    discounted += Math.max(0, upTo - before) / Math.pow(1 + monthlyDiscountRate, month);
    before = upTo;
  }
  return {
    valueMinor: Math.round(discounted * expectedSpendMinor * marginShare),
    expectedTransactions: before,
    discountedTransactions: discounted,
    expectedSpendMinor,
  };
}
