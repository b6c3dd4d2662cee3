import type { CustomerEventType, TouchpointType } from '@rapport/domain';

export interface TimelineItem {
  /** Revision in the customer's stream: the cursor of the timeline (of one stream). */
  readonly revision: string;
  /** A merged profile's timeline only: the member customer whose stream holds the event. */
  readonly customerId?: string;
  readonly position: string;
  readonly eventId: string;
  readonly eventType: CustomerEventType;
  readonly type: TouchpointType;
  readonly touchpointId: string;
  readonly source: string;
  readonly channel: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The type's own fields (what the touchpoint's `data` carried, as recorded). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TimelineFilter {
  readonly types?: readonly TouchpointType[];
  readonly channels?: readonly string[];
  /** Inclusive lower bound on occurredAt (epoch ms). */
  readonly fromMs?: number;
  /** Exclusive upper bound on occurredAt (epoch ms). */
  readonly toMs?: number;
}

export function matches(item: TimelineItem, filter: TimelineFilter): boolean {
  if (filter.types && !filter.types.includes(item.type)) return false;
  if (filter.channels && !filter.channels.includes(item.channel)) return false;
  const at = Date.parse(item.occurredAt);
  if (filter.fromMs !== undefined && at < filter.fromMs) return false;
  if (filter.toMs !== undefined && at >= filter.toMs) return false;
  return true;
}
