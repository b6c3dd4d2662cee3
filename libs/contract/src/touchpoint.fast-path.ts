import { isISO4217CurrencyCode } from 'class-validator';
import {
  CHANNELS,
  COMPLAINT_SEVERITIES,
  DIRECTIONS,
  EMAIL_ACTIONS,
  TOUCHPOINT_TYPES,
  type Touchpoint,
} from '@rapport/domain';
import { isCalendarDateTime } from './calendar-date-time';
import {
  CUSTOMER_ID_PATTERN,
  SOURCE_PATTERN,
  TOUCHPOINT_ID_PATTERN,
  ZONED_DATE_TIME,
} from './touchpoint.request.dto';
import { DERIVED_PROFILE_PREFIX } from '@rapport/identity';

/**
 * A plain-code check that accepts the common, clearly valid touchpoint about ten times faster
 * than class-transformer + class-validator (Kafka ingest decodes every message). It may only
 * say yes where the DTOs say yes: anything unusual (null optionals, astral characters, unknown
 * keys, any failure) returns false and the DTO validation decides and explains. The DTOs stay
 * the contract; a property test holds this check to them. Whether the event time is acceptable
 * now (not in the future) is the caller's check, against its clock.
 */
export function acceptsOnFastPath(raw: object): raw is Touchpoint {
  const t = raw as Record<string, unknown>;
  if (!hasOnlyKeys(t, ENVELOPE_KEYS, ENVELOPE_KEYS.length)) return false;
  if (!matches(t.touchpointId, TOUCHPOINT_ID_PATTERN)) return false;
  if (!matches(t.source, SOURCE_PATTERN)) return false;
  if (!matches(t.customerId, CUSTOMER_ID_PATTERN)) return false;
  // Reserved for derived profiles: the full decode refuses it, naming the field.
  if ((t.customerId as string).startsWith(DERIVED_PROFILE_PREFIX)) return false;
  if (!TYPES.has(t.type) || !CHANNEL_SET.has(t.channel)) return false;
  const occurredAt = t.occurredAt;
  if (!matches(occurredAt, ZONED_DATE_TIME) || !isCalendarDateTime(occurredAt as string))
    return false;
  const data = t.data;
  if (!isPlainObject(data)) return false;
  return DATA_CHECKS[t.type as Touchpoint['type']](data);
}

const ENVELOPE_KEYS = [
  'touchpointId',
  'source',
  'customerId',
  'type',
  'occurredAt',
  'channel',
  'data',
];
const TYPES = new Set<unknown>(TOUCHPOINT_TYPES);
const CHANNEL_SET = new Set<unknown>(CHANNELS);
const DIRECTION_SET = new Set<unknown>(DIRECTIONS);
const EMAIL_ACTION_SET = new Set<unknown>(EMAIL_ACTIONS);
const SEVERITY_SET = new Set<unknown>(COMPLAINT_SEVERITIES);
const MAX_DURATION_SECONDS = 7 * 24 * 3600;
/** class-validator's length counts these specially: leave such strings to it. */
const SPECIAL_LENGTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

type Check = (value: Record<string, unknown>) => boolean;

/** Checks of optional fields, made once: an arrow written inline is a new closure per message. */
const text500 = (v: unknown) => text(v, 1, 500);
const text2048 = (v: unknown) => text(v, 1, 2048);
const text128 = (v: unknown) => text(v, 1, 128);
const duration = (v: unknown) => int(v, 0, MAX_DURATION_SECONDS);
const severity = (v: unknown) => SEVERITY_SET.has(v);

const DATA_CHECKS: Record<Touchpoint['type'], Check> = {
  web_visit: (d) =>
    hasOnlyKeys(d, ['url', 'referrer', 'sessionId', 'durationSeconds'], 1) &&
    text(d.url, 1, 2048) &&
    optional(d, 'referrer', text2048) &&
    optional(d, 'sessionId', text128) &&
    optional(d, 'durationSeconds', duration),
  call: (d) =>
    hasOnlyKeys(d, ['direction', 'durationSeconds', 'reason', 'outcome'], 2) &&
    DIRECTION_SET.has(d.direction) &&
    int(d.durationSeconds, 0, MAX_DURATION_SECONDS) &&
    optional(d, 'reason', text500) &&
    optional(d, 'outcome', text500),
  email: (d) =>
    hasOnlyKeys(d, ['direction', 'action', 'campaignId'], 2) &&
    DIRECTION_SET.has(d.direction) &&
    EMAIL_ACTION_SET.has(d.action) &&
    optional(d, 'campaignId', text128),
  purchase: (d) =>
    hasOnlyKeys(d, ['orderId', 'amount', 'items'], 2) &&
    text(d.orderId, 1, 128) &&
    money(d.amount) &&
    optional(d, 'items', items),
  cancellation: (d) =>
    hasOnlyKeys(d, ['orderId', 'amount', 'reason'], 1) &&
    text(d.orderId, 1, 128) &&
    optional(d, 'amount', cancelledMoney) &&
    optional(d, 'reason', text500),
  complaint: (d) =>
    hasOnlyKeys(d, ['complaintId', 'category', 'severity'], 2) &&
    text(d.complaintId, 1, 128) &&
    text(d.category, 1, 100) &&
    optional(d, 'severity', severity),
  complaint_resolved: (d) =>
    hasOnlyKeys(d, ['complaintId', 'resolution'], 1) &&
    text(d.complaintId, 1, 128) &&
    optional(d, 'resolution', text500),
};

/** Own keys all known, and at least `required` of them (the required ones come first). */
function hasOnlyKeys(value: Record<string, unknown>, known: string[], required: number): boolean {
  for (let i = 0; i < required; i++) if (!Object.hasOwn(value, known[i])) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !known.includes(key)) return false;
  }
  return Object.getPrototypeOf(value) === Object.prototype;
}

function optional(
  value: Record<string, unknown>,
  key: string,
  check: (v: unknown) => boolean,
): boolean {
  if (!Object.hasOwn(value, key)) return true;
  const v = value[key];
  return v !== null && v !== undefined && check(v);
}

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function text(value: unknown, min: number, max: number): boolean {
  return (
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    !SPECIAL_LENGTH.test(value)
  );
}

function int(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const UPPER_CASE_CODE = /^[A-Z]{3}$/;

function money(value: unknown, leastMinor = 0): boolean {
  if (!isPlainObject(value) || !hasOnlyKeys(value, ['minor', 'currency'], 2)) return false;
  if (!int(value.minor, leastMinor, Number.MAX_SAFE_INTEGER) || typeof value.currency !== 'string')
    return false;
  // Upper case only, as the DTO says (isISO4217CurrencyCode alone accepts "eur").
  if (!UPPER_CASE_CODE.test(value.currency)) return false;
  return isISO4217CurrencyCode(value.currency);
}

/** A cancellation takes back at least one minor unit (CancelledMoneyDto). */
function cancelledMoney(value: unknown): boolean {
  return money(value, 1);
}

function items(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > 1000) return false;
  return value.every(
    (item) =>
      isPlainObject(item) &&
      hasOnlyKeys(item, ['sku', 'quantity', 'unitPrice'], 2) &&
      text(item.sku, 1, 128) &&
      int(item.quantity, 1, 1_000_000) &&
      optional(item, 'unitPrice', money),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
