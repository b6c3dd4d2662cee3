import type { InsightsRow } from '@rapport/projections';
import { encodeCursor, type PageCursor } from '../shared/page-cursor';

export const SORT_KEYS = ['revenue', 'risk', 'valueAtRisk', 'lastSeen'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface RowFilter {
  readonly tier?: string;
  readonly segment?: string;
  readonly riskBand?: string;
  readonly minRiskBand?: 'medium' | 'high';
  readonly channel?: string;
  readonly lastSeenFrom?: string;
  readonly lastSeenTo?: string;
}

export interface RowsPage {
  readonly items: readonly InsightsRow[];
  readonly total: number;
  readonly next?: string;
}

const SORT_VALUE: Record<SortKey, (row: InsightsRow) => number | string> = {
  revenue: (row) => row.revenueMinor,
  risk: (row) => row.riskScore,
  valueAtRisk: (row) => row.valueAtRiskMinor,
  lastSeen: (row) => row.lastSeenAt,
};

const BAND_RANK = { low: 0, medium: 1, high: 2 } as const;

export function matches(row: InsightsRow, filter: RowFilter): boolean {
  return (
    (!filter.tier || row.valueTier === filter.tier) &&
    (!filter.segment || row.segment === filter.segment) &&
    (!filter.riskBand || row.riskBand === filter.riskBand) &&
    (!filter.minRiskBand || BAND_RANK[row.riskBand] >= BAND_RANK[filter.minRiskBand]) &&
    (!filter.channel || (row.channels as readonly string[]).includes(filter.channel)) &&
    (!filter.lastSeenFrom || row.lastSeenAt >= filter.lastSeenFrom) &&
    (!filter.lastSeenTo || row.lastSeenAt <= filter.lastSeenTo)
  );
}

/**
 * Filters, orders (sort value, then customer id ascending for ties) and cuts one page after
 * the cursor. Keyset paging: the cursor is a position in the order, not an offset.
 */
export function pageRows(
  rows: readonly InsightsRow[],
  options: {
    filter: RowFilter;
    sort: SortKey;
    order: 'asc' | 'desc';
    limit: number;
    after?: PageCursor;
  },
): RowsPage {
  const value = SORT_VALUE[options.sort];
  const direction = options.order === 'asc' ? 1 : -1;
  const compare = (x: number | string, xId: string, y: number | string, yId: string): number => {
    if (x !== y) return (x < y ? -1 : 1) * direction;
    return xId < yId ? -1 : xId > yId ? 1 : 0;
  };
  const selected = rows.filter((row) => matches(row, options.filter));
  selected.sort((x, y) => compare(value(x), x.customerId, value(y), y.customerId));
  const after = options.after;
  const start = after
    ? selected.findIndex((row) => compare(value(row), row.customerId, after.value, after.id) > 0)
    : 0;
  const from = start < 0 ? selected.length : start;
  const items = selected.slice(from, from + options.limit);
  const last = items[items.length - 1];
  const more = from + options.limit < selected.length;
  return {
    items,
    total: selected.length,
    ...(more && last ? { next: encodeCursor({ value: value(last), id: last.customerId }) } : {}),
  };
}
