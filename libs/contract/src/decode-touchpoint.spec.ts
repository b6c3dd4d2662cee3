import { decodeTouchpoint, decodeTouchpointJson } from './decode-touchpoint';

const now = new Date('2026-11-27T12:00:00Z');
const valid = {
  touchpointId: 'pos-7781-0001',
  source: 'pos',
  customerId: 'C-1001',
  type: 'purchase',
  occurredAt: '2026-11-20T14:03:00Z',
  channel: 'store',
  data: { orderId: 'O-55', amount: { minor: 4999, currency: 'EUR' } },
};

function problemsOf(raw: unknown) {
  const result = decodeTouchpoint(raw, { now });
  if (result.ok) throw new Error('expected the touchpoint to be refused');
  return result.problems;
}

describe('decoding a touchpoint message', () => {
  describe('when it follows the contract', () => {
    it('returns the typed touchpoint with event time normalised to UTC', () => {
      const result = decodeTouchpoint(
        { ...valid, occurredAt: '2026-11-20T15:03:00+01:00' },
        { now },
      );
      expect(result).toEqual({
        ok: true,
        touchpoint: { ...valid, occurredAt: '2026-11-20T14:03:00.000Z' },
      });
    });

    it.each([
      [
        'web_visit',
        {
          url: 'https://shop.example/p/1',
          referrer: 'https://google',
          sessionId: 's-1',
          durationSeconds: 30,
        },
      ],
      [
        'call',
        { direction: 'inbound', durationSeconds: 300, reason: 'billing', outcome: 'solved' },
      ],
      ['email', { direction: 'outbound', action: 'clicked', campaignId: 'spring' }],
      [
        'purchase',
        {
          orderId: 'O-1',
          amount: { minor: 0, currency: 'JPY' },
          items: [{ sku: 'A', quantity: 2, unitPrice: { minor: 5, currency: 'JPY' } }],
        },
      ],
      ['cancellation', { orderId: 'O-1' }],
      ['cancellation', { orderId: 'O-1', amount: { minor: 100, currency: 'EUR' }, reason: 'late' }],
      ['complaint', { complaintId: 'K-1', category: 'delivery', severity: 'high' }],
      ['complaint_resolved', { complaintId: 'K-1', resolution: 'refund' }],
    ])('accepts a %s', (type, data) => {
      expect(decodeTouchpoint({ ...valid, type, data }, { now }).ok).toBe(true);
    });
  });

  describe('when it breaks the contract', () => {
    it('names every bad field with its path', () => {
      const problems = problemsOf({
        ...valid,
        channel: 'fax',
        data: { orderId: 'O-1', amount: { minor: 49.99, currency: 'EURO' } },
      });
      expect(problems.map((p) => p.path).sort()).toEqual([
        'channel',
        'data.amount.currency',
        'data.amount.minor',
      ]);
    });

    it('rejects unknown fields instead of ignoring them', () => {
      expect(problemsOf({ ...valid, colour: 'red' })).toEqual([
        expect.objectContaining({
          path: 'colour',
          message: expect.stringContaining('should not exist'),
        }),
      ]);
      expect(problemsOf({ ...valid, data: { ...valid.data, discount: 1 } })[0].path).toBe(
        'data.discount',
      );
    });

    it('checks nested items by index', () => {
      const problems = problemsOf({
        ...valid,
        data: {
          ...valid.data,
          items: [
            { sku: 'A', quantity: 1 },
            { sku: 'B', quantity: 0 },
          ],
        },
      });
      expect(problems).toEqual([expect.objectContaining({ path: 'data.items[1].quantity' })]);
    });

    it.each([
      [
        'a negative amount',
        { orderId: 'O', amount: { minor: -1, currency: 'EUR' } },
        'data.amount.minor',
      ],
      [
        'an amount beyond 2^53',
        { orderId: 'O', amount: { minor: 2 ** 60, currency: 'EUR' } },
        'data.amount.minor',
      ],
      [
        'an amount as a string',
        { orderId: 'O', amount: { minor: '10', currency: 'EUR' } },
        'data.amount.minor',
      ],
      [
        'an unknown currency',
        { orderId: 'O', amount: { minor: 1, currency: 'XYZ' } },
        'data.amount.currency',
      ],
      [
        'a lower-case currency (a bucket of its own in every total)',
        { orderId: 'O', amount: { minor: 1, currency: 'eur' } },
        'data.amount.currency',
      ],
      ['a missing order id', { amount: { minor: 1, currency: 'EUR' } }, 'data.orderId'],
    ])('refuses %s', (_what, data, path) => {
      expect(problemsOf({ ...valid, data }).map((p) => p.path)).toContain(path);
    });

    it.each([
      ['without a zone', '2026-11-20T14:03:00'],
      ['that is not a date', 'yesterday'],
      ['on an impossible day', '2026-02-30T10:00:00Z'],
      ['far in the future', '2099-01-01T00:00:00Z'],
      ['before 1970', '1969-12-31T23:59:59Z'],
    ])('refuses an occurredAt %s', (_what, occurredAt) => {
      expect(new Set(problemsOf({ ...valid, occurredAt }).map((p) => p.path))).toEqual(
        new Set(['occurredAt']),
      );
    });

    it.each([
      ['a customer id with a hash-tag brace', { customerId: 'C-{1}' }, 'customerId'],
      ['a customer id with a glob', { customerId: 'C*' }, 'customerId'],
      ['a customer id with a path', { customerId: '../etc' }, 'customerId'],
      ['an unknown type', { type: 'tweet' }, 'type'],
      ['data that is not an object', { data: [1] }, 'data'],
    ])('refuses %s', (_what, overrides, path) => {
      expect(problemsOf({ ...valid, ...overrides }).map((p) => p.path)).toContain(path);
    });

    it('refuses prototype-polluting keys anywhere', () => {
      const raw = JSON.parse('{"__proto__": {"admin": true}, "data": {"constructor": {}}}');
      const problems = problemsOf({ ...valid, ...raw });
      expect(problems.map((p) => p.path).sort()).toEqual(['__proto__', 'data.constructor']);
      expect(({} as { admin?: boolean }).admin).toBeUndefined();
    });

    it('refuses what is not an object', () => {
      expect(problemsOf([valid])[0].message).toMatch(/JSON object/);
      expect(problemsOf(null)[0].path).toBe('');
    });

    it('refuses bytes that are not JSON', () => {
      const result = decodeTouchpointJson(Buffer.from('{"touchpointId":'), { now });
      expect(result).toEqual({
        ok: false,
        code: 'INVALID_JSON',
        problems: [{ path: '', message: expect.stringMatching(/not valid JSON/) }],
      });
    });

    it('refuses bytes that are not UTF-8 instead of storing U+FFFD for them', () => {
      const json = Buffer.from(
        JSON.stringify({ ...valid, data: { ...valid.data, orderId: 'O-X' } }),
      );
      const at = json.indexOf('O-X') + 2;
      json[at] = 0xff;
      expect(decodeTouchpointJson(json, { now })).toEqual({
        ok: false,
        code: 'INVALID_JSON',
        problems: [{ path: '', message: 'not valid JSON: the bytes are not UTF-8' }],
      });
      expect(decodeTouchpointJson(Buffer.from(JSON.stringify(valid)), { now }).ok).toBe(true);
    });

    it.each([
      ['a purchase without amount', { orderId: 'O-1' }, 'data.amount'],
      ['a purchase with an empty amount', { orderId: 'O-1', amount: {} }, 'data.amount.minor'],
      [
        'a purchase without currency',
        { orderId: 'O-1', amount: { minor: 1 } },
        'data.amount.currency',
      ],
      [
        'an item without quantity',
        { ...valid.data, items: [{ sku: 'A' }] },
        'data.items[0].quantity',
      ],
    ])('refuses %s: required nested fields are required', (_what, data, path) => {
      expect(problemsOf({ ...valid, data }).map((p) => p.path)).toContain(path);
    });

    it.each([
      ['web_visit', {}, 'data.url'],
      ['call', { direction: 'inbound' }, 'data.durationSeconds'],
      ['call', { durationSeconds: 1 }, 'data.direction'],
      ['email', { direction: 'inbound' }, 'data.action'],
      ['email', { action: 'sent' }, 'data.direction'],
      ['purchase', { amount: { minor: 1, currency: 'EUR' } }, 'data.orderId'],
      ['cancellation', {}, 'data.orderId'],
      ['complaint', { complaintId: 'K' }, 'data.category'],
      ['complaint', { category: 'x' }, 'data.complaintId'],
      ['complaint_resolved', {}, 'data.complaintId'],
    ])('refuses a %s without a required field (%j)', (type, data, path) => {
      expect(problemsOf({ ...valid, type, data }).map((p) => p.path)).toContain(path);
    });

    it('refuses a cancellation of nothing: leave the amount out to cancel the whole order', () => {
      const problems = problemsOf({
        ...valid,
        type: 'cancellation',
        data: { orderId: 'O-1', amount: { minor: 0, currency: 'EUR' } },
      });
      expect(problems).toEqual([
        {
          path: 'data.amount.minor',
          message: 'minor must be at least 1: leave amount out to cancel the whole order',
        },
      ]);
    });

    it.each(['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'])(
      'refuses a key named after Object.prototype.%s as an unknown field, at any depth',
      (key) => {
        const data = { ...valid.data, [key]: 1, amount: { ...valid.data.amount, [key]: 1 } };
        const problems = problemsOf({ ...valid, [key]: 'x', data });
        expect(problems).toEqual(
          [`data.amount.${key}`, `data.${key}`, key].map((path) => ({
            path,
            message: `property ${key} should not exist`,
          })),
        );
      },
    );
  });

  describe('when a field is wrong, each field gets one message a person can act on', () => {
    it('calls a missing field required, top level and nested', () => {
      const { source: _source, ...withoutSource } = valid;
      expect(problemsOf(withoutSource)).toEqual([
        { path: 'source', message: 'source is required' },
      ]);
      expect(problemsOf({ ...valid, data: { amount: { minor: 1, currency: 'EUR' } } })).toEqual([
        { path: 'data.orderId', message: 'data.orderId is required' },
      ]);
    });

    it('says what money looks like when the amount is a plain number', () => {
      expect(problemsOf({ ...valid, data: { orderId: 'O-1', amount: 49.99 } })).toEqual([
        {
          path: 'data.amount',
          message:
            'data.amount must be an object such as { "minor": 4999, "currency": "EUR" } (4999 minor units = 49.99 EUR)',
        },
      ]);
    });

    it('says minor units, not decimals, for a fractional minor amount', () => {
      const data = { orderId: 'O-1', amount: { minor: 49.99, currency: 'EUR' } };
      expect(problemsOf({ ...valid, data })).toEqual([
        {
          path: 'data.amount.minor',
          message:
            'minor must be an integer number of minor units (4999 for 49.99 EUR), not a decimal',
        },
      ]);
    });

    it('gives one message for a bad date: its form, or the calendar when the form is right', () => {
      expect(problemsOf({ ...valid, occurredAt: 'yesterday' })).toEqual([
        {
          path: 'occurredAt',
          message: 'occurredAt must be an ISO 8601 date-time with Z or an offset',
        },
      ]);
      expect(problemsOf({ ...valid, occurredAt: '2026-02-30T10:00:00Z' })).toEqual([
        { path: 'occurredAt', message: 'occurredAt must be a valid calendar date-time' },
      ]);
    });

    it('says the type first when the value has the wrong type', () => {
      expect(problemsOf({ ...valid, touchpointId: 5 })).toEqual([
        { path: 'touchpointId', message: 'touchpointId must be a string' },
      ]);
    });
  });
});

describe('the code of a refusal', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const valid = {
    touchpointId: 'w-1',
    source: 'web',
    customerId: 'C-1',
    type: 'web_visit',
    occurredAt: '2026-05-01T10:00:00Z',
    channel: 'web',
    data: { url: '/' },
  };
  const codeOf = (text: string) => {
    const decoded = decodeTouchpointJson(text, { now });
    return decoded.ok ? 'ok' : decoded.code;
  };

  it('is INVALID_JSON for bytes that are not JSON, whatever the parser says', () => {
    expect(codeOf('{"oops')).toBe('INVALID_JSON');
    expect(decodeTouchpointJson(Buffer.from([0xff, 0xfe]), { now })).toMatchObject({
      code: 'INVALID_JSON',
    });
  });

  it('is UNKNOWN_TOUCHPOINT_TYPE for a type the contract does not know, or none', () => {
    expect(codeOf(JSON.stringify({ ...valid, type: 'tweet' }))).toBe('UNKNOWN_TOUCHPOINT_TYPE');
    expect(codeOf(JSON.stringify({ ...valid, type: undefined }))).toBe('UNKNOWN_TOUCHPOINT_TYPE');
  });

  it('is CONTRACT_VIOLATION for anything else', () => {
    expect(codeOf(JSON.stringify({ ...valid, data: { url: '' } }))).toBe('CONTRACT_VIOLATION');
    expect(codeOf('[1]')).toBe('CONTRACT_VIOLATION');
  });
});
