import type { ReadStore, StoredRecord } from '@rapport/read-store';
import type { Regroup } from './profile-partition';

/**
 * Which profile each merged customer belongs to, as the live projector last regrouped it: what
 * a query for a customer id reads first, to answer with the record of the profile it is in.
 * Kept for customers in a profile of two or more only; no record means "its own profile".
 * Derived from the graph stream alone, so it needs no generation of its own: every view's
 * generation follows the same partition.
 */
export const PROFILE_MEMBERSHIP_COLLECTION = 'profile-membership';

export interface ProfileMembership {
  /** The survivor: the customer id whose records hold the profile's views. */
  readonly id: string;
  /** Every customer (member stream) of the profile, in id order, the survivor among them. */
  readonly members: readonly string[];
}

/**
 * A regroup's membership changes, written at its position: the store's position guard keeps a
 * replay after a crash from setting an older grouping over a newer one.
 */
export async function writeMembership(readStore: ReadStore, regroup: Regroup): Promise<void> {
  const records: StoredRecord<ProfileMembership>[] = [];
  const alone: string[] = [];
  for (const { survivor, members } of regroup.groups) {
    if (members.length < 2) {
      alone.push(survivor);
      continue;
    }
    for (const member of members)
      records.push({
        key: member,
        position: regroup.position,
        value: { id: survivor, members: [...members] },
      });
  }
  if (alone.length) await readStore.deleteMany(PROFILE_MEMBERSHIP_COLLECTION, alone);
  if (records.length) await readStore.putMany(PROFILE_MEMBERSHIP_COLLECTION, records);
}

/** The profile a customer belongs to: itself alone when never merged (or split again). */
export async function profileOf(
  readStore: Pick<ReadStore, 'get'>,
  customerId: string,
): Promise<ProfileMembership> {
  const record = await readStore.get<ProfileMembership>(PROFILE_MEMBERSHIP_COLLECTION, customerId);
  return record?.value ?? { id: customerId, members: [customerId] };
}
