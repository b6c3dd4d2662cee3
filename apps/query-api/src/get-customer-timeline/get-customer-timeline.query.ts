import { Query } from '@nestjs/cqrs';
import type { TimelineFilter, TimelineItem } from './timeline-item';

export interface TimelinePage {
  readonly items: readonly TimelineItem[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  readonly nextCursor?: string;
  /** Set when the customer is in a merged profile: every member, whose streams were merged. */
  readonly members?: readonly string[];
}

/** A page of a customer's touchpoints, newest recorded first; undefined for an unknown customer. */
export class GetCustomerTimelineQuery extends Query<TimelinePage | undefined> {
  constructor(
    readonly customerId: string,
    readonly filter: TimelineFilter,
    readonly limit: number,
    /**
     * Only events with a revision below this one (from a previous page); for a merged profile,
     * a global position.
     */
    readonly before?: bigint,
  ) {
    super();
  }
}
