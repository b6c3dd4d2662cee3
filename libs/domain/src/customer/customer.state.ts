import type { Money } from '../shared/money';
import type { CustomerEvent } from './customer.events';

export interface OrderState {
  readonly paid: Money;
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
}

export function initialCustomerState(): CustomerState {
  return { recorded: new Set(), orders: new Map(), complaints: new Map() };
}

/** Touchpoint ids are unique per producing system, not globally. */
export function touchpointKey(source: string, touchpointId: string): string {
  return `${source}\u0000${touchpointId}`;
}

export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  const recorded = new Set(state.recorded).add(
    touchpointKey(event.metadata.source, event.data.touchpointId),
  );
  switch (event.type) {
    case 'PurchaseCompleted':
      return {
        ...state,
        recorded,
        orders: new Map(state.orders).set(event.data.orderId, {
          paid: event.data.amount,
          cancelled: false,
        }),
      };
    case 'OrderCancelled': {
      const order = state.orders.get(event.data.orderId);
      if (!order) return { ...state, recorded };
      return {
        ...state,
        recorded,
        orders: new Map(state.orders).set(event.data.orderId, { ...order, cancelled: true }),
      };
    }
    case 'ComplaintRaised':
      return {
        ...state,
        recorded,
        complaints: new Map(state.complaints).set(event.data.complaintId, false),
      };
    case 'ComplaintResolved':
      return {
        ...state,
        recorded,
        complaints: new Map(state.complaints).set(event.data.complaintId, true),
      };
    default:
      return { ...state, recorded };
  }
}

export function foldCustomer(events: Iterable<CustomerEvent>): CustomerState {
  let state = initialCustomerState();
  for (const event of events) state = evolve(state, event);
  return state;
}
