import type { InsightsRow } from '@rapport/insights';
import { nextPageCursor, pageOrderedRows } from './rows-page';

function row(customerId: string, revenueMinor: number): InsightsRow {
  return { customerId, revenueMinor } as unknown as InsightsRow;
}

describe('the next page cursor of a rows page', () => {
  const ordered = [row('C-1', 30), row('C-2', 20), row('C-3', 10)];
  const options = { sort: 'revenue', order: 'desc', limit: 2, snapshotVersion: 1 } as const;

  it('is answered as nextCursor and, for older clients, as next with the same value', () => {
    const page = pageOrderedRows(ordered, options);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(page.next).toBe(page.nextCursor);
  });

  it('is absent under both names on the last page', () => {
    const page = pageOrderedRows(ordered, { ...options, limit: 3 });
    expect(page).not.toHaveProperty('nextCursor');
    expect(page).not.toHaveProperty('next');
    expect(nextPageCursor(undefined)).toEqual({});
  });
});
