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
  const days = [...new Set(purchases.map((p) => utcDayIndex(toEpochMs(p))))]
    .filter((d) => d <= asOfDay)
    .sort((x, y) => x - y);
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push(days[i] - days[i - 1]);
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
