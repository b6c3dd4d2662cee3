/**
 * Order and complaint ids are unique within one customer's stream only: two members of a merged
 * profile may each have an "O-1". In the profile's folds what a member other than the profile's
 * own customer brought names that member, and ids are matched together with it, so a merged
 * view counts each member's orders and complaints as that member's.
 */
export interface FromMember {
  /** The member customer it came from; absent when it is the profile's own customer. */
  readonly customerId?: string;
}

/** The member to name on a fact of `eventCustomerId` in the record of `profileId`. */
export function memberOf(profileId: string, eventCustomerId: string): string | undefined {
  return eventCustomerId === profileId ? undefined : eventCustomerId;
}

/**
 * An order or complaint id kept apart by member, for maps. The own customer's ids stay as they
 * are (no string built for the common case) unless one looks like a JSON array, which only the
 * keys of members' ids are: any characters may be in an id, and no two keys are equal.
 */
export function memberKey(id: string, from: FromMember): string {
  if (from.customerId !== undefined) return JSON.stringify([from.customerId, id]);
  return id.startsWith('[') ? JSON.stringify([id]) : id;
}

/** Whether a fact is the one an event of `customerId` (in the record of `profileId`) names. */
export function sameMember(fact: FromMember, profileId: string, customerId: string): boolean {
  return fact.customerId === memberOf(profileId, customerId);
}
