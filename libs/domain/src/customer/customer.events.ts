import type { Money } from '../shared/money';
import type {
  CallData,
  Channel,
  ComplaintData,
  ComplaintResolvedData,
  EmailData,
  PurchaseData,
  TouchpointType,
  WebVisitData,
} from '../touchpoint/touchpoint';

/** The current shape of every customer event; older shapes are upcast on read. */
export const CUSTOMER_EVENT_SCHEMA_VERSION = 1;

export interface EventMetadata {
  readonly schemaVersion: number;
  /** The channel system that produced the touchpoint (e.g. "pos", "webshop"). */
  readonly source: string;
  /** When Rapport accepted the touchpoint (wall clock at the edge; never used by projections). */
  readonly ingestedAt: string;
  readonly correlationId: string;
}

/** Facts every customer event carries, whatever its type. */
export interface TouchpointFacts {
  readonly customerId: string;
  readonly touchpointId: string;
  /** Event time: when it happened in the world, ISO 8601 UTC. */
  readonly occurredAt: string;
  readonly channel: Channel;
}

type CustomerEventOf<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<TouchpointFacts & Data>;
  metadata: EventMetadata;
}>;

export type WebVisitRecorded = CustomerEventOf<'WebVisitRecorded', WebVisitData>;
export type CallLogged = CustomerEventOf<'CallLogged', CallData>;
export type EmailRecorded = CustomerEventOf<'EmailRecorded', EmailData>;
export type PurchaseCompleted = CustomerEventOf<'PurchaseCompleted', PurchaseData>;
export type OrderCancelled = CustomerEventOf<
  'OrderCancelled',
  {
    readonly orderId: string;
    /** What was cancelled: the requested amount, or all that remained of the order. */
    readonly amount: Money;
    readonly wholeOrder: boolean;
    readonly reason?: string;
  }
>;
export type ComplaintRaised = CustomerEventOf<'ComplaintRaised', ComplaintData>;
export type ComplaintResolved = CustomerEventOf<'ComplaintResolved', ComplaintResolvedData>;
/**
 * The customer's personal data was erased (right to be forgotten): their data key is destroyed,
 * and views keep only the anonymous facts. Not a touchpoint: `touchpointId` names the erasure,
 * `occurredAt` is when it was made, `channel` is `other`; `reason` is the operator's.
 */
export type CustomerErased = CustomerEventOf<'CustomerErased', { readonly reason: string }>;

export type CustomerEvent =
  | WebVisitRecorded
  | CallLogged
  | EmailRecorded
  | PurchaseCompleted
  | OrderCancelled
  | ComplaintRaised
  | ComplaintResolved
  | CustomerErased;

/** The events that record a touchpoint (all but the erasure). */
export type TouchpointEvent = Exclude<CustomerEvent, CustomerErased>;

export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = [
  'WebVisitRecorded',
  'CallLogged',
  'EmailRecorded',
  'PurchaseCompleted',
  'OrderCancelled',
  'ComplaintRaised',
  'ComplaintResolved',
  'CustomerErased',
];

/** The touchpoint type each event records; exhaustive, so a new event type must be given one. */
export const TOUCHPOINT_TYPE_OF: Readonly<Record<TouchpointEvent['type'], TouchpointType>> = {
  WebVisitRecorded: 'web_visit',
  CallLogged: 'call',
  EmailRecorded: 'email',
  PurchaseCompleted: 'purchase',
  OrderCancelled: 'cancellation',
  ComplaintRaised: 'complaint',
  ComplaintResolved: 'complaint_resolved',
};

export function isCustomerEventType(type: string): type is CustomerEventType {
  return (CUSTOMER_EVENT_TYPES as readonly string[]).includes(type);
}
