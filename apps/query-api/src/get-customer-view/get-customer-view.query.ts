import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '@rapport/projections';
import type { CustomerInsights } from '@rapport/insights';
import type { ProfileMembership } from '@rapport/projector';

export interface CustomerViewResult {
  readonly view: CustomerView;
  /** Position of the last event applied to this customer's view. */
  readonly position: bigint;
  /** Value tier, churn risk with reasons and segment as of `asOf`; null before the first model. */
  readonly insights: CustomerInsights | null;
  /** The profile the asked customer belongs to: the view is the profile's, all members' events. */
  readonly profile: ProfileMembership;
}

export class GetCustomerViewQuery extends Query<CustomerViewResult | undefined> {
  constructor(
    readonly customerId: string,
    /** Explicit instant for the insights; default: now against the current model. */
    readonly asOf?: string,
  ) {
    super();
  }
}
