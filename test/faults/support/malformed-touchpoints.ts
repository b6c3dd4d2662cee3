import fc from 'fast-check';

/** A touchpoint that breaks the contract in one known way, as the bytes a producer sends. */
export interface MalformedInput {
  readonly kind: string;
  readonly bytes: Buffer;
}

const FIELDS = ['touchpointId', 'source', 'customerId', 'type', 'occurredAt', 'channel', 'data'];

const validBase = fc.record({
  n: fc.nat(1_000_000),
  type: fc.constantFrom('web_visit', 'purchase', 'call'),
});

function base({ n, type }: { n: number; type: string }): Record<string, unknown> {
  const common = {
    touchpointId: `bad-${n}`,
    customerId: `C-bad-${n % 50}`,
    occurredAt: '2026-05-01T10:00:00Z',
  };
  if (type === 'purchase')
    return {
      ...common,
      source: 'pos',
      type,
      channel: 'store',
      data: { orderId: `O-${n}`, amount: { minor: 1999, currency: 'EUR' } },
    };
  if (type === 'call')
    return {
      ...common,
      source: 'cc',
      type,
      channel: 'phone',
      data: { direction: 'inbound', durationSeconds: 60 },
    };
  return { ...common, source: 'web', type, channel: 'web', data: { url: 'https://shop.example/' } };
}

const json = (kind: string, value: unknown): MalformedInput => ({
  kind,
  bytes: Buffer.from(JSON.stringify(value), 'utf8'),
});

const wrongValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
  fc.double(),
);

/** Text that no JSON parser accepts (truncated, binary, trailing garbage, bare words). */
const notJson = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 200 })
    .map((bytes) => Buffer.from([0x7b, 0xff, ...bytes])),
  fc.string({ maxLength: 50 }).map((s) => Buffer.from(`{"touchpointId": ${JSON.stringify(s)}`)),
  fc
    .constantFrom('{}}', "{'a':1}", 'undefined', 'NaN', '{"a":01}', '\u0000', '[1,]', '{"a" 1}')
    .map((s) => Buffer.from(s)),
);

/** Data of each type with one required field left out, nested ones included. */
const MISSING_NESTED: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
  ['purchase', 'store', { orderId: 'O-m' }],
  ['purchase', 'store', { orderId: 'O-m', amount: { currency: 'EUR' } }],
  ['purchase', 'store', { orderId: 'O-m', amount: { minor: 100 } }],
  ['purchase', 'store', { orderId: 'O-m', amount: {} }],
  [
    'purchase',
    'store',
    { orderId: 'O-m', amount: { minor: 100, currency: 'EUR' }, items: [{ sku: 'A' }] },
  ],
  [
    'purchase',
    'store',
    { orderId: 'O-m', amount: { minor: 100, currency: 'EUR' }, items: [{ quantity: 1 }] },
  ],
  ['purchase', 'store', { amount: { minor: 100, currency: 'EUR' } }],
  ['cancellation', 'store', { amount: { minor: 100, currency: 'EUR' } }],
  ['cancellation', 'store', { orderId: 'O-m', amount: { minor: 100 } }],
  ['web_visit', 'web', { referrer: 'https://g' }],
  ['call', 'phone', { direction: 'inbound' }],
  ['call', 'phone', { durationSeconds: 60 }],
  ['email', 'email', { direction: 'outbound' }],
  ['email', 'email', { action: 'sent' }],
  ['complaint', 'phone', { complaintId: 'K-m' }],
  ['complaint', 'phone', { category: 'delivery' }],
  ['complaint_resolved', 'phone', { resolution: 'refund' }],
];

/** Names of Object.prototype's members: no contract field, yet class-validator let them by. */
const INHERITED_NAMES = Object.getOwnPropertyNames(Object.prototype).filter(
  (name) => name !== '__proto__' && name !== 'constructor',
);

/**
 * Every way of breaking the contract the brief names, each guaranteed invalid: wrong types,
 * missing and extra fields (required nested ones too), huge strings, deep nesting, impossible
 * and far-future dates, negative / fractional / enormous amounts, cancellations of nothing,
 * unknown currencies, unicode edge cases in ids, prototype keys and the names of
 * Object.prototype's members, and bytes that are not JSON (or not UTF-8) at all. `hugeLength` caps the big strings
 * (Kafka's mock keeps ~5 MiB per partition).
 */
export function malformedTouchpoint(hugeLength = 200_000): fc.Arbitrary<MalformedInput> {
  return fc.oneof(
    fc
      .tuple(validBase, fc.constantFrom(...FIELDS), wrongValue)
      .map(([b, field, value]) => json('wrong-type', { ...base(b), [field]: value })),
    fc.tuple(validBase, fc.constantFrom(...FIELDS)).map(([b, field]) => {
      const t = base(b);
      delete t[field];
      return json('missing-field', t);
    }),
    fc
      .tuple(
        validBase,
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !FIELDS.includes(k)),
        fc.boolean(),
      )
      .map(([b, key, inData]) => {
        const t = base(b);
        if (inData) t.data = { ...(t.data as object), [`x${key}`]: 1 };
        else t[`x${key}`] = 1;
        return json('extra-field', t);
      }),
    fc
      .tuple(
        validBase,
        fc.constantFrom('touchpointId', 'customerId', 'source'),
        fc.integer({ min: 2_049, max: hugeLength }),
      )
      .map(([b, field, length]) =>
        json('huge-string', { ...base(b), [field]: 'x'.repeat(length) }),
      ),
    fc.tuple(validBase, fc.integer({ min: 9, max: 2_000 })).map(([b, depth]) => {
      let nested: unknown = { leaf: true };
      for (let i = 0; i < depth; i++) nested = { nested };
      const t = base(b);
      return json('deep-nesting', { ...t, data: { ...(t.data as object), nested } });
    }),
    fc
      .tuple(
        validBase,
        fc.oneof(
          fc.constantFrom(
            '2026-13-01T00:00:00Z',
            '2026-02-30T10:00:00Z',
            '2026-05-01T25:00:00Z',
            '2026-05-01',
            '2026-05-01T10:00:00',
            'yesterday',
            '',
            '1969-12-31T23:59:59Z',
            '+275760-09-13T00:00:00Z',
          ),
          fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-/.test(s)),
          fc.integer({ min: 2100, max: 9999 }).map((year) => `${year}-01-01T00:00:00Z`),
        ),
      )
      .map(([b, occurredAt]) => json('bad-date', { ...base(b), occurredAt })),
    fc
      .tuple(
        validBase,
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
          fc.constantFrom(2 ** 53, 1e300, Number.MAX_VALUE),
          fc.constantFrom('100', null, true),
        ),
      )
      .map(([b, minor]) =>
        json('bad-amount', {
          ...base({ ...b, type: 'purchase' }),
          data: { orderId: `O-${b.n}`, amount: { minor, currency: 'EUR' } },
        }),
      ),
    fc
      .tuple(validBase, fc.constantFrom('XXY', 'eur', 'EURO', '', '€', 'E U', 'ZZZ', 'EU'))
      .map(([b, currency]) =>
        json('bad-currency', {
          ...base({ ...b, type: 'purchase' }),
          data: { orderId: `O-${b.n}`, amount: { minor: 100, currency } },
        }),
      ),
    fc
      .tuple(
        validBase,
        fc.constantFrom('touchpointId', 'customerId', 'source'),
        fc.constantFrom('\u0000', '\u202e', '\ud800', '\u200b', '😀', 'С', '\u00a0', '\n', 'ﬁ'),
      )
      .map(([b, field, odd]) => {
        const t = base(b);
        return json('unicode-edge', { ...t, [field]: `${String(t[field])}${odd}` });
      }),
    fc
      .tuple(validBase, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
      .map(([b, key, inData]) => {
        // Built as text: an object literal's __proto__ would set the prototype, not a key.
        const text = JSON.stringify(base(b));
        const injected = `"${key}":{"polluted":true},`;
        const bytes = inData
          ? text.replace('"data":{', `"data":{${injected}`)
          : text.replace(/^\{/, `{${injected}`);
        return { kind: 'prototype-key', bytes: Buffer.from(bytes) };
      }),
    fc
      .tuple(validBase, fc.constantFrom(...MISSING_NESTED))
      .map(([b, [type, channel, data]]) =>
        json('missing-nested-field', { ...base(b), type, channel, data }),
      ),
    fc
      .tuple(validBase, fc.constantFrom(...INHERITED_NAMES), fc.constantFrom('', 'data', 'amount'))
      .map(([b, key, at]) => {
        const text = JSON.stringify(base({ ...b, type: 'purchase' }));
        const injected = `"${key}":1,`;
        const bytes =
          at === 'data'
            ? text.replace('"data":{', `"data":{${injected}`)
            : at === 'amount'
              ? text.replace('"amount":{', `"amount":{${injected}`)
              : text.replace(/^\{/, `{${injected}`);
        return { kind: 'inherited-key', bytes: Buffer.from(bytes) };
      }),
    fc.tuple(validBase, fc.constantFrom('EUR', 'JPY')).map(([b, currency]) =>
      json('zero-cancellation', {
        ...base(b),
        type: 'cancellation',
        channel: 'store',
        data: { orderId: `O-${b.n}`, amount: { minor: 0, currency } },
      }),
    ),
    validBase.map((b) => {
      // Valid JSON but for one byte that is no UTF-8: decoding it anyway would store U+FFFD.
      const bytes = Buffer.from(JSON.stringify(base({ ...b, type: 'web_visit' })));
      bytes[bytes.indexOf('https') + 1] = 0xfe;
      return { kind: 'not-utf8', bytes };
    }),
    notJson.map((bytes) => ({ kind: 'not-json', bytes })),
    fc
      .constantFrom<unknown>(42, 'a string', null, true, [[1]], [null])
      .map((value) => json('not-an-object', value)),
  );
}
