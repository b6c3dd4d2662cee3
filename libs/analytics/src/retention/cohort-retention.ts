import { type DateInput, monthKey, toEpochMs, utcMonthIndex } from '../shared/date-input';
import type { CustomerPurchaseHistory } from './retention-rates';

export interface CohortRow {
  /** "YYYY-MM" (UTC) of the cohort's first purchases. */
  readonly cohort: string;
  readonly size: number;
  /** retainedCustomers[k]: cohort members who purchased in calendar month cohort + k.
   * Only months up to asOf's month are present (that last month may be partial). */
  readonly retainedCustomers: readonly number[];
  /** retainedCustomers[k] / size; entry 0 is always 1. */
  readonly retentionRates: readonly number[];
}

export interface CohortRetentionTable {
  /** Oldest cohort first. */
  readonly cohorts: readonly CohortRow[];
  /** Longest row length − 1. */
  readonly maxMonthOffset: number;
}

/**
 * Monthly cohort retention: a customer's cohort is the UTC month of their first purchase;
 * cell k is the share of the cohort that bought at least once in the k-th calendar month
 * after it. Purchases after asOf are ignored. `maxMonths` caps the row length (default 24).
 */
export function computeCohortRetention(
  customers: readonly CustomerPurchaseHistory[],
  asOf: DateInput,
  maxMonths = 24,
): CohortRetentionTable {
  const asOfMonth = utcMonthIndex(toEpochMs(asOf));
  const asOfMs = toEpochMs(asOf);
  const byCohort = new Map<number, { size: number; retained: number[] }>();
  for (const customer of customers) {
    const months = new Set<number>();
    for (const date of customer.purchaseDates) {
      const ms = toEpochMs(date);
      if (ms <= asOfMs) months.add(utcMonthIndex(ms));
    }
    if (months.size === 0) continue;
    const cohort = Math.min(...months);
    const length = Math.min(asOfMonth - cohort, maxMonths) + 1;
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
  };
}
