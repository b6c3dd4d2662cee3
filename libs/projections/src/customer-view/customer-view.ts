import type {
  Channel,
  ComplaintSeverity,
  Money,
  MoneyByCurrency,
  TouchpointType,
} from '@rapport/domain';
import type { FromMember } from './member-ids';
import type { MaybeStale } from '../stale-mark';

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

export interface OrderSummary extends FromMember {
  readonly orderId: string;
  readonly purchasedAt: string;
  readonly channel: Channel;
  readonly amount: Money;
  readonly cancelledMinor: number;
  readonly status: OrderStatus;
  readonly itemCount: number;
}

export interface OpenComplaint extends FromMember {
  readonly complaintId: string;
  readonly category: string;
  readonly severity?: ComplaintSeverity;
  readonly raisedAt: string;
}

export interface CancellationFact extends FromMember {
  readonly orderId: string;
  readonly occurredAt: string;
  readonly amount: Money;
}

export interface ComplaintRecord extends FromMember {
  readonly complaintId: string;
  readonly category: string;
  readonly raisedAt: string;
  readonly resolvedAt?: string;
}

/** Statistics of the gaps between purchase days, in event-time order (days). */
export interface PurchaseGapStats {
  readonly count: number;
  readonly medianDays: number | null;
  readonly meanDays: number | null;
  readonly minDays: number | null;
  readonly maxDays: number | null;
}

/** The single customer view: everything every channel knows about one customer. */
export interface CustomerView extends MaybeStale {
  readonly customerId: string;
  /** The channel systems that reported touchpoints for this customer. */
  readonly sources: readonly string[];
  /** The first touchpoint of any kind: when the customer became known. */
  readonly firstSeenAt: string;
  /** The customer's own latest step (see initiativeOf); null while they have taken none. */
  readonly lastSeenAt: string | null;
  /** The business's latest touchpoint with the customer (outbound emails and calls, replies,
   * resolved complaints); null if none. */
  readonly lastContactedAt: string | null;
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
  /** Channels the customer used, alphabetical. */
  readonly channelsUsed: readonly Channel[];
  /** Gross revenue over orders, per currency, rounded to whole minor units. */
  readonly averageOrderValue: MoneyByCurrency;
  /** Cancelled orders (whole or partly) over orders; 0 without orders. */
  readonly cancellationRate: number;
  readonly purchaseGaps: PurchaseGapStats;
  /** Facts the query-time analytics need (trailing revenue, churn rules, BG/NBD) as of any date. */
  readonly cancellations: readonly CancellationFact[];
  readonly complaintHistory: readonly ComplaintRecord[];
  /**
   * The customer's own touchpoints (see initiativeOf) per UTC day, `[YYYY-MM-DD, count]` in day
   * order, for engagement trends and last seen as of
   * any date. An array rather than an object: it is copied on every event, and copying an
   * array of pairs is far cheaper than spreading an object with hundreds of keys.
   */
  readonly activityByDay: ReadonlyArray<readonly [string, number]>;
  /**
   * When the customer's personal data was last erased (event time of the erasure); absent if
   * never. Touchpoints recorded before it are summarised without their personal fields.
   */
  readonly erasedAt?: string;
  /**
   * Service the customer took per UTC day, `[YYYY-MM-DD, call seconds, emails sent to them]` in
   * day order, for the cost to serve as of any date. Absent in views stored before it existed
   * (a rebuild of customer-view fills it in).
   */
  readonly serviceByDay?: ReadonlyArray<readonly [string, number, number]>;
}
