import { customerIdFromStream, upcastCustomerEvent } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import { UnreadableEvent, type ProjectorEvent } from '../parking/evolve-or-park';
import type { ProfilePartition, Regroup } from './profile-partition';

/** One profile's events in a batch, in order, and the global position of each. */
export interface CustomerEvents {
  /** The profile's record: its survivor's customer id. */
  readonly customerId: string;
  readonly events: ProjectorEvent[];
  readonly positions: bigint[];
}

/**
 * A batch cut where the partition changes: runs of customer events grouped by the profile
 * they belong to at their position, and between them the regroups (merges and undos).
 */
export type BatchStep =
  | { readonly kind: 'events'; readonly byProfile: Map<string, CustomerEvents> }
  | { readonly kind: 'regroup'; readonly regroup: Regroup };

/**
 * Routes a batch: follows `partition` through the graph events it holds (so the partition ends
 * as of the batch's last event) and groups each customer event under its profile's survivor.
 */
export function routeBatch(
  batch: readonly RecordedEvent[],
  partition: ProfilePartition,
): BatchStep[] {
  const steps: BatchStep[] = [];
  let byProfile: Map<string, CustomerEvents> | undefined;
  // By stream name: the customer id is taken out of it, and its profile looked up, once per
  // stream in a run, not once per event.
  let byStream = new Map<string, CustomerEvents | null>();
  for (const recorded of batch) {
    const regroup = partition.follow(recorded);
    if (regroup) {
      steps.push({ kind: 'regroup', regroup });
      byProfile = undefined;
      byStream = new Map();
      continue;
    }
    let entry = byStream.get(recorded.streamName);
    if (entry === undefined) {
      const customerId = customerIdFromStream(recorded.streamName);
      if (customerId === undefined) entry = null;
      else {
        if (!byProfile) steps.push({ kind: 'events', byProfile: (byProfile = new Map()) });
        const profile = partition.survivorOf(customerId);
        entry = byProfile.get(profile);
        if (!entry)
          byProfile.set(profile, (entry = { customerId: profile, events: [], positions: [] }));
      }
      byStream.set(recorded.streamName, entry);
    }
    if (entry === null) continue;
    const event = readProjectorEvent(recorded);
    if (!event) continue;
    entry.events.push(event);
    entry.positions.push(recorded.position);
  }
  return steps;
}

/** The event as a customer event, or what stands for it when it cannot be read. */
export function readProjectorEvent(recorded: RecordedEvent): ProjectorEvent | undefined {
  try {
    return upcastCustomerEvent(recorded);
  } catch (error) {
    return new UnreadableEvent(
      recorded.type,
      error instanceof Error ? error.message : String(error),
    );
  }
}
