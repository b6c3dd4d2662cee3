import fc from 'fast-check';
import { CHANNELS, COMPLAINT_SEVERITIES, DIRECTIONS, EMAIL_ACTIONS } from '@rapport/domain';

/**
 * Touchpoint messages generated from the contract's own rules (README, ARCHITECTURE): valid
 * ones of every type with and without their optional fields, and near-misses that break one
 * rule. Ids are drawn from small sets so that cancellations and resolutions find (or miss)
 * their orders and complaints, and touchpoints repeat; amounts reach Number.MAX_SAFE_INTEGER
 * so that a customer's totals can be pushed past it.
 */
export interface TouchpointArbitraryOptions {
  /** The edge's clock: event times are drawn up to it. */
  readonly now: Date;
  readonly customers?: readonly string[];
  /** Event times are drawn from here up to `now`. */
  readonly earliest?: Date;
}

export type RawTouchpoint = Record<string, unknown>;

const MAX = Number.MAX_SAFE_INTEGER;
const CURRENCIES = ['EUR', 'USD', 'JPY'] as const;

const id = (prefix: string, count: number) =>
  fc.integer({ min: 1, max: count }).map((n) => `${prefix}-${n}`);

/** Mostly everyday amounts; now and then one big enough to overflow a total of two. */
const minorUnits = (least: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: least, max: 100_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(MAX, MAX - 1, 2 ** 52, 1_000_000_000_000_000) },
    { weight: 1, arbitrary: fc.integer({ min: least, max: MAX }) },
  );

const money = (least = 0) =>
  fc.record({ minor: minorUnits(least), currency: fc.constantFrom(...CURRENCIES) });

const text = (max: number) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: Math.min(max, 20) }),
    fc.constantFrom('x'.repeat(max), 'é', '😀'),
  );

/** Each type's data, required fields always, optional ones sometimes: the contract table. */
const DATA: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  web_visit: fc.record(
    {
      url: fc.oneof(fc.webUrl(), text(2048)),
      referrer: text(2048),
      sessionId: text(128),
      durationSeconds: fc.integer({ min: 0, max: 7 * 24 * 3600 }),
    },
    { requiredKeys: ['url'] },
  ),
  call: fc.record(
    {
      direction: fc.constantFrom(...DIRECTIONS),
      durationSeconds: fc.integer({ min: 0, max: 7 * 24 * 3600 }),
      reason: text(500),
      outcome: text(500),
    },
    { requiredKeys: ['direction', 'durationSeconds'] },
  ),
  email: fc.record(
    {
      direction: fc.constantFrom(...DIRECTIONS),
      action: fc.constantFrom(...EMAIL_ACTIONS),
      campaignId: text(128),
    },
    { requiredKeys: ['direction', 'action'] },
  ),
  purchase: fc.record(
    {
      orderId: id('O', 4),
      amount: money(),
      items: fc.array(
        fc.record(
          {
            sku: text(128),
            quantity: fc.integer({ min: 1, max: 1_000_000 }),
            unitPrice: money(),
          },
          { requiredKeys: ['sku', 'quantity'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['orderId', 'amount'] },
  ),
  cancellation: fc.record(
    {
      orderId: id('O', 4),
      amount: fc.oneof(
        money(1),
        fc.record({ minor: fc.integer({ min: 1, max: 1_000 }), currency: fc.constant('EUR') }),
      ),
      reason: text(500),
    },
    { requiredKeys: ['orderId'] },
  ),
  complaint: fc.record(
    {
      complaintId: id('K', 3),
      category: text(100),
      severity: fc.constantFrom(...COMPLAINT_SEVERITIES),
    },
    { requiredKeys: ['complaintId', 'category'] },
  ),
  complaint_resolved: fc.record(
    { complaintId: id('K', 3), resolution: text(500) },
    { requiredKeys: ['complaintId'] },
  ),
};

/** ISO 8601 with Z or an offset, milliseconds or not, from `earliest` up to `now`. */
function eventTime(earliest: Date, now: Date): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: earliest.getTime(), max: now.getTime() }),
      fc.constantFrom(0, 60, -300, 330),
      fc.boolean(),
    )
    .map(([at, offsetMinutes, millis]) => {
      const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, millis ? 23 : 19);
      if (offsetMinutes === 0) return `${local}Z`;
      const sign = offsetMinutes > 0 ? '+' : '-';
      const abs = Math.abs(offsetMinutes);
      return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    });
}

/** A touchpoint the contract accepts. */
export function validTouchpoint(options: TouchpointArbitraryOptions): fc.Arbitrary<RawTouchpoint> {
  const customers = options.customers ?? ['C-1', 'C-2', 'C-3'];
  return fc.constantFrom(...Object.keys(DATA)).chain((type) =>
    fc.record({
      touchpointId: id('tp', 60),
      source: fc.constantFrom('pos', 'web', 'cc'),
      customerId: fc.constantFrom(...customers),
      type: fc.constant(type),
      occurredAt: eventTime(options.earliest ?? new Date('2024-01-01T00:00:00Z'), options.now),
      channel: fc.constantFrom(...CHANNELS),
      data: DATA[type],
    }),
  );
}

/** What a near-miss puts where a valid value was. */
const WRONG_VALUES: readonly unknown[] = [
  null,
  '',
  -1,
  0,
  1.5,
  2 ** 53,
  '100',
  true,
  {},
  [],
  { minor: 0, currency: 'EUR' },
  { minor: 1, currency: 'eur' },
  { minor: 1 },
  'x'.repeat(2049),
];

/** Keys no type's data has, among them the names of Object.prototype's members. */
export const UNKNOWN_KEYS = [
  'extra',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  'constructor',
  '__proto__',
] as const;

function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...pathsOf(child, path)];
  });
}

type Mutation =
  | { readonly kind: 'remove'; readonly path: string }
  | { readonly kind: 'set'; readonly path: string; readonly value: unknown }
  | { readonly kind: 'add'; readonly at: string; readonly key: string };

/**
 * A valid touchpoint with one rule broken (or, rarely, put right again by chance): a field
 * removed — required nested ones included — or given a wrong value, or an unknown key added
 * at the top, in data or in its amount.
 */
export function nearMissTouchpoint(
  options: TouchpointArbitraryOptions,
): fc.Arbitrary<RawTouchpoint> {
  return validTouchpoint(options).chain((touchpoint) => {
    const paths = pathsOf(touchpoint);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.constantFrom(...paths).map((path) => ({ kind: 'remove' as const, path })),
      fc
        .tuple(fc.constantFrom(...paths), fc.constantFrom(...WRONG_VALUES))
        .map(([path, value]) => ({ kind: 'set' as const, path, value })),
      fc
        .tuple(fc.constantFrom('', 'data', 'data.amount'), fc.constantFrom(...UNKNOWN_KEYS))
        .map(([at, key]) => ({ kind: 'add' as const, at, key })),
    );
    return mutation.map((m) => mutated(touchpoint, m));
  });
}

/** A sequence of touchpoints, mostly valid, some near-misses. */
export function touchpointSequence(
  options: TouchpointArbitraryOptions,
  constraints: { readonly maxLength: number } = { maxLength: 25 },
): fc.Arbitrary<RawTouchpoint[]> {
  return fc.array(
    fc.oneof(
      { weight: 4, arbitrary: validTouchpoint(options) },
      { weight: 1, arbitrary: nearMissTouchpoint(options) },
    ),
    { minLength: 1, maxLength: constraints.maxLength },
  );
}

function mutated(touchpoint: RawTouchpoint, mutation: Mutation): RawTouchpoint {
  const copy = JSON.parse(JSON.stringify(touchpoint)) as RawTouchpoint;
  const path = mutation.kind === 'add' ? mutation.at : mutation.path;
  const parts = path ? path.split('.') : [];
  const last = mutation.kind === 'add' ? mutation.key : parts.pop()!;
  let target: Record<string, unknown> = copy;
  for (const part of parts) {
    const next = target[part];
    if (typeof next !== 'object' || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  if (mutation.kind === 'remove') delete target[last];
  else
    // defineProperty: an assignment to __proto__ would set the prototype, not add a key.
    Object.defineProperty(target, last, {
      value: mutation.kind === 'set' ? mutation.value : 1,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}
