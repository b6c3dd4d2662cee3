import type { DateInput } from '../shared/date-input';

/** Stable reason codes: part of the API contract (dashboards and CSV exports key on them). */
export type ChurnReasonCode =
  | 'PURCHASE_OVERDUE'
  | 'RECENT_CANCELLATIONS'
  | 'UNRESOLVED_COMPLAINTS'
  | 'FALLING_ENGAGEMENT'
  | 'LOW_PROBABILITY_ALIVE';

export const CHURN_REASON_CODES: readonly ChurnReasonCode[] = [
  'PURCHASE_OVERDUE',
  'RECENT_CANCELLATIONS',
  'UNRESOLVED_COMPLAINTS',
  'FALLING_ENGAGEMENT',
  'LOW_PROBABILITY_ALIVE',
];

/** A fired rule: its code, a sentence for people, and the numbers behind it for machines. */
export interface ChurnReason {
  readonly code: ChurnReasonCode;
  readonly explanation: string;
  readonly facts: Readonly<Record<string, number | string>>;
}

export interface ComplaintFact {
  readonly complaintId: string;
  readonly raisedAt: DateInput;
  /** Absent while the complaint is open. */
  readonly resolvedAt?: DateInput;
}

/** What the rules need to know about one customer (from the single customer view). */
export interface ChurnFacts {
  readonly purchaseDates: readonly DateInput[];
  readonly cancellationDates: readonly DateInput[];
  readonly complaints: readonly ComplaintFact[];
  /** Every step the customer took, in any channel (visits, inbound calls, emails they opened,
   * purchases, …); the business's own contact is no sign of engagement. */
  readonly touchpointDates: readonly DateInput[];
}

export interface ChurnRuleOptions {
  /** Overdue when days since last purchase > factor × the customer's median gap (and > their
   * longest gap). Default 4. */
  readonly overdueFactor?: number;
  /** Gaps between purchase days a customer needs before they can be overdue. Default 2. */
  readonly minOwnGaps?: number;
  /** Window for RECENT_CANCELLATIONS, days. Default 90. */
  readonly cancellationWindowDays?: number;
  /** Cancellations in the window that fire the rule. Default 1. */
  readonly minCancellations?: number;
  /** An open complaint older than this fires UNRESOLVED_COMPLAINTS, days. Default 14. */
  readonly complaintAgeDays?: number;
  /** Fires when the last 30 days' touchpoints fall below this fraction of the prior
   * 90 days' rate per 30 days. Default 0.5. */
  readonly engagementDropRatio?: number;
  /** The prior rate (touchpoints per 30 days) must reach this for a drop to mean anything.
   * Default 1. */
  readonly minPriorEngagementPer30Days?: number;
}

export interface ChurnContext {
  readonly asOf: DateInput;
  readonly options?: ChurnRuleOptions;
}
