import type { Money } from '@rapport/domain';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { type DateInput, subtractUtcMonths, toEpochMs } from '../shared/date-input';
import { assertMinorUnits } from '../shared/validate';

/** One order's revenue: what was paid, and what of it was cancelled when. */
export interface OrderRevenue {
  readonly purchasedAt: DateInput;
  readonly amount: Money;
  /** Whole or partial cancellations of this order, each at its own event time. */
  readonly cancellations: readonly { readonly occurredAt: DateInput; readonly amount: Money }[];
}

export interface TrailingWindowOptions {
  readonly asOf: DateInput;
  /** Calendar months back from asOf. Default 12. */
  readonly windowMonths?: number;
  /** The currency ranked on; movements in any other currency are an input error, because
   * minor units of different currencies cannot be added. */
  readonly currency: string;
}

/**
 * Net revenue of the orders placed in the window (asOf − windowMonths, asOf]: each order's
 * amount less what of it had been cancelled by asOf. Revenue belongs to the order's date, so a
 * cancellation reduces the order it cancels, where that order falls: an order bought before the
 * window and cancelled inside it takes nothing from the window, and the result is never
 * negative. An order never counts below zero (the decider refuses to cancel more than was
 * paid; this holds the sum to it all the same).
 */
export function trailingNetRevenue(
  orders: readonly OrderRevenue[],
  options: TrailingWindowOptions,
): number {
  const asOf = toEpochMs(options.asOf);
  const months = options.windowMonths ?? 12;
  if (!(Number.isInteger(months) && months > 0)) {
    throw new InvalidAnalyticsInputError('windowMonths must be a positive integer', { months });
  }
  const start = subtractUtcMonths(asOf, months);
  let net = 0;
  for (const order of orders) {
    const paid = minorIn(order.amount, options.currency);
    const at = toEpochMs(order.purchasedAt);
    if (at <= start || at > asOf) continue;
    let cancelled = 0;
    for (const cancellation of order.cancellations) {
      const amount = minorIn(cancellation.amount, options.currency);
      if (toEpochMs(cancellation.occurredAt) <= asOf) cancelled += amount;
    }
    net += Math.max(0, paid - cancelled);
  }
  return net;
}

/** Minor units of an amount in the ranked currency; other currencies cannot be added to it. */
function minorIn(amount: Money, currency: string): number {
  if (amount.currency !== currency) {
    throw new InvalidAnalyticsInputError(`amount in ${amount.currency}, expected ${currency}`, {
      currency: amount.currency,
      expected: currency,
    });
  }
  assertMinorUnits(amount.minor, 'amount');
  return amount.minor;
}
