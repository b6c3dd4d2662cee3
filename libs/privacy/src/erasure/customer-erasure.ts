import {
  customerStreamName,
  eventIdFor,
  CUSTOMER_EVENT_SCHEMA_VERSION,
  type CustomerErased,
} from '@rapport/domain';
import { isWrongExpectedRevision, type EventStore, type NewEvent } from '@rapport/event-store';
import { CUSTOMER_ERASED } from '../fields/personal-fields';
import type { KeyStore } from '../keys/key-store.port';

/** The `source` of erasure events: no channel system, Rapport itself. */
export const ERASURE_SOURCE = 'rapport-erasure';

export class CustomerNotFoundError extends Error {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly retryable = false;
  constructor(customerId: string) {
    super(`no events have been recorded for customer ${customerId}`);
    this.name = 'CustomerNotFoundError';
  }
}

export class ErasureReasonMissingError extends Error {
  readonly code = 'ERASURE_REASON_MISSING';
  readonly retryable = false;
  constructor() {
    super('an erasure needs a reason (1–500 characters), kept with the erasure event');
    this.name = 'ErasureReasonMissingError';
  }
}

export interface ErasureRequest {
  readonly customerId: string;
  /** Why (the request's reference, say): kept in the log. Must not itself be personal data. */
  readonly reason: string;
  /** Wall clock at the edge: the erasure event's occurredAt. */
  readonly requestedAt: string;
  readonly correlationId: string;
}

export interface ErasureOutcome {
  readonly customerId: string;
  /** Position of the erasure event: a query that waits for it sees the erased view. */
  readonly position: bigint;
  /** False when this request found the erasure already made (a repeat, or a resumed one). */
  readonly appended: boolean;
  readonly keyDestroyed: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * The steps of an erasure, reported as they complete (awaited): the CLI logs them, and may
 * pause after each, which is how the erasure fault spec kills a run between two of them.
 */
export type ErasureStep = 'stream-read' | 'key-destroyed' | 'event-appended';

/**
 * Erases a customer's personal data: destroys the key (leaving a tombstone), then appends
 * CustomerErased (unless the stream already ends with one). In that order, so that every
 * writer that decides on a stream holding the erasure event finds the tombstone when it asks
 * for keys (see EncryptingEventStore): nothing recorded after the event is ever sealed with the
 * destroyed key's cached copy. A crash between the two leaves the key destroyed and no event:
 * the personal fields are already unreadable, `erase --verify` says the event is missing, and
 * a repeat appends it. Views apply the event; the key's destruction makes every stored copy of
 * the personal fields (events, backups, dead letters sealed with it) unreadable at once.
 */
export async function eraseCustomer(
  eventStore: EventStore,
  keys: KeyStore,
  request: ErasureRequest,
  onStep: (step: ErasureStep) => void | Promise<void> = () => undefined,
): Promise<ErasureOutcome> {
  const reason = request.reason.trim();
  if (reason.length === 0 || reason.length > 500) throw new ErasureReasonMissingError();
  const stream = customerStreamName(request.customerId);
  let keyDestroyed = false;
  for (let attempt = 1; ; attempt++) {
    const [last] = await eventStore.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) throw new CustomerNotFoundError(request.customerId);
    await onStep('stream-read');
    // Also on a repeat: the key and its tombstone may be all a crash left undone.
    if (await keys.destroy(request.customerId)) keyDestroyed = true;
    await onStep('key-destroyed');
    if (last.type === CUSTOMER_ERASED)
      return {
        customerId: request.customerId,
        position: last.position,
        appended: false,
        keyDestroyed,
      };
    const event = erasureEvent(request, reason, last.revision + 1n);
    try {
      const appended = await eventStore.append(stream, [event], {
        expectedRevision: last.revision,
      });
      await onStep('event-appended');
      return {
        customerId: request.customerId,
        position: appended.position,
        appended: true,
        keyDestroyed,
      };
    } catch (error) {
      if (!isWrongExpectedRevision(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function erasureEvent(request: ErasureRequest, reason: string, revision: bigint): NewEvent {
  const touchpointId = `erasure-${revision}`;
  const erased: CustomerErased = {
    type: 'CustomerErased',
    data: {
      customerId: request.customerId,
      touchpointId,
      occurredAt: request.requestedAt,
      channel: 'other',
      reason,
    },
    metadata: {
      schemaVersion: CUSTOMER_EVENT_SCHEMA_VERSION,
      source: ERASURE_SOURCE,
      ingestedAt: request.requestedAt,
      correlationId: request.correlationId,
    },
  };
  return {
    id: eventIdFor(`${ERASURE_SOURCE}:${request.customerId}`, touchpointId),
    type: erased.type,
    data: erased.data,
    metadata: erased.metadata as unknown as NewEvent['metadata'],
  };
}
