import type { InsightsRow, RowList } from '@rapport/insights';
import { encodeCursor, type PageCursor } from './page-cursor';

export const SORT_KEYS = [
  'revenue',
  'risk',
  'valueAtRisk',
  'lastSeen',
  'clv',
  'netValue',
  'costToServe',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface RowFilter {
  readonly tier?: string;
  readonly segment?: string;
  readonly riskBand?: string;
  readonly minRiskBand?: 'medium' | 'high';
  readonly channel?: string;
  readonly lastSeenFrom?: string;
  readonly lastSeenTo?: string;
  /** Tier by predicted value (CLV). */
  readonly predictedTier?: string;
  /** CLV at least / at most (minor units); a customer without a CLV matches neither. */
  readonly clvFrom?: number;
  readonly clvTo?: number;
  /** Only customers whose predicted net value is negative (the de-selection list). */
  readonly negativeNetValue?: boolean;
  /** Only these customers (the members of the profile an identifier names). */
  readonly customerIds?: readonly string[];
}

/**
 * The cursor of the next page, absent on the last: `nextCursor`, the name every list answers,
 * and `next`, the deprecated alias the customers, at-risk and de-selection lists answered first.
 */
export interface NextPageCursor {
  readonly nextCursor?: string;
  /** @deprecated the same cursor as `nextCursor`, kept for clients written before it. */
  readonly next?: string;
}

export function nextPageCursor(cursor: string | undefined): NextPageCursor {
  return cursor ? { nextCursor: cursor, next: cursor } : {};
}

export interface RowsPage extends NextPageCursor {
  readonly items: readonly InsightsRow[];
  readonly total: number;
}

const SORT_VALUE: Record<SortKey, (row: InsightsRow) => number | string> = {
  revenue: (row) => row.revenueMinor,
  risk: (row) => row.riskScore,
  valueAtRisk: (row) => row.valueAtRiskMinor,
  // Never seen (only contacted) sorts as the earliest.
  lastSeen: (row) => row.lastSeenAt ?? '',
  // No CLV (not predictable) sorts below every CLV, as below any amount.
  clv: (row) => row.clvMinor ?? NO_AMOUNT,
  netValue: (row) => row.netValueMinor ?? NO_AMOUNT,
  costToServe: (row) => row.costToServeMinor ?? 0,
};

/** Below any amount: the sort value of a customer without one (a safe integer, for cursors). */
const NO_AMOUNT = Number.MIN_SAFE_INTEGER;

const BAND_RANK = { low: 0, medium: 1, high: 2 } as const;

export function matches(row: InsightsRow, filter: RowFilter): boolean {
  return (
    (!filter.tier || row.valueTier === filter.tier) &&
    (!filter.segment || row.segment === filter.segment) &&
    (!filter.riskBand || row.riskBand === filter.riskBand) &&
    (!filter.minRiskBand || BAND_RANK[row.riskBand] >= BAND_RANK[filter.minRiskBand]) &&
    (!filter.channel || (row.channels as readonly string[]).includes(filter.channel)) &&
    (!filter.lastSeenFrom || (row.lastSeenAt !== null && row.lastSeenAt >= filter.lastSeenFrom)) &&
    (!filter.lastSeenTo || (row.lastSeenAt !== null && row.lastSeenAt <= filter.lastSeenTo)) &&
    (!filter.predictedTier || (row.predictedTier ?? 'none') === filter.predictedTier) &&
    (filter.clvFrom === undefined || (row.clvMinor != null && row.clvMinor >= filter.clvFrom)) &&
    (filter.clvTo === undefined || (row.clvMinor != null && row.clvMinor <= filter.clvTo)) &&
    (!filter.negativeNetValue || (row.netValueMinor != null && row.netValueMinor < 0)) &&
    (!filter.customerIds || filter.customerIds.includes(row.customerId))
  );
}

export interface PageOptions {
  readonly sort: SortKey;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly after?: PageCursor;
  /** The version of the snapshot `ordered` comes from, for the next page's cursor. */
  readonly snapshotVersion: number;
}

/**
 * Rows of a snapshot in an order: the positions of its rows, read from it a row at a time. A
 * kept order holds four bytes a row, not the row objects (a snapshot holds its rows as
 * columns, and an order of a million row objects would hold them all again).
 */
export class OrderedRowList implements RowList {
  constructor(
    private readonly source: RowList,
    private readonly order: Uint32Array,
  ) {}

  get length(): number {
    return this.order.length;
  }

  at(index: number): InsightsRow | undefined {
    const k = index < 0 ? index + this.order.length : index;
    return k >= 0 && k < this.order.length ? this.source.at(this.order[k]) : undefined;
  }

  slice(from: number, to = this.order.length): InsightsRow[] {
    const rows: InsightsRow[] = [];
    for (let k = Math.max(0, from); k < Math.min(to, this.order.length); k++)
      rows.push(this.source.at(this.order[k])!);
    return rows;
  }

  map<T>(map: (row: InsightsRow) => T): T[] {
    return this.slice(0).map(map);
  }

  sum(of: (row: InsightsRow) => number): number {
    let sum = 0;
    for (let k = 0; k < this.order.length; k++) sum += of(this.source.at(this.order[k])!);
    return sum;
  }
}

/** Rows that pass the filter, ordered by the sort value, then customer id ascending for ties. */
export function orderRows(
  rows: RowList,
  filter: RowFilter,
  sort: SortKey,
  order: 'asc' | 'desc',
): OrderedRowList {
  const compare = comparator(order);
  const value = SORT_VALUE[sort];
  // Each row is read once: its position, sort value and id kept, the row itself let go.
  const positions: number[] = [];
  const values: Array<number | string> = [];
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i)!;
    if (!matches(row, filter)) continue;
    positions.push(i);
    values.push(value(row));
    ids.push(row.customerId);
  }
  const byOrder = new Uint32Array(positions.length);
  for (let k = 0; k < byOrder.length; k++) byOrder[k] = k;
  byOrder.sort((x, y) => compare(values[x], ids[x], values[y], ids[y]));
  for (let k = 0; k < byOrder.length; k++) byOrder[k] = positions[byOrder[k]];
  return new OrderedRowList(rows, byOrder);
}

/**
 * Cuts one page after the cursor from rows ordered by `orderRows` with the same sort and order.
 * Keyset paging: the cursor is a position in the order, not an offset, found by binary search.
 */
export function pageOrderedRows(
  ordered: RowList & Pick<InsightsRow[], 'slice'>,
  options: PageOptions,
): RowsPage {
  const value = SORT_VALUE[options.sort];
  const compare = comparator(options.order);
  const after = options.after;
  let from = 0;
  if (after) {
    let high = ordered.length;
    while (from < high) {
      const mid = (from + high) >>> 1;
      const row = ordered.at(mid)!;
      if (compare(value(row), row.customerId, after.value, after.id) > 0) high = mid;
      else from = mid + 1;
    }
  }
  const items = ordered.slice(from, from + options.limit);
  const last = items[items.length - 1];
  const more = from + options.limit < ordered.length;
  return {
    items,
    total: ordered.length,
    ...nextPageCursor(
      more && last
        ? encodeCursor({
            value: value(last),
            id: last.customerId,
            snapshotVersion: options.snapshotVersion,
          })
        : undefined,
    ),
  };
}

function comparator(order: 'asc' | 'desc') {
  const direction = order === 'asc' ? 1 : -1;
  return (x: number | string, xId: string, y: number | string, yId: string): number => {
    if (x !== y) return (x < y ? -1 : 1) * direction;
    return xId < yId ? -1 : xId > yId ? 1 : 0;
  };
}
