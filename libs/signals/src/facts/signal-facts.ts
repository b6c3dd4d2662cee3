import type { FromMember } from '@rapport/projections';

/**
 * What the retention rules need of one customer's history, folded from events by event time.
 * Kept as facts rather than as fired signals: the rules and their thresholds apply when the
 * signals are derived, so retuning a rule needs no rebuild, and a preview runs on the same facts.
 */
/** Where the store has the event: its global position (decimal), when the folder knew it. */
interface Positioned extends FromMember {
  readonly position?: string;
}

export interface PurchaseFact extends Positioned {
  readonly eventId: string;
  readonly orderId: string;
  readonly occurredAt: string;
  readonly minor: number;
  readonly currency: string;
}

export interface CancellationFact extends Positioned {
  readonly eventId: string;
  readonly orderId: string;
  readonly occurredAt: string;
  readonly minor: number;
  readonly currency: string;
}

export interface ComplaintFact extends Positioned {
  readonly complaintId: string;
  readonly eventId: string;
  readonly raisedAt: string;
  readonly resolvedEventId?: string;
  readonly resolvedAt?: string;
  readonly resolvedPosition?: string;
}

export interface SignalFacts {
  readonly customerId: string;
  /** Purchases before the retained ones (dropped to bound the record): the n-th stays the n-th. */
  readonly purchasesDropped: number;
  /** Newest last, ordered by event time. */
  readonly purchases: readonly PurchaseFact[];
  readonly cancellations: readonly CancellationFact[];
  readonly complaints: readonly ComplaintFact[];
}

/**
 * Most facts of each kind kept per customer. The oldest go first; a signal they could still
 * trigger would have expired long before (a customer with 200 later purchases).
 */
export const RETAINED_FACTS = 200;

export function initialSignalFacts(customerId: string): SignalFacts {
  return { customerId, purchasesDropped: 0, purchases: [], cancellations: [], complaints: [] };
}
