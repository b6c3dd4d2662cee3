import { customerStreamName } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import type { Projection } from '@rapport/projections';
import type { ReadStore, StoredRecord } from '@rapport/read-store';
import { evolveOrPark, type ProjectorEvent } from '../parking/evolve-or-park';
import { parkedCollection, type ParkedCustomer } from '../parking/parked-customers';
import type { Regroup } from './profile-partition';
import { readProjectorEvent, type CustomerEvents } from './route-batch';

/**
 * Every event before a regroup of each of its groups' member streams, merged in global
 * position order: what each group's record is folded from again. Read once per regroup and
 * shared by every projection.
 */
export async function readGroupHistories(
  store: Pick<EventStore, 'readStream'>,
  regroup: Regroup,
): Promise<CustomerEvents[]> {
  return Promise.all(
    regroup.groups.map(async ({ survivor, members }) => {
      const streams = await Promise.all(
        members.map((member) => store.readStream(customerStreamName(member))),
      );
      const recorded = streams
        .flat()
        .filter((event) => event.position < regroup.position)
        .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
      const events: ProjectorEvent[] = [];
      const positions: bigint[] = [];
      for (const one of recorded) {
        const event = readProjectorEvent(one);
        if (!event) continue;
        events.push(event);
        positions.push(one.position);
      }
      return { customerId: survivor, events, positions };
    }),
  );
}

/** What a regroup writes to one projection's view and to its list of parked customers. */
export interface RefoldOutcome {
  /** Each group's record folded again, at the regroup's position. */
  readonly records: StoredRecord<unknown>[];
  /** Records no group holds any more: absorbed customers, and groups with no event handled. */
  readonly removed: string[];
  /** Groups their history parks, listed at the regroup's position. */
  readonly parked: StoredRecord<ParkedCustomer>[];
  /** Customers no longer parked (absorbed, or the poison event went with the other side). */
  readonly unparked: string[];
}

/**
 * Folds each group's history from the projection's initial state, as if its member streams
 * had always been one: so after an undo each side is what it would be had the merge never
 * happened, and a rebuild gives what live gave. Written at the regroup's position, beyond
 * anything stored for these keys before it, so the store's position guard lets it replace them.
 */
export function refoldGroups(
  projection: Projection<unknown>,
  regroup: Regroup,
  histories: readonly CustomerEvents[],
): RefoldOutcome {
  const outcome: RefoldOutcome = { records: [], removed: [], parked: [], unparked: [] };
  const position = regroup.position;
  for (const { customerId, events, positions } of histories) {
    const folded = evolveOrPark(projection, customerId, undefined, events, positions);
    if (folded.record)
      outcome.records.push({ key: customerId, position, value: folded.record.value });
    else outcome.removed.push(customerId);
    if (folded.parked) outcome.parked.push({ key: customerId, position, value: folded.parked });
    else outcome.unparked.push(customerId);
  }
  for (const customerId of regroup.absorbed) {
    outcome.removed.push(customerId);
    outcome.unparked.push(customerId);
  }
  return outcome;
}

/**
 * A regroup's writes to one view: the parked list first (as for a batch: a crash between the
 * two lists it again on restart, never leaves it unlisted), then the records, then removals.
 */
export async function writeRefold(
  readStore: ReadStore,
  collection: string,
  outcome: RefoldOutcome,
): Promise<void> {
  const parked = parkedCollection(collection);
  if (outcome.unparked.length) await readStore.deleteMany(parked, outcome.unparked);
  if (outcome.parked.length) await readStore.putMany(parked, outcome.parked);
  if (outcome.records.length) await readStore.putMany(collection, outcome.records);
  if (outcome.removed.length) await readStore.deleteMany(collection, outcome.removed);
}
