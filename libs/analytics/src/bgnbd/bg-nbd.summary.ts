import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { type DateInput, toEpochMs, utcDayIndex } from '../shared/date-input';
import { type BgNbdSummary, type BgNbdTimeUnit, TIME_UNIT_DAYS } from './bg-nbd.types';

export interface BgNbdSummaryOptions {
  readonly asOf: DateInput;
  readonly unit: BgNbdTimeUnit;
}

/**
 * A customer's (x, tₓ, T) from purchase instants (any order). Time is measured in whole UTC
 * calendar days, then converted to `unit`: the model counts purchase *days*, and whole days
 * make many customers share a triple, which is what keeps fitting a large base cheap.
 * Purchases after `asOf` have not happened yet as of `asOf` and are ignored.
 * Returns null when the customer has no purchase on or before `asOf` (not in the model).
 */
export function summarizeBgNbd(
  purchases: readonly DateInput[],
  options: BgNbdSummaryOptions,
): BgNbdSummary | null {
  const asOfDay = utcDayIndex(toEpochMs(options.asOf));
  const days = new Set<number>();
  for (const purchase of purchases) {
    const day = utcDayIndex(toEpochMs(purchase));
    if (day <= asOfDay) days.add(day);
  }
  if (days.size === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const day of days) {
    if (day < first) first = day;
    if (day > last) last = day;
  }
  const perUnit = TIME_UNIT_DAYS[options.unit];
  return { x: days.size - 1, tx: (last - first) / perUnit, T: (asOfDay - first) / perUnit };
}

/** Throws unless 0 ≤ tₓ ≤ T, x a non-negative integer, and tₓ = 0 when x = 0. */
export function assertValidSummary(summary: BgNbdSummary): void {
  const { x, tx, T } = summary;
  const valid =
    Number.isInteger(x) &&
    x >= 0 &&
    Number.isFinite(tx) &&
    Number.isFinite(T) &&
    tx >= 0 &&
    tx <= T &&
    (x > 0 || tx === 0);
  if (!valid) throw new InvalidAnalyticsInputError('invalid BG/NBD summary', { x, tx, T });
}
