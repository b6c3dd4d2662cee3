import type { TimelineItem } from './api.types';
import { formatMoney } from './format';

interface Money {
  readonly minor: number;
  readonly currency: string;
}

function isMoney(value: unknown): value is Money {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Money).minor === 'number' &&
    typeof (value as Money).currency === 'string'
  );
}

/** One touchpoint of the timeline in words ("purchase O-55, 49.99 EUR"). */
export function describeTouchpoint(item: TimelineItem): string {
  const d = item.data;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  switch (item.type) {
    case 'purchase':
      return `purchase ${text('orderId') ?? ''}${isMoney(d.amount) ? `, ${formatMoney(d.amount.minor, d.amount.currency)}` : ''}`;
    case 'cancellation':
      return `cancellation of ${text('orderId') ?? 'an order'}${isMoney(d.amount) ? `, ${formatMoney(d.amount.minor, d.amount.currency)}` : ' (what was left)'}${text('reason') ? `: ${text('reason')}` : ''}`;
    case 'web_visit':
      return `visited ${text('url') ?? 'the web site'}`;
    case 'call':
      return `${text('direction') ?? ''} call${typeof d.durationSeconds === 'number' ? `, ${Math.round(d.durationSeconds / 60)} min` : ''}${text('reason') ? ` about ${text('reason')}` : ''}`;
    case 'email':
      return `email ${text('action') ?? ''} (${text('direction') ?? ''})${text('campaignId') ? ` ${text('campaignId')}` : ''}`;
    case 'complaint':
      return `complaint ${text('complaintId') ?? ''} about ${text('category') ?? 'something'}${text('severity') ? ` (${text('severity')})` : ''}`;
    case 'complaint_resolved':
      return `complaint ${text('complaintId') ?? ''} resolved${text('resolution') ? `: ${text('resolution')}` : ''}`;
    default:
      return item.type.replace(/_/g, ' ');
  }
}
