import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CustomerView } from '@rapport/projections';
import type { ReadStore, StoredRecord } from '@rapport/read-store';
import type { DatedView } from './population';

/**
 * Turns the stored customer views, a page at a time in key order, into the views a computation
 * is to use: a caller that evaluates as of a log position gives back, in the same key order,
 * each view as of that position (a record the projector moved past it folded again, one a later
 * merge removed put back, one a later undo split off left out). The records may hold the whole
 * views or their dated part alone (the kept dated views): the results are computed from that
 * part, and each record's key, position and stale mark are there either way.
 */
export type ViewsAsOf = (
  stored: AsyncIterable<readonly StoredRecord<DatedView>[]>,
) => AsyncIterable<readonly DatedView[]>;

/**
 * Every stored view of `collection` with its record (key, position), `limit` a page, yielding
 * to the event loop between pages.
 */
export async function* storedViewPages(
  readStore: ReadStore,
  collection: string,
  limit: number,
): AsyncGenerator<readonly StoredRecord<CustomerView>[]> {
  let after: string | undefined;
  do {
    // Read-only: a copy of each view would be garbage by the next page.
    const page = await readStore.list<CustomerView>(collection, { after, limit, shared: true });
    yield page.records;
    after = page.next;
    await nextTurn();
  } while (after);
}

/** `map` of each view or record (what it maps to undefined left out), page by page. */
export async function* mappedViews<V, T>(
  pages: AsyncIterable<readonly V[]>,
  map: (view: V) => T | undefined,
): AsyncGenerator<T[]> {
  for await (const page of pages) {
    const mapped: T[] = [];
    for (const view of page) {
      const value = map(view);
      if (value !== undefined) mapped.push(value);
    }
    yield mapped;
  }
}
