import {
  CUSTOMER_EVENT_SCHEMA_VERSION,
  isCustomerEventType,
  type CustomerEvent,
} from './customer.events';

/** A stored event as read from any event store, before it is trusted as a CustomerEvent. */
export interface StoredEventShape {
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
}

/**
 * Turns a stored event of any schema version into the current CustomerEvent shape, or
 * undefined for events that are not customer events. Old shapes are upcast here on read and
 * never rewritten in the store. Version 1 is the only version so far.
 */
export function upcastCustomerEvent(stored: StoredEventShape): CustomerEvent | undefined {
  if (!isCustomerEventType(stored.type)) return undefined;
  const version = Number(stored.metadata.schemaVersion ?? 1);
  if (version > CUSTOMER_EVENT_SCHEMA_VERSION) {
    throw new Error(
      `event ${stored.type} has schema version ${version}, newer than this build understands (${CUSTOMER_EVENT_SCHEMA_VERSION})`,
    );
  }
  // The current shape needs no change: the stored event is the event, with no copy per event
  // (a catch-up batch holds hundreds of thousands of them).
  return stored as unknown as CustomerEvent;
}
