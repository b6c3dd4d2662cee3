import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { customerStreamName, TOUCHPOINT_TYPE_OF, upcastCustomerEvent } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@rapport/event-store';
import { profileOf } from '@rapport/projector';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { GetCustomerTimelineQuery, type TimelinePage } from './get-customer-timeline.query';
import { matches, type TimelineItem } from './timeline-item';

/** Events read per round trip; filters may skip many, so it is not tied to the page size. */
const CHUNK = 500;

/**
 * Straight from the customer's stream in the event store (not a read model): the timeline is
 * complete and current the moment a write returns. Reads backwards in chunks until the page
 * is full, plus one more match to know whether there is a next page.
 */
@QueryHandler(GetCustomerTimelineQuery)
export class GetCustomerTimelineHandler implements IQueryHandler<GetCustomerTimelineQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute(query: GetCustomerTimelineQuery): Promise<TimelinePage | undefined> {
    const profile = await profileOf(this.readStore, query.customerId);
    if (profile.members.length > 1) return this.profilePage(query, profile.members);
    const stream = customerStreamName(query.customerId);
    const items: TimelineItem[] = [];
    let from = query.before === undefined ? undefined : query.before - 1n;
    let sawEvents = false;
    while (items.length <= query.limit && (from === undefined || from >= 0n)) {
      const events = await this.eventStore.readStream(stream, {
        direction: 'backwards',
        ...(from === undefined ? {} : { fromRevision: from }),
        maxCount: CHUNK,
      });
      if (events.length === 0) break;
      sawEvents = true;
      for (const event of events) {
        const item = toItem(event);
        if (item && matches(item, query.filter)) items.push(item);
      }
      from = events[events.length - 1].revision - 1n;
    }
    if (!sawEvents && !(await this.exists(stream))) return undefined;
    const page = items.slice(0, query.limit);
    return items.length > query.limit
      ? { items: page, nextCursor: page[page.length - 1].revision }
      : { items: page };
  }

  /**
   * A merged profile's touchpoints: its member streams merged by global position, newest
   * first, each item naming the member it landed on. The cursor is then a global position (a
   * revision belongs to one stream). A profile's streams are one person's history, so they are
   * read whole rather than merged chunk by chunk.
   */
  private async profilePage(
    query: GetCustomerTimelineQuery,
    members: readonly string[],
  ): Promise<TimelinePage | undefined> {
    const streams = await Promise.all(
      members.map((member) => this.eventStore.readStream(customerStreamName(member))),
    );
    if (streams.every((events) => events.length === 0)) return undefined;
    const items: TimelineItem[] = [];
    const newestFirst = streams
      .flatMap((events, i) => events.map((event) => ({ event, member: members[i] })))
      .filter(({ event }) => query.before === undefined || event.position < query.before)
      .sort((a, b) => (a.event.position < b.event.position ? 1 : -1));
    for (const { event, member } of newestFirst) {
      const item = toItem(event);
      if (item && matches(item, query.filter)) items.push({ ...item, customerId: member });
      if (items.length > query.limit) break;
    }
    const page = items.slice(0, query.limit);
    return items.length > query.limit
      ? { items: page, nextCursor: page[page.length - 1].position, members }
      : { items: page, members };
  }

  private async exists(stream: string): Promise<boolean> {
    return (
      (await this.eventStore.readStream(stream, { direction: 'backwards', maxCount: 1 })).length > 0
    );
  }
}

function toItem(recorded: RecordedEvent): TimelineItem | undefined {
  const event = upcastCustomerEvent(recorded);
  // The erasure is no touchpoint: the view says when it was made (erasedAt).
  if (!event || event.type === 'CustomerErased') return undefined;
  const { customerId: _c, touchpointId, occurredAt, channel, ...data } = event.data;
  return {
    revision: recorded.revision.toString(),
    position: recorded.position.toString(),
    eventId: recorded.id,
    eventType: event.type,
    type: TOUCHPOINT_TYPE_OF[event.type],
    touchpointId,
    source: event.metadata.source,
    channel,
    occurredAt,
    recordedAt: recorded.recordedAt.toISOString(),
    data,
  };
}
