import { eventIdFor, type CustomerEvent } from '@rapport/domain';
import { memberOf, sameMember, type Projection } from '@rapport/projections';
import {
  initialSignalFacts,
  RETAINED_FACTS,
  type CancellationFact,
  type ComplaintFact,
  type PurchaseFact,
  type SignalFacts,
} from './signal-facts';

const HANDLED = new Set<CustomerEvent['type']>([
  'PurchaseCompleted',
  'OrderCancelled',
  'ComplaintRaised',
  'ComplaintResolved',
]);

/**
 * Folds a batch of one customer's events into its facts: each list copied once per batch, the
 * state given never changed. Facts are kept in event-time order (a late event lands where it
 * happened), ties in arrival order, so a replay equals live. Each fact is one object literal of
 * one shape (a member's facts with `customerId` first, as before): spreading optional fields in
 * made a temporary object and took V8's slow copy for every fact, most of the fold's time.
 */
export function evolveSignalFacts(
  facts: SignalFacts,
  events: readonly CustomerEvent[],
  positions?: readonly bigint[],
): SignalFacts {
  let purchases: PurchaseFact[] | undefined;
  let cancellations: CancellationFact[] | undefined;
  let complaints: ComplaintFact[] | undefined;
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i];
    const position = positions?.[i]?.toString();
    switch (event.type) {
      case 'PurchaseCompleted':
        insertByTime(
          (purchases ??= facts.purchases.slice()),
          orderFact(facts.customerId, event, position),
        );
        break;
      case 'OrderCancelled':
        insertByTime(
          (cancellations ??= facts.cancellations.slice()),
          orderFact(facts.customerId, event, position),
        );
        break;
      case 'ComplaintRaised':
        (complaints ??= facts.complaints.slice()).push(
          raisedFact(facts.customerId, event, position),
        );
        break;
      case 'ComplaintResolved':
        resolve((complaints ??= facts.complaints.slice()), facts.customerId, event, position);
        break;
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

export const signalFactsProjection: Projection<SignalFacts> = {
  name: 'signal-facts',
  // 2: facts keep each event's store position (evidence names it).
  // 3: in a merged profile, members' orders and complaints are kept apart (FromMember).
  version: 3,
  canHandle: (event) => HANDLED.has(event.type),
  initialState: initialSignalFacts,
  evolve: (facts, event, position) =>
    evolveSignalFacts(facts, [event], position === undefined ? undefined : [position]),
  evolveAll: evolveSignalFacts,
};

type OrderEvent = Extract<CustomerEvent, { type: 'PurchaseCompleted' | 'OrderCancelled' }>;

/** A purchase's or a cancellation's fact: both keep the same fields. */
function orderFact(
  profileId: string,
  event: OrderEvent,
  position: string | undefined,
): PurchaseFact & CancellationFact {
  const data = event.data;
  const eventId = eventIdFor(event.metadata.source, data.touchpointId);
  const member = memberOf(profileId, data.customerId);
  // The common fact whole in one literal: a property added after it is made goes to a separate
  // backing store, an object more per fact.
  if (member === undefined && position !== undefined)
    return {
      eventId,
      orderId: data.orderId,
      occurredAt: data.occurredAt,
      minor: data.amount.minor,
      currency: data.amount.currency,
      position,
    };
  const fact: PurchaseFact & { position?: string } =
    member === undefined
      ? {
          eventId,
          orderId: data.orderId,
          occurredAt: data.occurredAt,
          minor: data.amount.minor,
          currency: data.amount.currency,
        }
      : {
          customerId: member,
          eventId,
          orderId: data.orderId,
          occurredAt: data.occurredAt,
          minor: data.amount.minor,
          currency: data.amount.currency,
        };
  if (position !== undefined) fact.position = position;
  return fact;
}

function raisedFact(
  profileId: string,
  event: Extract<CustomerEvent, { type: 'ComplaintRaised' }>,
  position: string | undefined,
): ComplaintFact {
  const data = event.data;
  const eventId = eventIdFor(event.metadata.source, data.touchpointId);
  const member = memberOf(profileId, data.customerId);
  if (member === undefined && position !== undefined)
    return { complaintId: data.complaintId, eventId, raisedAt: data.occurredAt, position };
  const fact: ComplaintFact & { position?: string } =
    member === undefined
      ? { complaintId: data.complaintId, eventId, raisedAt: data.occurredAt }
      : { customerId: member, complaintId: data.complaintId, eventId, raisedAt: data.occurredAt };
  if (position !== undefined) fact.position = position;
  return fact;
}

/** The member's complaint of that id still open, if any, marked resolved (in a new object). */
function resolve(
  complaints: ComplaintFact[],
  profileId: string,
  event: Extract<CustomerEvent, { type: 'ComplaintResolved' }>,
  position: string | undefined,
): void {
  const data = event.data;
  for (let index = 0; index < complaints.length; index += 1) {
    const complaint = complaints[index];
    if (
      complaint.complaintId !== data.complaintId ||
      !sameMember(complaint, profileId, data.customerId) ||
      complaint.resolvedAt !== undefined
    )
      continue;
    complaints[index] = {
      ...complaint,
      resolvedEventId: eventIdFor(event.metadata.source, data.touchpointId),
      resolvedAt: data.occurredAt,
      ...(position === undefined ? {} : { resolvedPosition: position }),
    };
    return;
  }
}

/**
 * Where a fact goes by event time, after the facts of the same time. Most events come in time
 * order: a fact no earlier than the last one is appended without parsing a date (see
 * `notBefore`); only a late event is placed by its parsed time, among the earlier facts.
 */
function insertByTime<T extends { readonly occurredAt: string }>(list: T[], fact: T): void {
  const last = list.length - 1;
  if (last < 0 || notBefore(fact.occurredAt, list[last].occurredAt)) {
    list.push(fact);
    return;
  }
  let index = list.length;
  const at = Date.parse(fact.occurredAt);
  while (index > 0 && Date.parse(list[index - 1].occurredAt) > at) index -= 1;
  list.splice(index, 0, fact);
}

/**
 * True only when `at` is known not to be earlier than `than`: both as Date#toISOString writes
 * them (ingest stores that form), where text order is time order. Days past the 28th are left
 * to the parsed comparison, as are other forms (an offset, no milliseconds): Date.parse takes
 * 2026-02-30 as 2 March. A string of this form that is no date (month 13) parses as NaN,
 * before which the parsed comparison moves nothing either: appended both ways.
 */
function notBefore(at: string, than: string): boolean {
  return at >= than && ISO_UTC_MILLIS.test(at) && ISO_UTC_MILLIS.test(than);
}

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-(?:[01]\d|2[0-8])T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function newest<T>(list: T[]): T[] {
  return list.length > RETAINED_FACTS ? list.slice(list.length - RETAINED_FACTS) : list;
}
