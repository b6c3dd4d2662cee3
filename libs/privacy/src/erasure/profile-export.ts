import type { EventStore } from '@rapport/event-store';
import { CustomerNotFoundError } from './customer-erasure';
import { exportCustomerEvents, type ExportedEvent } from './customer-export';
import { currentProfileOf, type CurrentProfile } from './current-profile';

export interface ExportedProfileEvent extends ExportedEvent {
  /** The member customer whose stream holds the event. */
  readonly customerId: string;
}

export interface ProfileExport {
  readonly profile: CurrentProfile;
  /** Every member's events, opened, in global position order. */
  readonly events: readonly ExportedProfileEvent[];
}

/**
 * The right of access for a person, not one stream: the views of a merged profile hold every
 * member's events, so asking by any member's id gives all of them, each naming its member. A
 * member with no stream (named in a manual merge only) has nothing to give.
 */
export async function exportProfileEvents(
  eventStore: EventStore,
  customerId: string,
): Promise<ProfileExport> {
  const profile = await currentProfileOf(eventStore, customerId);
  const events: ExportedProfileEvent[] = [];
  for (const member of profile.members) {
    try {
      for (const event of await exportCustomerEvents(eventStore, member))
        events.push({ customerId: member, ...event });
    } catch (error) {
      if (!(error instanceof CustomerNotFoundError)) throw error;
    }
  }
  if (events.length === 0) throw new CustomerNotFoundError(customerId);
  events.sort((a, b) => compareDecimal(a.position, b.position));
  return { profile, events };
}

/** Positions are unsigned decimals of any size: shorter is smaller, else compared as text. */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
