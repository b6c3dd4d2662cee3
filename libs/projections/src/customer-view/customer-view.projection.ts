import { addMoney, type CustomerEvent, type TouchpointType } from '@rapport/domain';
import type { Projection } from '../projection';
import type { CustomerView, OrderSummary, TouchpointSummary } from './customer-view';
import { summarise } from './touchpoint-summary';

export const RECENT_TOUCHPOINTS = 20;

const TOUCHPOINT_TYPE: Record<CustomerEvent['type'], TouchpointType> = {
  WebVisitRecorded: 'web_visit',
  CallLogged: 'call',
  EmailRecorded: 'email',
  PurchaseCompleted: 'purchase',
  OrderCancelled: 'cancellation',
  ComplaintRaised: 'complaint',
  ComplaintResolved: 'complaint_resolved',
};

export function initialCustomerView(customerId: string): CustomerView {
  return {
    customerId,
    sources: [],
    firstSeenAt: '',
    lastSeenAt: '',
    touchpointCount: 0,
    countsByType: {},
    countsByChannel: {},
    orders: [],
    orderCount: 0,
    cancellationCount: 0,
    grossRevenue: {},
    netRevenue: {},
    lastTouchpoint: null,
    openComplaints: [],
    complaintsRaised: 0,
    complaintsResolved: 0,
    recentTouchpoints: [],
  };
}

/**
 * Event time only: first/last seen are the min/max of occurredAt, and "recent" means newest
 * by occurredAt, so late-arriving events land where they happened and a replay equals live.
 */
export function evolveCustomerView(view: CustomerView, event: CustomerEvent): CustomerView {
  const { occurredAt, channel } = event.data;
  const type = TOUCHPOINT_TYPE[event.type];
  const touchpoint = summarise(event, type);
  const recentTouchpoints = insertRecent(view.recentTouchpoints, touchpoint);
  const common: CustomerView = {
    ...view,
    sources: view.sources.includes(event.metadata.source)
      ? view.sources
      : [...view.sources, event.metadata.source].sort(),
    firstSeenAt: !view.firstSeenAt || occurredAt < view.firstSeenAt ? occurredAt : view.firstSeenAt,
    lastSeenAt: occurredAt > view.lastSeenAt ? occurredAt : view.lastSeenAt,
    touchpointCount: view.touchpointCount + 1,
    countsByType: { ...view.countsByType, [type]: (view.countsByType[type] ?? 0) + 1 },
    countsByChannel: {
      ...view.countsByChannel,
      [channel]: (view.countsByChannel[channel] ?? 0) + 1,
    },
    lastTouchpoint: recentTouchpoints[0],
    recentTouchpoints,
  };

  switch (event.type) {
    case 'PurchaseCompleted': {
      const order: OrderSummary = {
        orderId: event.data.orderId,
        purchasedAt: occurredAt,
        channel,
        amount: event.data.amount,
        cancelledMinor: 0,
        status: 'completed',
        itemCount: (event.data.items ?? []).reduce((sum, item) => sum + item.quantity, 0),
      };
      return {
        ...common,
        orders: [...view.orders, order],
        orderCount: view.orderCount + 1,
        grossRevenue: addMoney(view.grossRevenue, event.data.amount),
        netRevenue: addMoney(view.netRevenue, event.data.amount),
      };
    }
    case 'OrderCancelled': {
      const { orderId, amount, wholeOrder } = event.data;
      return {
        ...common,
        orders: view.orders.map((order) =>
          order.orderId === orderId
            ? {
                ...order,
                cancelledMinor: order.cancelledMinor + amount.minor,
                status: wholeOrder ? 'cancelled' : 'partially_cancelled',
              }
            : order,
        ),
        cancellationCount: view.cancellationCount + 1,
        netRevenue: addMoney(view.netRevenue, amount, -1),
      };
    }
    case 'ComplaintRaised': {
      const { complaintId, category, severity } = event.data;
      return {
        ...common,
        openComplaints: [
          ...view.openComplaints,
          { complaintId, category, ...(severity ? { severity } : {}), raisedAt: occurredAt },
        ],
        complaintsRaised: view.complaintsRaised + 1,
      };
    }
    case 'ComplaintResolved':
      return {
        ...common,
        openComplaints: view.openComplaints.filter((c) => c.complaintId !== event.data.complaintId),
        complaintsResolved: view.complaintsResolved + 1,
      };
    default:
      return common;
  }
}

/** Newest first by event time; ties broken by source and id so the order never depends on arrival. */
function insertRecent(
  recent: readonly TouchpointSummary[],
  touchpoint: TouchpointSummary,
): TouchpointSummary[] {
  return [...recent, touchpoint].sort(newestFirst).slice(0, RECENT_TOUCHPOINTS);
}

function newestFirst(a: TouchpointSummary, b: TouchpointSummary): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.touchpointId < b.touchpointId ? -1 : a.touchpointId > b.touchpointId ? 1 : 0;
}

export const customerViewProjection: Projection<CustomerView> = {
  name: 'customer-view',
  version: 1,
  canHandle: () => true,
  initialState: initialCustomerView,
  evolve: evolveCustomerView,
};
