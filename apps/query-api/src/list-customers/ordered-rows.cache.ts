import { Injectable } from '@nestjs/common';
import type { InsightsSnapshot } from '@rapport/insights';
import type { InsightsRow } from '@rapport/projections';
import { orderRows, type RowFilter, type SortKey } from './rows-page';

export interface OrderedRows {
  readonly rows: readonly InsightsRow[];
  /** Summed over all the rows, for the at-risk list's total. */
  readonly totalValueAtRiskMinor: number;
}

/** Enough for the at-risk list's few filters and the orders analysts page through at once. */
const MAX_ORDERS = 16;

/**
 * Filtering and sorting a snapshot's rows (100,000 customers: tens of milliseconds) is done
 * once per snapshot, filter and order; each page request then only cuts its page. A snapshot
 * never changes once saved and a new version is a new object, so the orders are kept until
 * another snapshot is asked for, and the oldest order goes when there are too many.
 */
@Injectable()
export class OrderedRowsCache {
  private snapshot: InsightsSnapshot | undefined;
  private readonly orders = new Map<string, OrderedRows>();

  of(
    snapshot: InsightsSnapshot,
    filter: RowFilter,
    sort: SortKey,
    order: 'asc' | 'desc',
  ): OrderedRows {
    if (snapshot !== this.snapshot) {
      this.orders.clear();
      this.snapshot = snapshot;
    }
    const key = JSON.stringify([sort, order, criteriaOf(filter)]);
    let ordered = this.orders.get(key);
    if (!ordered) {
      const rows = orderRows(snapshot.rows, filter, sort, order);
      ordered = {
        rows,
        totalValueAtRiskMinor: rows.reduce((sum, row) => sum + row.valueAtRiskMinor, 0),
      };
      if (this.orders.size >= MAX_ORDERS) this.orders.delete(this.orders.keys().next().value!);
      this.orders.set(key, ordered);
    }
    return ordered;
  }
}

/** The criteria a filter sets, in name order: every field counts, including ones added later. */
function criteriaOf(filter: RowFilter): Array<[string, unknown]> {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : 1));
}
