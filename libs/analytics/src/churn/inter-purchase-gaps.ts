import { median } from '../math/median';
import { type DateInput, toEpochMs, utcDayIndex } from '../shared/date-input';

/**
 * Gaps in days between consecutive purchase *days*, in event-time order (input may be
 * unsorted). Several orders on one day are one purchase occasion: counting them as 0-day
 * gaps would drag the median to 0 and make everyone look overdue.
 * Purchases after `asOfMs` are ignored.
 */
export function interPurchaseGapDays(purchases: readonly DateInput[], asOfMs: number): number[] {
  const asOfDay = utcDayIndex(asOfMs);
  // A typed array sorts numerically in place, with no comparator, Set or intermediate arrays:
  // the customer view projection calls this for every customer with a purchase in a batch.
  const days = new Float64Array(purchases.length);
  let count = 0;
  for (const purchase of purchases) {
    const day = utcDayIndex(toEpochMs(purchase));
    if (day <= asOfDay) days[count++] = day;
  }
  const sorted = days.subarray(0, count).sort();
  const gaps: number[] = [];
  for (let i = 1; i < count; i++)
    if (sorted[i] !== sorted[i - 1]) gaps.push(sorted[i] - sorted[i - 1]);
  return gaps;
}

/** Median of every customer's gaps pooled together; null when nobody has a gap. */
export function populationMedianPurchaseGapDays(
  customers: readonly (readonly DateInput[])[],
  asOf: DateInput,
): number | null {
  const asOfMs = toEpochMs(asOf);
  return median(customers.flatMap((purchases) => interPurchaseGapDays(purchases, asOfMs)));
}
