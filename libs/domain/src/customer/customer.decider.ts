import type { Touchpoint } from '../touchpoint/touchpoint';
import type { CustomerCommand, RecordTouchpoint } from './customer.commands';
import {
  CUSTOMER_EVENT_SCHEMA_VERSION,
  type CustomerEvent,
  type EventMetadata,
  type TouchpointFacts,
} from './customer.events';
import {
  CancellationExceedsPaymentError,
  CustomerTotalTooLargeError,
  ComplaintAlreadyRaisedError,
  ComplaintAlreadyResolvedError,
  ComplaintNotFoundError,
  CurrencyMismatchError,
  OrderAlreadyCancelledError,
  OrderAlreadyPurchasedError,
  OrderNotFoundError,
} from './customer.errors';
import { DomainError } from '../shared/domain.error';
import {
  applyToDraft,
  draftOf,
  touchpointKey,
  type CopyRecordedKeys,
  type CustomerState,
} from './customer.state';

/**
 * Decides which events a command produces against the customer's current state.
 * A touchpoint already recorded decides nothing (`[]`): redelivery is normal, not an error.
 * A broken invariant throws a DomainError with a stable code.
 */
export function decide(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  return decideWith(command, state, newMetadata);
}

function decideWith(
  command: CustomerCommand,
  state: CustomerState,
  metadataOf: MetadataOf,
): CustomerEvent[] {
  switch (command.type) {
    case 'RecordTouchpoint':
      return decideRecordTouchpoint(command, state, metadataOf);
    default: {
      const unknown: never = command.type;
      throw new Error(`unknown command ${String(unknown)}`);
    }
  }
}

/** One command's decision within decideInTurn: its events, or the invariant it would break. */
export type Decision =
  | { readonly ok: true; readonly events: readonly CustomerEvent[] }
  | { readonly ok: false; readonly error: DomainError };

export interface DecideInTurnOptions {
  /** How the draft copies the recorded keys (default: a plain copy). */
  readonly copyRecorded?: CopyRecordedKeys;
  /** Where the events' metadata comes from (default: shared by the commands of this call). */
  readonly metadataOf?: MetadataOf;
}

/**
 * Decides commands one after another, each against the state the earlier ones left, exactly as
 * decide and evolve would one by one; the state is copied once for all of them, not once per
 * event. The state passed in is left as it was.
 */
export function decideInTurn(
  commands: readonly CustomerCommand[],
  state: CustomerState,
  options: DecideInTurnOptions = {},
): { readonly decisions: Decision[]; readonly state: CustomerState } {
  const draft = draftOf(state, options.copyRecorded);
  const metadataOf = options.metadataOf ?? sharedMetadata();
  const decisions = commands.map((command): Decision => {
    try {
      const events = decideWith(command, draft, metadataOf);
      for (const event of events) applyToDraft(draft, event);
      return { ok: true, events };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error };
      throw error;
    }
  });
  return { decisions, state: draft };
}

function decideRecordTouchpoint(
  command: RecordTouchpoint,
  state: CustomerState,
  metadataOf: MetadataOf,
): CustomerEvent[] {
  const { touchpoint: tp, ingestedAt, correlationId } = command.data;
  if (state.recorded.has(touchpointKey(tp.source, tp.touchpointId))) return [];

  return [toEvent(tp, metadataOf(tp.source, ingestedAt, correlationId), state)];
}

/** The metadata of a touchpoint's event. */
export type MetadataOf = (
  source: string,
  ingestedAt: string,
  correlationId: string,
) => EventMetadata;

const newMetadata: MetadataOf = (source, ingestedAt, correlationId) =>
  Object.freeze({
    schemaVersion: CUSTOMER_EVENT_SCHEMA_VERSION,
    source,
    ingestedAt,
    correlationId,
  });

/**
 * The touchpoints of one batch share source, ingest time and correlation id, so their events
 * may share one frozen metadata object: an object less per event, and a store that serialises
 * metadata once per object (SQLite) does so once per batch. Shared by what one caller decides.
 */
export function sharedMetadata(): MetadataOf {
  let last: EventMetadata | undefined;
  return (source, ingestedAt, correlationId) => {
    if (
      last?.source !== source ||
      last.ingestedAt !== ingestedAt ||
      last.correlationId !== correlationId
    )
      last = newMetadata(source, ingestedAt, correlationId);
    return last;
  };
}

/**
 * The facts every touchpoint event carries, then the touchpoint's own data, in one object
 * literal: spreading a facts object and then the data, as this was written before, took V8's
 * slow path, ~2.6 µs per event against ~0.08 µs (measured with Node 20), on Kafka's hot path.
 */
function withFacts<D extends object>(tp: Touchpoint & { readonly data: D }): TouchpointFacts & D {
  return {
    customerId: tp.customerId,
    touchpointId: tp.touchpointId,
    occurredAt: tp.occurredAt,
    channel: tp.channel,
    ...tp.data,
  };
}

function toEvent(tp: Touchpoint, metadata: EventMetadata, state: CustomerState): CustomerEvent {
  switch (tp.type) {
    case 'web_visit':
      return { type: 'WebVisitRecorded', data: withFacts(tp), metadata };
    case 'call':
      return { type: 'CallLogged', data: withFacts(tp), metadata };
    case 'email':
      return { type: 'EmailRecorded', data: withFacts(tp), metadata };
    case 'purchase': {
      const { orderId, amount } = tp.data;
      if (state.orders.has(orderId)) throw new OrderAlreadyPurchasedError(orderId);
      const total = (state.purchasedMinor.get(amount.currency) ?? 0) + amount.minor;
      if (!Number.isSafeInteger(total)) {
        throw new CustomerTotalTooLargeError(orderId, amount, total - amount.minor);
      }
      return { type: 'PurchaseCompleted', data: withFacts(tp), metadata };
    }
    case 'cancellation': {
      const { orderId, amount, reason } = tp.data;
      const order = state.orders.get(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (order.cancelled) throw new OrderAlreadyCancelledError(orderId);
      if (amount && amount.currency !== order.paid.currency) {
        throw new CurrencyMismatchError(orderId, order.paid.currency, amount.currency);
      }
      const left = order.paid.minor - order.cancelledMinor;
      if (amount && amount.minor > left) {
        throw new CancellationExceedsPaymentError(orderId, amount.minor, order.paid.minor, left);
      }
      return {
        type: 'OrderCancelled',
        data: {
          customerId: tp.customerId,
          touchpointId: tp.touchpointId,
          occurredAt: tp.occurredAt,
          channel: tp.channel,
          orderId,
          amount: amount ?? { minor: left, currency: order.paid.currency },
          // Whole once nothing is left: 600 then 400 of 1,000 cancels the whole order.
          wholeOrder: !amount || amount.minor === left,
          ...(reason === undefined ? {} : { reason }),
        },
        metadata,
      };
    }
    case 'complaint':
      if (state.complaints.has(tp.data.complaintId)) {
        throw new ComplaintAlreadyRaisedError(tp.data.complaintId);
      }
      return { type: 'ComplaintRaised', data: withFacts(tp), metadata };
    case 'complaint_resolved': {
      const resolved = state.complaints.get(tp.data.complaintId);
      if (resolved === undefined) throw new ComplaintNotFoundError(tp.data.complaintId);
      if (resolved) throw new ComplaintAlreadyResolvedError(tp.data.complaintId);
      return { type: 'ComplaintResolved', data: withFacts(tp), metadata };
    }
    default: {
      const unknown: never = tp;
      throw new Error(`unknown touchpoint type ${String((unknown as Touchpoint).type)}`);
    }
  }
}
