import {
  customerIdFromStream,
  TouchpointRecordedForAnotherCustomerError,
  type Touchpoint,
} from '@rapport/domain';
import type { EventIdTakenError } from '@rapport/event-store';
import type { CustomerBatch, ItemOutcome } from './customer-batch';
import { hashEventId } from './event-id.hasher';

/**
 * The touchpoints of one record call that the store refused because their event id is
 * another customer's, by batch and by index in the batch as given. Only a call that meets
 * such a refusal makes one, so the usual path pays nothing for it.
 */
export class RefusedTouchpoints {
  private readonly byBatch = new Map<number, Map<number, ItemOutcome>>();

  /** The batch as given without every touchpoint refused so far: what to decide again. */
  refuse(at: number, batch: CustomerBatch, error: EventIdTakenError): CustomerBatch {
    const holders = new Map(error.taken.map((t) => [t.eventId, t.streamName]));
    const refused = this.byBatch.get(at) ?? new Map<number, ItemOutcome>();
    const before = refused.size;
    batch.touchpoints.forEach((touchpoint, i) => {
      const holder = holders.get(hashEventId(touchpoint.source, touchpoint.touchpointId));
      if (holder !== undefined && !refused.has(i)) refused.set(i, takenOutcome(touchpoint, holder));
    });
    // The store named no event of this batch: deciding again would be refused again.
    if (refused.size === before) throw error;
    this.byBatch.set(at, refused);
    return {
      customerId: batch.customerId,
      touchpoints: batch.touchpoints.filter((_, i) => !refused.has(i)),
    };
  }

  /** The outcomes of the batch as given, from those decided for what was left of it. */
  outcomesOf(at: number, decided: readonly ItemOutcome[]): readonly ItemOutcome[] {
    const refused = this.byBatch.get(at);
    if (!refused) return decided;
    let next = 0;
    return Array.from(
      { length: decided.length + refused.size },
      (_, i) => refused.get(i) ?? decided[next++],
    );
  }
}

function takenOutcome(touchpoint: Touchpoint, holderStream: string): ItemOutcome {
  const firstCustomerId = customerIdFromStream(holderStream) ?? holderStream;
  const { code, message } = new TouchpointRecordedForAnotherCustomerError(
    touchpoint.source,
    touchpoint.touchpointId,
    firstCustomerId,
  );
  return { status: 'rejected', code, reason: message, firstCustomerId };
}
