import { Query } from '@nestjs/cqrs';
import type { TimelineFilter, TimelineItem } from './timeline-item';

export interface TimelinePage {
  readonly items: readonly TimelineItem[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  readonly nextCursor?: string;
}

/** A page of a customer's touchpoints, newest recorded first; undefined for an unknown customer. */
export class GetCustomerTimelineQuery extends Query<TimelinePage | undefined> {
  constructor(
    readonly customerId: string,
    readonly filter: TimelineFilter,
    readonly limit: number,
    /** Only events with a revision below this one (from a previous page). */
    readonly before?: bigint,
  ) {
    super();
  }
}
