import type { CsvColumn } from '@rapport/http';
import type { TimelineItem } from './timeline-item';

/** The same fields as JSON, one column each; `data` stays JSON in one cell. */
export const TIMELINE_CSV_COLUMNS: readonly CsvColumn<TimelineItem>[] = [
  { header: 'revision', value: (i) => i.revision },
  { header: 'position', value: (i) => i.position },
  { header: 'occurredAt', value: (i) => i.occurredAt },
  { header: 'type', value: (i) => i.type },
  { header: 'channel', value: (i) => i.channel },
  { header: 'source', value: (i) => i.source },
  { header: 'touchpointId', value: (i) => i.touchpointId },
  { header: 'eventType', value: (i) => i.eventType },
  { header: 'eventId', value: (i) => i.eventId },
  { header: 'recordedAt', value: (i) => i.recordedAt },
  { header: 'data', value: (i) => i.data },
];

export const TIMELINE_CSV_EXAMPLE =
  'revision,position,occurredAt,type,channel,source,touchpointId,eventType,eventId,recordedAt,data\r\n' +
  '0,41,2026-11-20T14:03:00.000Z,purchase,store,pos,pos-7781-0001,PurchaseCompleted,0b5e…,2026-11-20T14:03:02.120Z,"{""orderId"":""O-55""}"\r\n';
