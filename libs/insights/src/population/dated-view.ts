import type { CustomerView, MaybeStale } from '@rapport/projections';

/**
 * The part of a customer's view that every as-of result is computed from: the dated facts
 * (orders, cancellations, complaints, activity and service per day), first and last seen, the
 * revenue per currency, the channels, and the projector's stale mark. The functions that read
 * a view as of a date take this type, so the compiler holds them to these fields: a view cut
 * down to them (datedViewOf) gives the same results as the whole view.
 */
export type DatedView = Pick<
  CustomerView,
  | 'customerId'
  | 'firstSeenAt'
  | 'lastSeenAt'
  | 'orders'
  | 'cancellations'
  | 'complaintHistory'
  | 'activityByDay'
  | 'serviceByDay'
  | 'netRevenue'
  | 'channelsUsed'
> &
  MaybeStale;

/**
 * The view cut down to its dated part, sharing the view's own lists (not copied): what is kept
 * of it between as-of computations, the rest (recent touchpoints, counts, sources) left to the
 * collector.
 */
export function datedViewOf(view: CustomerView): DatedView {
  return {
    customerId: view.customerId,
    firstSeenAt: view.firstSeenAt,
    lastSeenAt: view.lastSeenAt,
    orders: view.orders,
    cancellations: view.cancellations,
    complaintHistory: view.complaintHistory,
    activityByDay: view.activityByDay,
    ...(view.serviceByDay === undefined ? {} : { serviceByDay: view.serviceByDay }),
    netRevenue: view.netRevenue,
    channelsUsed: view.channelsUsed,
    ...(view.stale === undefined ? {} : { stale: view.stale }),
  };
}
