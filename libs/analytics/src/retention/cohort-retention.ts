import { type DateInput, monthKey, toEpochMs, utcMonthIndex } from '../shared/date-input';
import type { CustomerPurchaseHistory } from './retention-rates';

export interface CohortRow {
  /** "YYYY-MM" (UTC) of the cohort's first purchases. */
  readonly cohort: string;
  readonly size: number;
  /** retainedCustomers[k]: cohort members who purchased in calendar month cohort + k.
   * Only months complete as of asOf are present: a month still running would read as a drop. */
  readonly retainedCustomers: readonly number[];
  /** retainedCustomers[k] / size; entry 0 is always 1. */
  readonly retentionRates: readonly number[];
}

export interface CohortRetentionTable {
  /** Oldest cohort first. */
  readonly cohorts: readonly CohortRow[];
  /** Longest row length − 1. */
  readonly maxMonthOffset: number;
  /** "YYYY-MM" of asOf's month when it is not over yet: it is left out of every row, and its
   * cohort (whose size is still growing) has no row. null when asOf is a month's last instant. */
  readonly partialMonth: string | null;
}

/**
 * Monthly cohort retention: a customer's cohort is the UTC month of their first purchase;
 * cell k is the share of the cohort that bought at least once in the k-th calendar month
 * after it. Purchases after asOf are ignored. Only calendar months complete as of asOf count:
 * the month asOf falls in, unless asOf is its last millisecond, is partial, and its share would
 * read as retention falling (a cohort's month 1 a week in against whole months elsewhere), so
 * it is left out of every row and its own cohort has none. `maxMonths` caps the row length
 * (default 24).
 */
export function computeCohortRetention(
  customers: Iterable<CustomerPurchaseHistory>,
  asOf: DateInput,
  maxMonths = 24,
): CohortRetentionTable {
  const asOfMs = toEpochMs(asOf);
  const asOfMonth = utcMonthIndex(asOfMs);
  // The month of the next millisecond: asOf's own month is over only if that is the next one.
  const lastCompleteMonth = utcMonthIndex(asOfMs + 1) - 1;
  const byCohort = new Map<number, { size: number; retained: number[] }>();
  for (const customer of customers) {
    const months = new Set<number>();
    for (const date of customer.purchaseDates) {
      const ms = toEpochMs(date);
      if (ms <= asOfMs) months.add(utcMonthIndex(ms));
    }
    if (months.size === 0) continue;
    const cohort = Math.min(...months);
    if (cohort > lastCompleteMonth) continue;
    const length = Math.min(lastCompleteMonth - cohort, maxMonths) + 1;
    const row = byCohort.get(cohort) ?? { size: 0, retained: new Array<number>(length).fill(0) };
    row.size++;
    for (const month of months) {
      const offset = month - cohort;
      if (offset < length) row.retained[offset]++;
    }
    byCohort.set(cohort, row);
  }
  const cohorts = [...byCohort.entries()]
    .sort(([x], [y]) => x - y)
    .map(([cohort, row]) => ({
      cohort: monthKey(cohort),
      size: row.size,
      retainedCustomers: row.retained,
      retentionRates: row.retained.map((count) => count / row.size),
    }));
  return {
    cohorts,
    maxMonthOffset: cohorts.reduce(
      (max, row) => Math.max(max, row.retainedCustomers.length - 1),
      0,
    ),
    partialMonth: lastCompleteMonth < asOfMonth ? monthKey(asOfMonth) : null,
  };
}
