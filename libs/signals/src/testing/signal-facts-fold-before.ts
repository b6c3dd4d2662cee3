import { eventIdFor, type CustomerEvent } from '@rapport/domain';
import { memberOf, sameMember } from '@rapport/projections';
import {
  RETAINED_FACTS,
  type CancellationFact,
  type ComplaintFact,
  type PurchaseFact,
  type SignalFacts,
} from '../facts/signal-facts';

/*
 * The signal facts' fold as it was before it was made faster (projection version 3, main at
 * cf2a6db), kept word for word so that a property can hold the faster one to it: the same
 * facts, in the same key order, for any events in any batches.
 */

/**
 * Folds a batch of one customer's events into its facts: each list copied once per batch, the
 * state given never changed. Facts are kept in event-time order (a late event lands where it
 * happened), ties in arrival order, so a replay equals live.
 */
export function evolveSignalFactsAsBefore(
  facts: SignalFacts,
  events: readonly CustomerEvent[],
  positions?: readonly bigint[],
): SignalFacts {
  let purchases: PurchaseFact[] | undefined;
  let cancellations: CancellationFact[] | undefined;
  let complaints: ComplaintFact[] | undefined;
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i];
    const at = event.data.occurredAt;
    const eventId = eventIdFor(event.metadata.source, event.data.touchpointId);
    const position = positions?.[i]?.toString();
    const member = memberOf(facts.customerId, event.data.customerId);
    switch (event.type) {
      case 'PurchaseCompleted':
        insertByTime(
          (purchases ??= [...facts.purchases]),
          withPosition<PurchaseFact>(
            {
              ...(member === undefined ? {} : { customerId: member }),
              eventId,
              orderId: event.data.orderId,
              occurredAt: at,
              minor: event.data.amount.minor,
              currency: event.data.amount.currency,
            },
            position,
          ),
        );
        break;
      case 'OrderCancelled':
        insertByTime(
          (cancellations ??= [...facts.cancellations]),
          withPosition<CancellationFact>(
            {
              ...(member === undefined ? {} : { customerId: member }),
              eventId,
              orderId: event.data.orderId,
              occurredAt: at,
              minor: event.data.amount.minor,
              currency: event.data.amount.currency,
            },
            position,
          ),
        );
        break;
      case 'ComplaintRaised':
        complaints ??= [...facts.complaints];
        complaints.push({
          ...(member === undefined ? {} : { customerId: member }),
          complaintId: event.data.complaintId,
          eventId,
          raisedAt: at,
          ...(position === undefined ? {} : { position }),
        });
        break;
      case 'ComplaintResolved': {
        complaints ??= [...facts.complaints];
        const index = complaints.findIndex(
          (c) =>
            c.complaintId === event.data.complaintId &&
            sameMember(c, facts.customerId, event.data.customerId) &&
            c.resolvedAt === undefined,
        );
        if (index >= 0)
          complaints[index] = {
            ...complaints[index],
            resolvedEventId: eventId,
            resolvedAt: at,
            ...(position === undefined ? {} : { resolvedPosition: position }),
          };
        break;
      }
      default:
        break;
    }
  }
  if (!purchases && !cancellations && !complaints) return facts;
  const keptPurchases = purchases ? newest(purchases) : facts.purchases;
  return {
    customerId: facts.customerId,
    purchasesDropped:
      facts.purchasesDropped + (purchases ? purchases.length - keptPurchases.length : 0),
    purchases: keptPurchases,
    cancellations: cancellations ? newest(cancellations) : facts.cancellations,
    complaints: complaints ? newest(complaints) : facts.complaints,
  };
}

/**
 * The fact with its position where there is one, set on the object made rather than spread in
 * from another (a spread per fact was a temporary object and a slow copy in the fold).
 */
function withPosition<T extends { readonly position?: string }>(
  fact: T,
  position: string | undefined,
): T {
  if (position !== undefined) (fact as { position?: string }).position = position;
  return fact;
}

function insertByTime<T extends { readonly occurredAt: string }>(list: T[], fact: T): void {
  let index = list.length;
  // ISO 8601 UTC strings of one shape compare as text; normalised through Date to be safe.
  const at = Date.parse(fact.occurredAt);
  while (index > 0 && Date.parse(list[index - 1].occurredAt) > at) index -= 1;
  list.splice(index, 0, fact);
}

function newest<T>(list: T[]): T[] {
  return list.length > RETAINED_FACTS ? list.slice(list.length - RETAINED_FACTS) : list;
}
