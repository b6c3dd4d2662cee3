import type { Money } from '../shared/money';
import type { CustomerEvent } from './customer.events';

export interface OrderState {
  readonly paid: Money;
  /** Taken back so far by cancellations, whole or partial (minor units of `paid.currency`). */
  readonly cancelledMinor: number;
  /** Nothing is left to cancel. */
  readonly cancelled: boolean;
}

/**
 * What the decider needs to know about a customer to keep the invariants; nothing more.
 * Read models live in libs/projections.
 */
export interface CustomerState {
  /** `touchpointKey(source, touchpointId)` of every recorded touchpoint. */
  readonly recorded: ReadonlySet<string>;
  readonly orders: ReadonlyMap<string, OrderState>;
  /** complaintId → resolved? */
  readonly complaints: ReadonlyMap<string, boolean>;
  /**
   * Currency → the sum of every purchase in it, in minor units. Every revenue total a view or
   * insight computes for this customer (gross, net, trailing, average) is at most this, so
   * keeping it a safe integer keeps them all exact.
   */
  readonly purchasedMinor: ReadonlyMap<string, number>;
}

export function initialCustomerState(): CustomerState {
  return {
    recorded: new Set(),
    orders: new Map(),
    complaints: new Map(),
    purchasedMinor: new Map(),
  };
}

/**
 * Touchpoint ids are unique per producing system, not globally. Joined, not concatenated: a
 * concatenation is a rope of three strings that a Set hashes without flattening, and a state
 * cache holds one key per touchpoint of 50,000 customers, each of which the collector marks.
 */
export function touchpointKey(source: string, touchpointId: string): string {
  return [source, touchpointId].join('\u0000');
}

/** The recorded keys of a draft: what the state had, and the keys its events add. */
export type GrowingKeys = ReadonlySet<string> & { add(key: string): unknown };

/**
 * How a draft gets its own recorded keys from the state's. A plain copy by default; a caller
 * that decides for the same customers again and again (the write path's cache) may pass a
 * structure that shares the earlier keys instead, since they grow with the history.
 */
export type CopyRecordedKeys = (recorded: ReadonlySet<string>) => GrowingKeys;

const copyRecordedKeys: CopyRecordedKeys = (recorded) => new Set(recorded);

export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  const draft = draftOf(state);
  applyToDraft(draft, event);
  return draft;
}

export function foldCustomer(events: Iterable<CustomerEvent>): CustomerState {
  const draft = draftOf(initialCustomerState());
  for (const event of events) applyToDraft(draft, event);
  return draft;
}

/**
 * A private copy of a state that the events of a fold or a batch of decisions are applied to
 * in place: copied once, not once per event; the recorded keys are copied as the caller
 * chooses (see CopyRecordedKeys), and orders and complaints are copied only when an event
 * changes them (most touchpoints are visits, calls and emails). Never
 * handed out while it is still being changed.
 */
export interface CustomerDraft extends CustomerState {
  readonly recorded: GrowingKeys;
  orders: ReadonlyMap<string, OrderState>;
  complaints: ReadonlyMap<string, boolean>;
  purchasedMinor: ReadonlyMap<string, number>;
  /** Whether orders / complaints / purchase totals are this draft's own copies yet. */
  ownOrders: boolean;
  ownComplaints: boolean;
  ownPurchasedMinor: boolean;
}

export function draftOf(
  state: CustomerState,
  copyRecorded: CopyRecordedKeys = copyRecordedKeys,
): CustomerDraft {
  return {
    recorded: copyRecorded(state.recorded),
    orders: state.orders,
    complaints: state.complaints,
    purchasedMinor: state.purchasedMinor,
    ownOrders: false,
    ownComplaints: false,
    ownPurchasedMinor: false,
  };
}

function ordersToChange(draft: CustomerDraft): Map<string, OrderState> {
  if (!draft.ownOrders) {
    draft.orders = copyOf(draft.orders);
    draft.ownOrders = true;
  }
  return draft.orders as Map<string, OrderState>;
}

function complaintsToChange(draft: CustomerDraft): Map<string, boolean> {
  if (!draft.ownComplaints) {
    draft.complaints = copyOf(draft.complaints);
    draft.ownComplaints = true;
  }
  return draft.complaints as Map<string, boolean>;
}

function purchasedMinorToChange(draft: CustomerDraft): Map<string, number> {
  if (!draft.ownPurchasedMinor) {
    draft.purchasedMinor = copyOf(draft.purchasedMinor);
    draft.ownPurchasedMinor = true;
  }
  return draft.purchasedMinor as Map<string, number>;
}

/** `new Map(map)` goes through the iterator protocol: an [key, value] array per entry. */
function copyOf<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const copy = new Map<K, V>();
  map.forEach((value, key) => copy.set(key, value));
  return copy;
}

/** What evolve does, on the draft itself; types it does not know leave only their touchpoint. */
export function applyToDraft(draft: CustomerDraft, event: CustomerEvent): void {
  draft.recorded.add(touchpointKey(event.metadata.source, event.data.touchpointId));
  switch (event.type) {
    case 'PurchaseCompleted': {
      const { orderId, amount } = event.data;
      ordersToChange(draft).set(orderId, { paid: amount, cancelledMinor: 0, cancelled: false });
      const totals = purchasedMinorToChange(draft);
      totals.set(amount.currency, (totals.get(amount.currency) ?? 0) + amount.minor);
      return;
    }
    case 'OrderCancelled': {
      const { orderId, amount, wholeOrder } = event.data;
      const order = draft.orders.get(orderId);
      if (!order) return;
      const cancelledMinor = order.cancelledMinor + amount.minor;
      // A stored cancellation of nothing (the edge refuses them now) leaves the order open.
      ordersToChange(draft).set(orderId, {
        ...order,
        cancelledMinor,
        cancelled: wholeOrder || cancelledMinor >= order.paid.minor,
      });
      return;
    }
    case 'ComplaintRaised':
      complaintsToChange(draft).set(event.data.complaintId, false);
      return;
    case 'ComplaintResolved':
      complaintsToChange(draft).set(event.data.complaintId, true);
      return;
    default:
      return;
  }
}
