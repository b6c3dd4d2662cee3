import type { Touchpoint } from '@rapport/domain';

export type ItemOutcome =
  | { readonly status: 'recorded'; readonly eventId: string }
  | { readonly status: 'duplicate'; readonly eventId: string }
  | {
      readonly status: 'rejected';
      readonly code: string;
      readonly reason: string;
      /** When the touchpoint id was recorded for another customer first: that customer. */
      readonly firstCustomerId?: string;
    };

export interface CustomerBatch {
  readonly customerId: string;
  /** In the order they must be decided (arrival order); all for this customer. */
  readonly touchpoints: readonly Touchpoint[];
}
