import type { EventStore } from '@rapport/event-store';
import { currentProfileOf } from './current-profile';
import {
  CustomerNotFoundError,
  eraseCustomer,
  type ErasureOutcome,
  type ErasureRequest,
} from './customer-erasure';

type OnStep = Parameters<typeof eraseCustomer>[3];

/** A profile's erasure: every member customer's, summed up as one customer's would be. */
export interface ProfileErasureOutcome extends ErasureOutcome {
  /** Each member customer erased (the profile's customer streams), in id order. */
  readonly members: readonly ErasureOutcome[];
}

/**
 * The customers of the profile `customerId` belongs to now (itself alone if never merged):
 * folded from the identity graph stream, so it is the partition every view follows.
 */
export async function profileMembersOf(
  eventStore: Pick<EventStore, 'readStream'>,
  customerId: string,
): Promise<readonly string[]> {
  return (await currentProfileOf(eventStore, customerId)).members;
}

/**
 * Erases a person, not one stream: a merged profile's views hold every member's events, so
 * every member's key is destroyed and each member stream gets its erasure event (see
 * eraseCustomer; each one is safe to repeat, so a crash part-way is finished by a repeat). The
 * identifier values the members linked are sealed with their keys and go with them; the
 * identifier streams' names (keyed digests) stay, naming no one without the index key.
 * A member with no stream (named in a manual merge only) has nothing to erase.
 */
export async function eraseProfile(
  eventStore: EventStore,
  keys: Parameters<typeof eraseCustomer>[1],
  request: ErasureRequest,
  onStep?: OnStep,
): Promise<ProfileErasureOutcome> {
  const members = await profileMembersOf(eventStore, request.customerId);
  const outcomes: ErasureOutcome[] = [];
  for (const member of members) {
    try {
      outcomes.push(
        await eraseCustomer(eventStore, keys, { ...request, customerId: member }, onStep),
      );
    } catch (error) {
      if (!(error instanceof CustomerNotFoundError)) throw error;
    }
  }
  if (outcomes.length === 0) throw new CustomerNotFoundError(request.customerId);
  return {
    customerId: request.customerId,
    position: outcomes.reduce((max, o) => (o.position > max ? o.position : max), -1n),
    appended: outcomes.some((o) => o.appended),
    keyDestroyed: outcomes.some((o) => o.keyDestroyed),
    members: outcomes,
  };
}
