import { Injectable } from '@nestjs/common';
import type { InsightsSnapshot } from '@rapport/insights';
import { orderRows, type OrderedRowList, type RowFilter, type SortKey } from './rows-page';

export interface OrderedRows {
  readonly rows: OrderedRowList;
  /** Summed over all the rows, for the at-risk list's total. */
  readonly totalValueAtRiskMinor: number;
}

/** Enough for the at-risk list's few filters and the orders analysts page through at once. */
const MAX_ORDERS = 16;

/**
 * Filtering and sorting a snapshot's rows (100,000 customers: tens of milliseconds) is done
 * once per snapshot, filter and order; each page request then only cuts its page. A snapshot
 * never changes once saved and a new version is a new object, so its orders are kept for as
 * long as the snapshot itself is held (the current one, and replaced ones that cursors still
 * page through), and the oldest order goes when one snapshot has too many.
 */
@Injectable()
export class OrderedRowsCache {
  private readonly bySnapshot = new WeakMap<InsightsSnapshot, Map<string, OrderedRows>>();

  of(
    snapshot: InsightsSnapshot,
    filter: RowFilter,
    sort: SortKey,
    order: 'asc' | 'desc',
  ): OrderedRows {
    let orders = this.bySnapshot.get(snapshot);
    if (!orders) {
      orders = new Map();
      this.bySnapshot.set(snapshot, orders);
    }
    const key = JSON.stringify([sort, order, criteriaOf(filter)]);
    let ordered = orders.get(key);
    if (!ordered) {
      const rows = orderRows(snapshot.rows, filter, sort, order);
      ordered = {
        rows,
        totalValueAtRiskMinor: rows.sum((row) => row.valueAtRiskMinor),
      };
      if (orders.size >= MAX_ORDERS) orders.delete(orders.keys().next().value!);
      orders.set(key, ordered);
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
