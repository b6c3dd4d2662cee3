import { customerStreamName } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { CustomerNotFoundError } from './customer-erasure';

export interface ExportedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly revision: string;
  readonly position: string;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * Every event of the customer's stream, opened (the store given is the decrypting one): the
 * right of access. Fields whose key was destroyed read as "(erased)".
 */
export async function exportCustomerEvents(
  eventStore: EventStore,
  customerId: string,
): Promise<ExportedEvent[]> {
  const events = await eventStore.readStream(customerStreamName(customerId));
  if (events.length === 0) throw new CustomerNotFoundError(customerId);
  return events.map((e) => ({
    eventId: e.id,
    type: e.type,
    revision: e.revision.toString(),
    position: e.position.toString(),
    recordedAt: e.recordedAt.toISOString(),
    data: e.data,
    metadata: e.metadata,
  }));
}
