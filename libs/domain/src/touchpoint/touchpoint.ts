import type { Money } from '../shared/money';
import type { Identifier } from './identifier';

/**
 * The touchpoint message: the public contract with channel systems (Kafka value or HTTP
 * body). These types describe a message that has already passed validation at the edge.
 */
export const CHANNELS = ['web', 'phone', 'email', 'store', 'mail', 'app', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TOUCHPOINT_TYPES = [
  'web_visit',
  'call',
  'email',
  'purchase',
  'cancellation',
  'complaint',
  'complaint_resolved',
] as const;
export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const EMAIL_ACTIONS = ['sent', 'opened', 'clicked', 'replied'] as const;
export type EmailAction = (typeof EMAIL_ACTIONS)[number];

export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

export interface WebVisitData {
  readonly url: string;
  readonly referrer?: string;
  readonly sessionId?: string;
  readonly durationSeconds?: number;
}

export interface CallData {
  readonly direction: Direction;
  readonly durationSeconds: number;
  readonly reason?: string;
  readonly outcome?: string;
}

export interface EmailData {
  readonly direction: Direction;
  readonly action: EmailAction;
  readonly campaignId?: string;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice?: Money;
}

export interface PurchaseData {
  readonly orderId: string;
  readonly amount: Money;
  readonly items?: readonly OrderItem[];
}

export interface CancellationData {
  readonly orderId: string;
  /** Absent: the whole (remaining) order is cancelled. */
  readonly amount?: Money;
  readonly reason?: string;
}

export interface ComplaintData {
  readonly complaintId: string;
  readonly category: string;
  readonly severity?: ComplaintSeverity;
}

export interface ComplaintResolvedData {
  readonly complaintId: string;
  readonly resolution?: string;
}

interface TouchpointOf<Type extends TouchpointType, Data> {
  readonly touchpointId: string;
  readonly source: string;
  /** The customer stream the touchpoint lands on (given, or resolved from its identifiers). */
  readonly customerId: string;
  /** Further identifiers it carried, normalised; absent on touchpoints that named only a customerId. */
  readonly identifiers?: readonly Identifier[];
  readonly type: Type;
  /** Event time, ISO 8601 in UTC (normalised at the edge). */
  readonly occurredAt: string;
  readonly channel: Channel;
  readonly data: Data;
}

export type WebVisitTouchpoint = TouchpointOf<'web_visit', WebVisitData>;
export type CallTouchpoint = TouchpointOf<'call', CallData>;
export type EmailTouchpoint = TouchpointOf<'email', EmailData>;
export type PurchaseTouchpoint = TouchpointOf<'purchase', PurchaseData>;
export type CancellationTouchpoint = TouchpointOf<'cancellation', CancellationData>;
export type ComplaintTouchpoint = TouchpointOf<'complaint', ComplaintData>;
export type ComplaintResolvedTouchpoint = TouchpointOf<'complaint_resolved', ComplaintResolvedData>;

export type Touchpoint =
  | WebVisitTouchpoint
  | CallTouchpoint
  | EmailTouchpoint
  | PurchaseTouchpoint
  | CancellationTouchpoint
  | ComplaintTouchpoint
  | ComplaintResolvedTouchpoint;

/**
 * A touchpoint as decoded at the edge, before identity resolution: it names its customer by
 * customerId, by identifiers, or both (the contract requires at least one).
 */
export type IncomingTouchpoint = Touchpoint extends infer T
  ? T extends Touchpoint
    ? Omit<T, 'customerId'> & { readonly customerId?: string }
    : never
  : never;

/** True when the touchpoint names its customer stream itself (no resolution needed). */
export function namesCustomer(touchpoint: IncomingTouchpoint): touchpoint is Touchpoint {
  return touchpoint.customerId !== undefined;
}
