import { type DateInput, toEpochMs, utcDayIndex } from '../shared/date-input';
import type { SpendSummary } from './gamma-gamma.types';

export interface SpendOrder {
  readonly purchasedAt: DateInput;
  /** Net value of the order in minor units of one currency (paid less cancelled). */
  readonly netMinor: number;
}

/**
 * A customer's spend summary by the textbook convention, matching BG/NBD's: the orders of one
 * UTC day are one transaction worth their sum; the first purchase day is the acquisition, not a
 * repeat; z̄ is the mean value of the x repeat days. Orders after `asOf` are ignored. Null
 * without any order on or before asOf.
 */
export function summarizeSpend(
  orders: readonly SpendOrder[],
  asOf: DateInput,
): SpendSummary | null {
  const asOfDay = utcDayIndex(toEpochMs(asOf));
  const byDay = new Map<number, number>();
  for (const order of orders) {
    const day = utcDayIndex(toEpochMs(order.purchasedAt));
    if (day <= asOfDay) byDay.set(day, (byDay.get(day) ?? 0) + order.netMinor);
  }
  if (byDay.size === 0) return null;
  const first = Math.min(...byDay.keys());
  let repeatTotal = 0;
  for (const [day, value] of byDay) if (day !== first) repeatTotal += value;
  const x = byDay.size - 1;
  return { x, meanSpend: x > 0 ? repeatTotal / x : 0 };
}
