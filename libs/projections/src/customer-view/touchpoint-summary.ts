import type { Money, TouchpointEvent, TouchpointType } from '@rapport/domain';
import type { TouchpointSummary } from './customer-view';

export function summarise(event: TouchpointEvent, type: TouchpointType): TouchpointSummary {
  return {
    touchpointId: event.data.touchpointId,
    source: event.metadata.source,
    type,
    channel: event.data.channel,
    occurredAt: event.data.occurredAt,
    summary: describe(event),
  };
}

function describe(event: TouchpointEvent): string {
  switch (event.type) {
    case 'WebVisitRecorded':
      return `visited ${event.data.url}`;
    case 'CallLogged':
      return `${event.data.direction} call, ${event.data.durationSeconds}s${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'EmailRecorded':
      return `email ${event.data.action} (${event.data.direction})`;
    case 'PurchaseCompleted':
      return `purchase ${event.data.orderId} ${formatMoney(event.data.amount)}`;
    case 'OrderCancelled':
      return `cancelled ${event.data.orderId} ${formatMoney(event.data.amount)}`;
    case 'ComplaintRaised':
      return `complaint ${event.data.complaintId} (${event.data.category})`;
    case 'ComplaintResolved':
      return `complaint ${event.data.complaintId} resolved`;
    default: {
      const unknown: never = event;
      return String((unknown as TouchpointEvent).type);
    }
  }
}

/** Minor units as a plain decimal string per ISO 4217 exponent (2 unless known otherwise). */
export function formatMoney(money: Money): string {
  const digits = ZERO_DECIMAL.has(money.currency) ? 0 : THREE_DECIMAL.has(money.currency) ? 3 : 2;
  const sign = money.minor < 0 ? '-' : '';
  const abs = Math.abs(money.minor)
    .toString()
    .padStart(digits + 1, '0');
  const units = digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  return `${sign}${units} ${money.currency}`;
}

const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
