import type { Channel } from '@rapport/domain';
import type { FieldProblem } from '../field-problem';
import { readCurrency, toMinorUnits } from './segment-amount';
import {
  firstPresent,
  isObject,
  readText,
  SEGMENT_CALL_TYPES,
  UNMAPPED_SEGMENT_CALL_TYPES,
  valueAt,
  type SegmentBatchDefaults,
  type SegmentCall,
  type SegmentCallType,
} from './segment-call';
import { segmentEventTime } from './segment-event-time';

/** Why a Segment call was refused: a stable code for the answer's items and logs. */
export const SEGMENT_REFUSAL_CODES = {
  /** A field is missing or wrong; the problems name it in the call's own terms. */
  invalid: 'SEGMENT_CALL_INVALID',
  /** A track event Rapport does not record (only the e-commerce spec's order events). */
  eventNotMapped: 'SEGMENT_EVENT_NOT_MAPPED',
  /** screen, group and alias calls, and types the Segment spec does not have. */
  callNotMapped: 'SEGMENT_CALL_NOT_MAPPED',
} as const;
export type SegmentRefusalCode = (typeof SEGMENT_REFUSAL_CODES)[keyof typeof SEGMENT_REFUSAL_CODES];

/** Track events recorded, by their e-commerce spec name, with what each becomes. */
export const MAPPED_TRACK_EVENTS = {
  'Order Completed': 'purchase',
  'Order Cancelled': 'cancellation',
  'Order Refunded': 'cancellation',
} as const;
type MappedTrackEvent = keyof typeof MAPPED_TRACK_EVENTS;

export interface SegmentMappingOptions {
  /** The touchpoints' `source`: with messageId it makes the event id, so retries are one event. */
  readonly source: string;
  /** The edge's clock: the receive time Segment's clock-skew correction measures against. */
  readonly receivedAt: Date;
  /** An order without `properties.currency` is in this currency; none: it is refused. */
  readonly defaultCurrency?: string;
  /** Configured identifier types (IDENTITY_EXTRA_TYPES), read from traits by their name. */
  readonly identifiers?: { readonly extraTypes?: readonly string[] };
}

/**
 * A touchpoint message of the public contract made from a Segment call, with where each of
 * its fields came from (contract path prefix → Segment path), so that what the contract then
 * refuses is said in the tracker's terms (`properties.total`, not `data.amount`).
 */
export interface MappedSegmentCall {
  /** An identify call's message names who, not what: no type, channel or data. */
  readonly kind: 'touchpoint' | 'identify';
  readonly message: Readonly<Record<string, unknown>>;
  readonly origins: ReadonlyArray<readonly [contractPath: string, segmentPath: string]>;
}

export type SegmentMapping =
  | { readonly ok: true; readonly mapped: MappedSegmentCall }
  | {
      readonly ok: false;
      readonly code: SegmentRefusalCode;
      readonly problems: readonly FieldProblem[];
    };

/**
 * Maps one Segment call (HTTP tracking API spec) to a touchpoint message: `page` → web_visit,
 * `track` "Order Completed" → purchase, "Order Cancelled" / "Order Refunded" → cancellation,
 * `identify` → the identifiers it links (a message with no type, channel or data). `type` is the route's (track, page, identify) or, in a
 * batch, the item's own. Pure: no clock (the receive time is an option), no I/O.
 */
export function mapSegmentCall(
  type: unknown,
  call: unknown,
  options: SegmentMappingOptions,
  batch: SegmentBatchDefaults = {},
): SegmentMapping {
  if (!isObject(call))
    return invalid([{ path: '', message: 'a Segment call must be a JSON object' }]);
  if (typeof type !== 'string' || !(SEGMENT_CALL_TYPES as readonly string[]).includes(type)) {
    if ((UNMAPPED_SEGMENT_CALL_TYPES as readonly string[]).includes(type as string))
      return refusal(
        SEGMENT_REFUSAL_CODES.callNotMapped,
        'type',
        `${String(type)} calls are not recorded: Rapport records ${SEGMENT_CALL_TYPES.join(', ')}`,
      );
    return refusal(
      SEGMENT_REFUSAL_CODES.invalid,
      'type',
      type === undefined
        ? 'type is required: one of track, page, identify'
        : `type must be one of track, page, identify (got ${JSON.stringify(type)})`,
    );
  }
  const context = isObject(call.context) ? call.context : batch.context;
  const problems: FieldProblem[] = [];
  const origins: Array<readonly [string, string]> = [['touchpointId', 'messageId']];
  const messageId = requiredText(
    call.messageId,
    'messageId',
    'messageId is required: it is the idempotency key (a retried call sends the same)',
    problems,
  );
  const who = identify(call, type, context, options, problems, origins);
  const time = segmentEventTime(call, batch.sentAt, options.receivedAt, problems);
  if (time) origins.push(['occurredAt', time.from]);

  const what = describeActivity(type as SegmentCallType, call, context, options, problems, origins);
  if (what && 'refused' in what) return what.refused;
  if (problems.length || !what || !time || messageId === undefined) return invalid(problems);
  // Longest first: the most specific origin names the field.
  const byLength = [...origins].sort((x, y) => y[0].length - x[0].length);
  if ('identify' in what)
    return {
      ok: true,
      mapped: {
        kind: 'identify',
        message: {
          touchpointId: messageId,
          source: options.source,
          ...who,
          occurredAt: time.occurredAt,
        },
        origins: byLength,
      },
    };
  return {
    ok: true,
    mapped: {
      kind: 'touchpoint',
      message: {
        touchpointId: messageId,
        source: options.source,
        ...who,
        type: what.type,
        occurredAt: time.occurredAt,
        channel: what.channel,
        data: what.data,
      },
      origins: byLength,
    },
  };
}

/**
 * userId → customerId; anonymousId, traits.email, traits.phone, traits.loyaltyCard and traits
 * named as a configured identifier type → identifiers (normalised later, by the contract).
 */
function identify(
  call: SegmentCall,
  type: string,
  context: unknown,
  options: SegmentMappingOptions,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): { customerId?: string; identifiers?: Array<{ type: string; value: string }> } {
  const present = (value: unknown) => value !== undefined && value !== null;
  const customerId = present(call.userId) ? readText(call.userId, 'userId', problems) : undefined;
  if (customerId !== undefined) origins.push(['customerId', 'userId']);
  const traitsPath = type === 'identify' ? 'traits' : 'context.traits';
  const traits = type === 'identify' ? call.traits : valueAt(context, 'traits');
  const candidates: ReadonlyArray<readonly [string, string, unknown]> = [
    ['anonymousId', 'anonymousId', call.anonymousId],
    ['email', `${traitsPath}.email`, valueAt(traits, 'email')],
    ...['phone', 'loyaltyCard', ...(options.identifiers?.extraTypes ?? [])].map(
      (trait) => [trait, `${traitsPath}.${trait}`, valueAt(traits, trait)] as const,
    ),
  ];
  const identifiers: Array<{ type: string; value: string }> = [];
  for (const [identifierType, path, raw] of candidates) {
    if (!present(raw)) continue;
    const value = readText(raw, path, problems);
    if (value === undefined) continue;
    origins.push([`identifiers[${identifiers.length}]`, path]);
    identifiers.push({ type: identifierType, value });
  }
  if (customerId === undefined && !present(call.userId) && !present(call.anonymousId))
    problems.push({ path: 'userId', message: 'userId or anonymousId is required' });
  return {
    ...(customerId !== undefined ? { customerId } : {}),
    ...(identifiers.length ? { identifiers } : {}),
  };
}

interface Activity {
  readonly type: string;
  readonly channel: Channel;
  readonly data: Readonly<Record<string, unknown>>;
}

function describeActivity(
  type: SegmentCallType,
  call: SegmentCall,
  context: unknown,
  options: SegmentMappingOptions,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): Activity | { readonly identify: true } | { readonly refused: SegmentMapping } | undefined {
  switch (type) {
    case 'page':
      return {
        type: 'web_visit',
        channel: 'web',
        data: webVisit(call, context, problems, origins),
      };
    case 'identify':
      // Who, not what: its identifiers are linked, and no touchpoint is recorded.
      return { identify: true };
    case 'track':
      return order(call, context, options, problems, origins);
  }
}

/** url (or path), referrer: from properties first, then context.page, as analytics.js sends them. */
function webVisit(
  call: SegmentCall,
  context: unknown,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const url = firstPresent({ call, context }, [
    'call.properties.url',
    'context.page.url',
    'call.properties.path',
    'context.page.path',
  ]);
  if (!url)
    problems.push({
      path: 'properties.url',
      message: 'properties.url is required (or context.page.url, or a path): the page visited',
    });
  else {
    data.url = readText(url.value, segmentPath(url.path), problems);
    origins.push(['data.url', segmentPath(url.path)]);
  }
  const referrer = firstPresent({ call, context }, [
    'call.properties.referrer',
    'context.page.referrer',
  ]);
  // analytics.js sends an empty referrer for a visit typed in: no referrer, not a refusal.
  if (referrer && referrer.value !== '') {
    data.referrer = readText(referrer.value, segmentPath(referrer.path), problems);
    origins.push(['data.referrer', segmentPath(referrer.path)]);
  }
  return data;
}

function segmentPath(path: string): string {
  return path.replace(/^call\./, '');
}

function order(
  call: SegmentCall,
  context: unknown,
  options: SegmentMappingOptions,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): Activity | { readonly refused: SegmentMapping } | undefined {
  if (typeof call.event !== 'string' || call.event.trim() === '') {
    problems.push({ path: 'event', message: 'event is required: the name of what happened' });
    return undefined;
  }
  const event = mappedEvent(call.event);
  if (!event)
    return {
      refused: refusal(
        SEGMENT_REFUSAL_CODES.eventNotMapped,
        'event',
        `track event "${call.event}" is not recorded: Rapport records ${Object.keys(MAPPED_TRACK_EVENTS).join(', ')}`,
      ),
    };
  const properties = isObject(call.properties) ? call.properties : {};
  if (call.properties !== undefined && !isObject(call.properties))
    problems.push({ path: 'properties', message: 'properties must be an object' });
  const channel = channelOf(context);
  const orderId = requiredText(
    properties.order_id,
    'properties.order_id',
    `properties.order_id is required for ${event}`,
    problems,
  );
  origins.push(['data.orderId', 'properties.order_id']);

  if (event === 'Order Cancelled') return { type: 'cancellation', channel, data: { orderId } };
  const amountField = firstPresent(properties, ['total', 'revenue']);
  if (event === 'Order Refunded') {
    // No total, or 0: the whole order (what is left of it) is refunded.
    if (!amountField || Number(amountField.value) === 0)
      return { type: 'cancellation', channel, data: { orderId } };
    const currency = orderCurrency(properties, options, problems);
    const amount = currency && money(amountField, currency, problems, origins);
    return { type: 'cancellation', channel, data: { orderId, amount } };
  }
  const currency = orderCurrency(properties, options, problems);
  if (!amountField) {
    problems.push({
      path: 'properties.total',
      message: 'properties.total (or properties.revenue) is required for Order Completed',
    });
    return undefined;
  }
  const amount = currency && money(amountField, currency, problems, origins);
  const items = currency && products(properties.products, currency, problems, origins);
  return {
    type: 'purchase',
    channel,
    data: { orderId, amount, ...(items && items.length ? { items } : {}) },
  };
}

/** Names as the spec writes them; trackers that snake-case them ("order_completed") too. */
function mappedEvent(name: string): MappedTrackEvent | undefined {
  const canonical = name
    .trim()
    .replace(/[_\s]+/g, ' ')
    .toLowerCase();
  return (Object.keys(MAPPED_TRACK_EVENTS) as MappedTrackEvent[]).find(
    (event) => event.toLowerCase() === canonical,
  );
}

function orderCurrency(
  properties: Readonly<Record<string, unknown>>,
  options: SegmentMappingOptions,
  problems: FieldProblem[],
): string | undefined {
  if (properties.currency === undefined || properties.currency === null) {
    if (options.defaultCurrency) return options.defaultCurrency;
    problems.push({
      path: 'properties.currency',
      message:
        'properties.currency is required (an ISO 4217 code such as "EUR"), or configure SEGMENT_DEFAULT_CURRENCY',
    });
    return undefined;
  }
  const currency = readCurrency(properties.currency, 'properties.currency');
  if (typeof currency === 'string') return currency;
  problems.push({ path: 'properties.currency', message: currency.problem });
  return undefined;
}

function money(
  field: { readonly path: string; readonly value: unknown },
  currency: string,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): unknown {
  const path = `properties.${field.path}`;
  origins.push(['data.amount', path]);
  const amount = toMinorUnits(field.value, currency, path);
  if ('problem' in amount) {
    problems.push({ path, message: amount.problem });
    return undefined;
  }
  return amount;
}

/** products[] → items: sku (or product_id), quantity (default 1), price → unitPrice. */
function products(
  raw: unknown,
  currency: string,
  problems: FieldProblem[],
  origins: Array<readonly [string, string]>,
): unknown[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    problems.push({ path: 'properties.products', message: 'properties.products must be an array' });
    return undefined;
  }
  return raw.map((product: unknown, index) => {
    const at = `properties.products[${index}]`;
    origins.push([`data.items[${index}]`, at]);
    if (!isObject(product)) {
      problems.push({ path: at, message: `${at} must be an object` });
      return undefined;
    }
    const sku = firstPresent(product, ['sku', 'product_id']);
    origins.push([`data.items[${index}].sku`, `${at}.${sku?.path ?? 'sku'}`]);
    origins.push([`data.items[${index}].quantity`, `${at}.quantity`]);
    const item: Record<string, unknown> = {
      sku: sku
        ? readText(sku.value, `${at}.${sku.path}`, problems)
        : (problems.push({ path: `${at}.sku`, message: `${at}.sku (or product_id) is required` }),
          undefined),
      quantity: product.quantity ?? 1,
    };
    if (product.price !== undefined && product.price !== null) {
      origins.push([`data.items[${index}].unitPrice`, `${at}.price`]);
      const price = toMinorUnits(product.price, currency, `${at}.price`);
      if ('problem' in price) problems.push({ path: `${at}.price`, message: price.problem });
      else item.unitPrice = price;
    }
    return item;
  });
}

/**
 * Where a track call happened, from what the tracker says of itself: a mobile app's context
 * has `app` (or an iOS/Android device), a browser's has `page` or a user agent; a server-side
 * tracker (analytics-node) says neither, and its calls are `other`.
 */
function channelOf(context: unknown): Channel {
  const device = valueAt(context, 'device.type');
  if (isObject(valueAt(context, 'app')) || device === 'ios' || device === 'android') return 'app';
  if (isObject(valueAt(context, 'page')) || typeof valueAt(context, 'userAgent') === 'string')
    return 'web';
  return 'other';
}

function invalid(problems: readonly FieldProblem[]): SegmentMapping {
  return { ok: false, code: SEGMENT_REFUSAL_CODES.invalid, problems };
}

/** A call refused for one reason, at one path. */
function refusal(code: SegmentRefusalCode, path: string, message: string): SegmentMapping {
  return { ok: false, code, problems: [{ path, message }] };
}

/** The text at `path`; when it is missing (undefined or null), `missing` is the problem. */
function requiredText(
  value: unknown,
  path: string,
  missing: string,
  problems: FieldProblem[],
): string | undefined {
  if (value !== undefined && value !== null) return readText(value, path, problems);
  problems.push({ path, message: missing });
  return undefined;
}
