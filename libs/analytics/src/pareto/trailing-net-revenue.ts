import type { Money } from '@rapport/domain';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { type DateInput, subtractUtcMonths, toEpochMs } from '../shared/date-input';
import { assertMinorUnits } from '../shared/validate';

/** A purchase adds its amount; a cancellation (whole or partial) subtracts what it cancelled. */
export interface RevenueMovement {
  readonly kind: 'purchase' | 'cancellation';
  readonly occurredAt: DateInput;
  readonly amount: Money;
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
 * Net revenue in the window (asOf − windowMonths, asOf], by event time: purchases minus
 * cancellations that happened in the window. A cancellation in the window of an order bought
 * before it still counts (revenue is lost now), so the result may be negative.
 */
export function trailingNetRevenue(
  movements: readonly RevenueMovement[],
  options: TrailingWindowOptions,
): number {
  const asOf = toEpochMs(options.asOf);
  const months = options.windowMonths ?? 12;
  if (!(Number.isInteger(months) && months > 0)) {
    throw new InvalidAnalyticsInputError('windowMonths must be a positive integer', { months });
  }
  const start = subtractUtcMonths(asOf, months);
  let net = 0;
  for (const movement of movements) {
    if (movement.amount.currency !== options.currency) {
      throw new InvalidAnalyticsInputError(
        `movement in ${movement.amount.currency}, expected ${options.currency}`,
        { currency: movement.amount.currency, expected: options.currency },
      );
    }
    assertMinorUnits(movement.amount.minor, 'amount');
    const at = toEpochMs(movement.occurredAt);
    if (at <= start || at > asOf) continue;
    net += signOf(movement.kind) * movement.amount.minor;
  }
  return net;
}

function signOf(kind: RevenueMovement['kind']): 1 | -1 {
  switch (kind) {
    case 'purchase':
      return 1;
    case 'cancellation':
      return -1;
    default: {
      const unknown: never = kind;
      throw new InvalidAnalyticsInputError(`unknown movement kind ${String(unknown)}`);
    }
  }
}
