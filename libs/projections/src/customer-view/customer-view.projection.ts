import { interPurchaseGapDays } from '@rapport/analytics';
import {
  addMoney,
  TOUCHPOINT_TYPE_OF,
  type CustomerEvent,
  type MoneyByCurrency,
} from '@rapport/domain';
import type { Projection } from '../projection';
import type {
  CustomerView,
  OrderSummary,
  PurchaseGapStats,
  TouchpointSummary,
} from './customer-view';
import { summarise } from './touchpoint-summary';

export const RECENT_TOUCHPOINTS = 20;

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
    channelsUsed: [],
    averageOrderValue: {},
    cancellationRate: 0,
    purchaseGaps: { count: 0, medianDays: null, meanDays: null, minDays: null, maxDays: null },
    cancellations: [],
    complaintHistory: [],
    activityByDay: [],
  };
}

/**
 * Event time only: first/last seen are the min/max of occurredAt, and "recent" means newest
 * by occurredAt, so late-arriving events land where they happened and a replay equals live.
 */
export function evolveCustomerView(view: CustomerView, event: CustomerEvent): CustomerView {
  const { occurredAt, channel } = event.data;
  const type = TOUCHPOINT_TYPE_OF[event.type];
  const recentTouchpoints = insertRecent(view.recentTouchpoints, summarise(event, type));
  const changed = changesOf(view, event);
  // One literal with every field, no spread: the projection runs once per event, and V8 builds
  // a fixed-shape literal many times faster than it spreads a 30-field object.
  return {
    customerId: view.customerId,
    sources: view.sources.includes(event.metadata.source)
      ? view.sources
      : [...view.sources, event.metadata.source].sort(),
    firstSeenAt: !view.firstSeenAt || occurredAt < view.firstSeenAt ? occurredAt : view.firstSeenAt,
    lastSeenAt: occurredAt > view.lastSeenAt ? occurredAt : view.lastSeenAt,
    touchpointCount: view.touchpointCount + 1,
    countsByType: increment(view.countsByType, type),
    countsByChannel: increment(view.countsByChannel, channel),
    orders: changed.orders ?? view.orders,
    orderCount: changed.orders?.length ?? view.orderCount,
    cancellationCount: changed.cancellations ? view.cancellationCount + 1 : view.cancellationCount,
    grossRevenue: changed.grossRevenue ?? view.grossRevenue,
    netRevenue: changed.netRevenue ?? view.netRevenue,
    lastTouchpoint: recentTouchpoints[0],
    openComplaints: changed.openComplaints ?? view.openComplaints,
    complaintsRaised: view.complaintsRaised + (event.type === 'ComplaintRaised' ? 1 : 0),
    complaintsResolved: view.complaintsResolved + (event.type === 'ComplaintResolved' ? 1 : 0),
    recentTouchpoints,
    channelsUsed: view.channelsUsed.includes(channel)
      ? view.channelsUsed
      : [...view.channelsUsed, channel].sort(),
    averageOrderValue: changed.averageOrderValue ?? view.averageOrderValue,
    cancellationRate: changed.orders ? cancellationRate(changed.orders) : view.cancellationRate,
    purchaseGaps: changed.purchaseGaps ?? view.purchaseGaps,
    cancellations: changed.cancellations ?? view.cancellations,
    complaintHistory: changed.complaintHistory ?? view.complaintHistory,
    activityByDay: countDay(view.activityByDay, day(occurredAt)),
  };
}

type Changes = Partial<
  Pick<
    CustomerView,
    | 'orders'
    | 'grossRevenue'
    | 'netRevenue'
    | 'averageOrderValue'
    | 'purchaseGaps'
    | 'cancellations'
    | 'openComplaints'
    | 'complaintHistory'
  >
>;

/** What only some event types change. */
function changesOf(view: CustomerView, event: CustomerEvent): Changes {
  const { occurredAt, channel } = event.data;
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
      const orders = [...view.orders, order];
      const grossRevenue = addMoney(view.grossRevenue, event.data.amount);
      return {
        orders,
        grossRevenue,
        netRevenue: addMoney(view.netRevenue, event.data.amount),
        averageOrderValue: averageOrderValue(grossRevenue, orders),
        purchaseGaps: purchaseGapStats(orders.map((o) => o.purchasedAt)),
      };
    }
    case 'OrderCancelled': {
      const { orderId, amount, wholeOrder } = event.data;
      const orders = view.orders.map((order): OrderSummary =>
        order.orderId === orderId
          ? {
              ...order,
              cancelledMinor: order.cancelledMinor + amount.minor,
              status: wholeOrder ? 'cancelled' : 'partially_cancelled',
            }
          : order,
      );
      return {
        orders,
        netRevenue: addMoney(view.netRevenue, amount, -1),
        cancellations: [...view.cancellations, { orderId, occurredAt, amount }],
      };
    }
    case 'ComplaintRaised': {
      const { complaintId, category, severity } = event.data;
      return {
        openComplaints: [
          ...view.openComplaints,
          { complaintId, category, ...(severity ? { severity } : {}), raisedAt: occurredAt },
        ],
        complaintHistory: [
          ...view.complaintHistory,
          { complaintId, category, raisedAt: occurredAt },
        ],
      };
    }
    case 'ComplaintResolved':
      return {
        openComplaints: view.openComplaints.filter((c) => c.complaintId !== event.data.complaintId),
        complaintHistory: view.complaintHistory.map((c) =>
          c.complaintId === event.data.complaintId ? { ...c, resolvedAt: occurredAt } : c,
        ),
      };
    default:
      return NO_CHANGES;
  }
}

const NO_CHANGES: Changes = {};

function increment<K extends string>(
  counts: Readonly<Partial<Record<K, number>>>,
  key: K,
): Partial<Record<K, number>> {
  const next: Partial<Record<K, number>> = { ...counts };
  next[key] = (next[key] ?? 0) + 1;
  return next;
}

function day(occurredAt: string): string {
  return occurredAt.slice(0, 10);
}

/** Adds one to the day's count, keeping day order; events mostly arrive for the latest day. */
function countDay(
  days: ReadonlyArray<readonly [string, number]>,
  today: string,
): Array<readonly [string, number]> {
  let i = days.length;
  while (i > 0 && days[i - 1][0] > today) i--;
  const copy = days.slice();
  if (i > 0 && days[i - 1][0] === today) copy[i - 1] = [today, days[i - 1][1] + 1];
  else copy.splice(i, 0, [today, 1]);
  return copy;
}

function averageOrderValue(
  gross: MoneyByCurrency,
  orders: readonly OrderSummary[],
): MoneyByCurrency {
  const counts: Record<string, number> = {};
  for (const order of orders)
    counts[order.amount.currency] = (counts[order.amount.currency] ?? 0) + 1;
  return Object.fromEntries(
    Object.entries(gross).map(([currency, minor]) => [
      currency,
      Math.round(minor / counts[currency]),
    ]),
  );
}

function cancellationRate(orders: readonly OrderSummary[]): number {
  return orders.length === 0
    ? 0
    : orders.filter((o) => o.status !== 'completed').length / orders.length;
}

/** Gaps between purchase days in event-time order, whatever order the events arrived in. */
function purchaseGapStats(purchasedAt: readonly string[]): PurchaseGapStats {
  const gaps = interPurchaseGapDays(purchasedAt, Number.MAX_SAFE_INTEGER).sort((a, b) => a - b);
  if (gaps.length === 0)
    return { count: 0, medianDays: null, meanDays: null, minDays: null, maxDays: null };
  const middle = gaps.length >> 1;
  return {
    count: gaps.length,
    medianDays: gaps.length % 2 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2,
    meanDays: gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length,
    minDays: gaps[0],
    maxDays: gaps[gaps.length - 1],
  };
}

/** Newest first by event time; ties broken by source and id so the order never depends on arrival. */
function insertRecent(
  recent: readonly TouchpointSummary[],
  touchpoint: TouchpointSummary,
): TouchpointSummary[] {
  // Scanned from the newest end: in a live log the new touchpoint is almost always the newest.
  let i = 0;
  while (i < recent.length && newestFirst(recent[i], touchpoint) <= 0) i++;
  if (i >= RECENT_TOUCHPOINTS) return recent as TouchpointSummary[];
  const copy = recent.slice(0, RECENT_TOUCHPOINTS - 1);
  copy.splice(i, 0, touchpoint);
  return copy;
}

function newestFirst(a: TouchpointSummary, b: TouchpointSummary): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.touchpointId < b.touchpointId ? -1 : a.touchpointId > b.touchpointId ? 1 : 0;
}

export const customerViewProjection: Projection<CustomerView> = {
  name: 'customer-view',
  version: 2,
  canHandle: () => true,
  initialState: initialCustomerView,
  evolve: evolveCustomerView,
};
