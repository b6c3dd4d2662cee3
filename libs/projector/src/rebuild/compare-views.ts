import { setImmediate as nextTurn } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { ReadStore, StoredRecord } from '@rapport/read-store';

export interface ViewDifference {
  readonly key: string;
  readonly kind: 'missing-in-live' | 'missing-in-rebuilt' | 'position' | 'value';
  readonly live?: { readonly position: string; readonly value: unknown };
  readonly rebuilt?: { readonly position: string; readonly value: unknown };
}

export interface ViewComparison {
  readonly compared: number;
  readonly differing: number;
  /** Records that moved on during the comparison (ingestion continued): not judged. */
  readonly inFlight: number;
  /** The first differences, in key order. */
  readonly differences: readonly ViewDifference[];
}

export interface CompareOptions {
  /** Every event up to here is in the rebuilt view. */
  readonly rebuiltUpTo: bigint;
  /** Every event up to here is in the live view (its projector's checkpoint). */
  readonly liveUpTo: bigint;
  readonly maxListed?: number;
  readonly pageSize?: number;
}

/**
 * Walks both collections in key order (a merge join, a page at a time). A record counts as
 * different only where both views are complete: a position past what either side is known to
 * include means ingestion went on meanwhile, which is not a difference.
 */
export async function compareViews(
  readStore: Pick<ReadStore, 'list'>,
  live: string,
  rebuilt: string,
  options: CompareOptions,
): Promise<ViewComparison> {
  const settled = options.rebuiltUpTo < options.liveUpTo ? options.rebuiltUpTo : options.liveUpTo;
  const maxListed = options.maxListed ?? 10;
  const differences: ViewDifference[] = [];
  let compared = 0;
  let differing = 0;
  let inFlight = 0;
  const note = (difference: ViewDifference) => {
    differing += 1;
    if (differences.length < maxListed) differences.push(difference);
  };
  const liveRecords = records(readStore, live, options.pageSize ?? 1_000);
  const rebuiltRecords = records(readStore, rebuilt, options.pageSize ?? 1_000);
  let l = await liveRecords.next();
  let r = await rebuiltRecords.next();
  while (!l.done || !r.done) {
    const order = l.done
      ? 1
      : r.done
        ? -1
        : l.value.key < r.value.key
          ? -1
          : l.value.key > r.value.key
            ? 1
            : 0;
    if (order === 0) {
      const [a, b] = [l.value as StoredRecord<unknown>, r.value as StoredRecord<unknown>];
      compared += 1;
      if (a.position !== b.position) {
        if (a.position > settled || b.position > settled) inFlight += 1;
        else note({ key: a.key, kind: 'position', live: shown(a), rebuilt: shown(b) });
      } else if (!isDeepStrictEqual(a.value, b.value)) {
        note({ key: a.key, kind: 'value', live: shown(a), rebuilt: shown(b) });
      }
      l = await liveRecords.next();
      r = await rebuiltRecords.next();
    } else if (order < 0) {
      const a = l.value as StoredRecord<unknown>;
      if (a.position > settled) inFlight += 1;
      else note({ key: a.key, kind: 'missing-in-rebuilt', live: shown(a) });
      l = await liveRecords.next();
    } else {
      const b = r.value as StoredRecord<unknown>;
      if (b.position > settled) inFlight += 1;
      else note({ key: b.key, kind: 'missing-in-live', rebuilt: shown(b) });
      r = await rebuiltRecords.next();
    }
  }
  return { compared, differing, inFlight, differences };
}

async function* records(
  readStore: Pick<ReadStore, 'list'>,
  collection: string,
  limit: number,
): AsyncGenerator<StoredRecord<unknown>> {
  let after: string | undefined;
  do {
    // Read-only: shared records, not a copy of every view compared.
    const page = await readStore.list<unknown>(collection, { after, limit, shared: true });
    yield* page.records;
    after = page.next;
    // An in-memory store answers without I/O: let queries in between pages.
    await nextTurn();
  } while (after !== undefined);
}

function shown(record: StoredRecord<unknown>) {
  return { position: record.position.toString(), value: record.value };
}
