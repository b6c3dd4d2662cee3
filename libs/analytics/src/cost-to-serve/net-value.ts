import type { ClvOptions } from '../clv/customer-lifetime-value';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import type { CostToServe } from './cost-to-serve';

export interface NetValue {
  /** Expected cost to serve over the CLV horizon, discounted like the CLV. */
  readonly predictedCostMinor: number;
  /** CLV less the predicted cost to serve; negative: the customer costs more than they bring. */
  readonly netValueMinor: number;
}

/**
 * A customer's predicted net value: CLV less what serving them is expected to cost over the
 * same horizon. The expected cost assumes they keep using service as in the trailing window
 * (its monthly rate) for as long as they are alive: rate × P(alive) × Σₘ 1/(1+d)^m. A
 * customer the model does not cover (P(alive) unknown) is taken as alive: they are being served.
 */
export function predictedNetValue(input: {
  readonly clvMinor: number;
  readonly trailingCost: CostToServe;
  readonly windowMonths: number;
  readonly probabilityAlive: number | null;
  readonly options: Pick<ClvOptions, 'horizonMonths' | 'monthlyDiscountRate'>;
}): NetValue {
  const { clvMinor, trailingCost, windowMonths, probabilityAlive, options } = input;
  if (!(windowMonths > 0))
    throw new InvalidAnalyticsInputError('the cost window must be longer than 0 months', {
      windowMonths,
    });
  let discountedMonths = 0;
  for (let month = 1; month <= options.horizonMonths; month++)
    discountedMonths += 1 / Math.pow(1 + options.monthlyDiscountRate, month);
  const monthlyCost = trailingCost.totalMinor / windowMonths;
  const predictedCostMinor = Math.round(monthlyCost * (probabilityAlive ?? 1) * discountedMonths);
  return { predictedCostMinor, netValueMinor: clvMinor - predictedCostMinor };
}
