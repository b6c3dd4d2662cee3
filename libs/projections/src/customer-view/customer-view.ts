import type {
  Channel,
  ComplaintSeverity,
  Money,
  MoneyByCurrency,
  TouchpointType,
} from '@rapport/domain';

export interface TouchpointSummary {
  readonly touchpointId: string;
  readonly source: string;
  readonly type: TouchpointType;
  readonly channel: Channel;
  readonly occurredAt: string;
  /** A short human-readable line, e.g. "purchase O-55 49.99 EUR". */
  readonly summary: string;
}

export type OrderStatus = 'completed' | 'partially_cancelled' | 'cancelled';

export interface OrderSummary {
  readonly orderId: string;
  readonly purchasedAt: string;
  readonly channel: Channel;
  readonly amount: Money;
  readonly cancelledMinor: number;
  readonly status: OrderStatus;
  readonly itemCount: number;
}

export interface OpenComplaint {
  readonly complaintId: string;
  readonly category: string;
  readonly severity?: ComplaintSeverity;
  readonly raisedAt: string;
}

/** The single customer view: everything every channel knows about one customer. */
export interface CustomerView {
  readonly customerId: string;
  /** The channel systems that reported touchpoints for this customer. */
  readonly sources: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly touchpointCount: number;
  readonly countsByType: Readonly<Partial<Record<TouchpointType, number>>>;
  readonly countsByChannel: Readonly<Partial<Record<Channel, number>>>;
  readonly orders: readonly OrderSummary[];
  readonly orderCount: number;
  readonly cancellationCount: number;
  readonly grossRevenue: MoneyByCurrency;
  readonly netRevenue: MoneyByCurrency;
  readonly lastTouchpoint: TouchpointSummary | null;
  readonly openComplaints: readonly OpenComplaint[];
  readonly complaintsRaised: number;
  readonly complaintsResolved: number;
  /** The most recent touchpoints by event time, newest first. */
  readonly recentTouchpoints: readonly TouchpointSummary[];
}
