import type { EventStore } from '@rapport/event-store';
import { datedViewOf, type DatedView, type ViewsAsOf } from '@rapport/insights';
import { evolveOrPark, readGroupHistories } from '@rapport/projector';
import {
  customerViewProjection,
  staleMarkOf,
  type CustomerView,
  type Projection,
} from '@rapport/projections';
import type { StoredRecord } from '@rapport/read-store';
import { byKey, type ChangesAfterCursor } from './changes-after-cursor';

const VIEW = customerViewProjection as Projection<unknown>;

/**
 * The customer views a population boundary is computed from, as of the ledger's cursor
 * whatever the projector's lag: the population as of `boundary`, counting only events up to
 * the cursor, with the profile partition as of it.
 *
 * A record not past the cursor is the profile as of it, taken as stored. A record past it is
 * taken as stored too unless its profile is due (see {@link ChangesAfterCursor.dueFor}), its
 * record holds events read after `changes` was (past `readTo`), or an event after the cursor
 * parked it: then the profile is folded from its member streams up to the cursor, with the
 * projector's own code. A due profile without a record now (a later merge absorbed it) is put
 * back in key order; a record of a customer absorbed as of the cursor (a later undo split it
 * off) is left out: its events are in its survivor's fold.
 */
export function viewsAsOfCursor(
  eventStore: EventStore,
  changes: ChangesAfterCursor,
  boundary: string,
): ViewsAsOf {
  const { partition, readUpTo, readTo } = changes;
  return async function* (stored) {
    const due = changes.dueFor(boundary);
    const refolded = await foldAsOf(eventStore, changes, due);
    let next = 0;
    for await (const page of stored) {
      const late = page
        .filter((r) => r.position > readUpTo && !refolded.has(partition.survivorOf(r.key)))
        .filter((r) => r.position > readTo || parkedAfter(r, readUpTo))
        .map((r) => partition.survivorOf(r.key));
      for (const [key, view] of await foldAsOf(eventStore, changes, late)) refolded.set(key, view);
      const views: DatedView[] = [];
      const putBack = (upTo: string) => {
        for (; next < due.length && byKey(due[next], upTo) < 0; next += 1) {
          const view = refolded.get(due[next]);
          if (view) views.push(view);
        }
      };
      for (const record of page) {
        putBack(record.key);
        if (due[next] === record.key) next += 1;
        if (record.position <= readUpTo) {
          views.push(record.value);
          continue;
        }
        const survivor = partition.survivorOf(record.key);
        if (!refolded.has(survivor)) views.push(record.value);
        else if (survivor === record.key) {
          const view = refolded.get(survivor);
          if (view) views.push(view);
        }
      }
      yield views;
    }
    const rest: DatedView[] = [];
    for (; next < due.length; next += 1) {
      const view = refolded.get(due[next]);
      if (view) rest.push(view);
    }
    if (rest.length) yield rest;
  };
}

/** A record the projector parked at an event after the cursor: as of the cursor it was not. */
function parkedAfter(record: StoredRecord<DatedView>, readUpTo: bigint): boolean {
  const stale = staleMarkOf(record.value);
  return stale !== undefined && BigInt(stale.position) > readUpTo;
}

/**
 * Each profile's view folded from its member streams' events up to the cursor (members as of
 * it), as the projector would have it there, cut to what an as-of computation reads; null when
 * it has none then. Folds kept at this cursor (by an earlier boundary) are not read again.
 */
async function foldAsOf(
  eventStore: EventStore,
  changes: ChangesAfterCursor,
  survivors: readonly string[],
): Promise<Map<string, DatedView | null>> {
  const folded = new Map<string, DatedView | null>();
  const missing: string[] = [];
  for (const survivor of new Set(survivors)) {
    const kept = changes.foldAsOfCursor(survivor);
    if (kept === undefined) missing.push(survivor);
    else folded.set(survivor, kept);
  }
  if (missing.length === 0) return folded;
  const histories = await readGroupHistories(eventStore, {
    // Histories are read strictly before a regroup's position: this takes the cursor in.
    position: changes.readUpTo + 1n,
    groups: missing.map((survivor) => ({
      survivor,
      members: changes.partition.membersOf(survivor),
    })),
    absorbed: [],
  });
  for (const { customerId, events, positions } of histories) {
    const view = evolveOrPark(VIEW, customerId, undefined, events, positions).record?.value as
      CustomerView | undefined;
    const dated = view ? datedViewOf(view) : null;
    changes.keepFold(customerId, dated);
    folded.set(customerId, dated);
  }
  return folded;
}
