import { v5 as uuidv5 } from 'uuid';
import type { NewEvent } from '@rapport/event-store';
import {
  IDENTITY_EVENT_SCHEMA_VERSION,
  type IdentifierIndexed,
  type IdentityEvent,
} from '@rapport/identity';

/** Fixed: the ids of identity events already stored come from it. */
const EVENT_NAMESPACE = '9a7f3f9e-3c2e-4a53-b0c1-7d7a1f0b6e21';

/**
 * An identity event as stored, its id derived from what it records: the same decision made
 * again (a retry, a redelivery, a repeated request) is an idempotent repeat, never a second
 * event, whichever writer — ingest or the admin commands — made it.
 */
export function identityNewEvent(event: IdentityEvent | IdentifierIndexed): NewEvent {
  return {
    id: uuidv5(keyOf(event), EVENT_NAMESPACE),
    type: event.type,
    data: event.data as unknown as NewEvent['data'],
    metadata: { schemaVersion: IDENTITY_EVENT_SCHEMA_VERSION, source: 'identity' },
  };
}

function keyOf(event: IdentityEvent | IdentifierIndexed): string {
  switch (event.type) {
    case 'ProfilesMerged':
      return `merge/${event.data.mergeId}`;
    case 'MergeRefused':
      return `refusal/${event.data.refusalId}`;
    case 'MergeUndone':
      return `undo/${event.data.mergeId}`;
    case 'IdentifierLinked':
      return `link/${event.data.digest}/${event.data.customerId}`;
    case 'IdentifierIndexed':
      return `index/${event.data.digest}/${event.data.customerId}`;
  }
}
