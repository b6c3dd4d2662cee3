import type { InsightsSnapshot } from '@rapport/insights';
import type { InsightsRow } from '@rapport/insights';
import { decodeCursor } from './page-cursor';
import { OrderedRowsCache } from './ordered-rows.cache';
import { pageOrderedRows } from './rows-page';

function row(customerId: string, valueAtRiskMinor: number, riskBand = 'high'): InsightsRow {
  return { customerId, valueAtRiskMinor, riskBand, valueTier: 'A' } as unknown as InsightsRow;
}

function snapshot(version: number, rows: InsightsRow[]): InsightsSnapshot {
  return { version, rows } as unknown as InsightsSnapshot;
}

const atRisk = { minRiskBand: 'medium' } as const;

describe('ordered rows of a snapshot', () => {
  const rows = [row('C-1', 10), row('C-2', 30), row('C-3', 10), row('C-4', 99, 'low')];

  it('orders the rows that pass the filter (ties by customer id) and sums the value at risk', () => {
    const ordered = new OrderedRowsCache().of(snapshot(1, rows), atRisk, 'valueAtRisk', 'desc');
    expect(ordered.rows.map((r) => r.customerId)).toEqual(['C-2', 'C-1', 'C-3']);
    expect(ordered.totalValueAtRiskMinor).toBe(50);
  });

  describe('when the same snapshot is asked again', () => {
    it('answers the order it kept', () => {
      const cache = new OrderedRowsCache();
      const first = cache.of(snapshot(1, rows), atRisk, 'valueAtRisk', 'desc');
      const current = snapshot(1, rows);
      const kept = cache.of(current, atRisk, 'valueAtRisk', 'desc');
      expect(cache.of(current, { ...atRisk }, 'valueAtRisk', 'desc')).toBe(kept);
      expect(kept.rows).toEqual(first.rows);
      expect(cache.of(current, atRisk, 'valueAtRisk', 'asc')).not.toBe(kept);
    });
  });

  describe('when the snapshot version changes', () => {
    it('orders the new snapshot rows', () => {
      const cache = new OrderedRowsCache();
      cache.of(snapshot(1, rows), atRisk, 'valueAtRisk', 'desc');
      const next = cache.of(
        snapshot(2, [row('C-1', 5), row('C-9', 70)]),
        atRisk,
        'valueAtRisk',
        'desc',
      );
      expect(next.rows.map((r) => r.customerId)).toEqual(['C-9', 'C-1']);
      expect(next.totalValueAtRiskMinor).toBe(75);
    });
  });
});

describe('a page of ordered rows', () => {
  const ordered = new OrderedRowsCache().of(
    snapshot(1, [row('C-1', 10), row('C-2', 30), row('C-3', 10), row('C-4', 20), row('C-5', 5)]),
    {},
    'valueAtRisk',
    'desc',
  ).rows;
  const options = { sort: 'valueAtRisk', order: 'desc', limit: 2, snapshotVersion: 1 } as const;

  it('walks every row once, page by page, after each cursor', () => {
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = pageOrderedRows(ordered, { ...options, after: decodeCursor(next) });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((r) => r.customerId));
      next = page.nextCursor;
    } while (next);
    expect(seen).toEqual(['C-2', 'C-4', 'C-1', 'C-3', 'C-5']);
  });

  it('starts after a cursor whose row has gone', () => {
    const page = pageOrderedRows(ordered, { ...options, after: { value: 15, id: 'C-0' } });
    expect(page.items.map((r) => r.customerId)).toEqual(['C-1', 'C-3']);
  });
});
