import type { InsightsRow } from './insights-rows';
import type { InsightsRows } from './insights-row-columns';

/**
 * The rows ranked as the lists serve them: revenue descending, then customer id. Sorted as
 * indices over a column of revenues, not as the row objects: the comparator then reads two
 * numbers from one typed array instead of fields scattered over a million objects, and the rows
 * are placed once at the end.
 */
export function inRankOrder(rows: readonly InsightsRow[]): InsightsRow[] {
  const revenue = new Float64Array(rows.length);
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    revenue[i] = rows[i].revenueMinor;
    order[i] = i;
  }
  order.sort(
    (x, y) => revenue[y] - revenue[x] || (rows[x].customerId < rows[y].customerId ? -1 : 1),
  );
  const ranked = new Array<InsightsRow>(rows.length);
  for (let i = 0; i < order.length; i++) ranked[i] = rows[order[i]];
  return ranked;
}

/** {@link inRankOrder} of rows held as columns: the same order, placed one column at a time. */
export function rankedRows(rows: InsightsRows): InsightsRows {
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[i] = i;
  order.sort(
    (x, y) =>
      rows.revenueMinorAt(y) - rows.revenueMinorAt(x) ||
      (rows.customerIdAt(x) < rows.customerIdAt(y) ? -1 : 1),
  );
  return rows.reordered(order);
}
