import fc from 'fast-check';
import { decodeTouchpoint } from './decode-touchpoint';
import { acceptsOnFastPath } from './touchpoint.fast-path';
import { nearMissTouchpoint, validTouchpoint } from './testing';

const now = new Date('2026-11-27T12:00:00Z');
const envelope = {
  touchpointId: 'tp-1',
  source: 'pos',
  customerId: 'C-1',
  occurredAt: '2026-11-20T14:03:00+01:00',
};
const money = { minor: 4999, currency: 'EUR' };
const VALID: Record<string, object> = {
  web_visit: { url: 'https://x/p', referrer: 'https://g', sessionId: 's', durationSeconds: 30 },
  call: { direction: 'inbound', durationSeconds: 300, reason: 'billing', outcome: 'solved' },
  email: { direction: 'outbound', action: 'clicked', campaignId: 'spring' },
  purchase: {
    orderId: 'O-1',
    amount: money,
    items: [{ sku: 'A', quantity: 2, unitPrice: money }],
  },
  cancellation: { orderId: 'O-1', amount: money, reason: 'late' },
  complaint: { complaintId: 'K-1', category: 'delivery', severity: 'high' },
  complaint_resolved: { complaintId: 'K-1', resolution: 'refund' },
};
const CHANNEL = { web_visit: 'web', call: 'phone', email: 'email' } as Record<string, string>;

function valid(type: string): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({ ...envelope, type, channel: CHANNEL[type] ?? 'store', data: VALID[type] }),
  );
}

/** Values that sit on or just past the contract's edges. */
const TRICKY: unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(101),
  'x'.repeat(129),
  'x'.repeat(501),
  'x'.repeat(2049),
  '\uD83D\uDE00',
  'a\uFE0F',
  '\uD800',
  0,
  -1,
  1.5,
  2 ** 53,
  1_000_001,
  7 * 24 * 3600 + 1,
  true,
  [],
  {},
  [{}],
  { minor: 1, currency: 'EUR' },
  { minor: 0, currency: 'EUR' },
  { minor: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
  { minor: 1, currency: 'XYZ' },
  { minor: 1, currency: 'eur' },
  { minor: 1 },
  { minor: 1, currency: 'EUR', extra: 1 },
  'tweet',
  'fax',
  'inbound',
  'sent',
  'critical',
  '2026-02-30T10:00:00Z',
  '2026-11-20T14:03:00',
  '2099-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2026-11-20T14:03:00.123456789Z',
  'C-{1}',
  'a b',
];
/**
 * One past the most order lines: tried only where lines go. It costs the DTO validation a
 * thousand nested objects (tens of milliseconds), and anywhere else it is just an array where
 * none belongs, as `[]` and `[{}]` already are.
 */
const TOO_MANY_ITEMS = Array.from({ length: 1001 }, () => ({ sku: 'A', quantity: 1 }));
const trickyAt = (path: string): unknown[] =>
  path === 'data.items' ? [...TRICKY, TOO_MANY_ITEMS] : TRICKY;
/**
 * With the fast path on, decoding differs from the reference (the DTO validation alone) only
 * where the fast path accepts: where it does not, decoding runs that same validation. So only
 * accepted messages are decoded both ways, and the DTO validation (about a millisecond each on
 * this machine) runs for them alone. Returns whether it compared.
 */
function decidesLikeTheReference(raw: unknown, context: object = {}): boolean {
  const anObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  if (!anObject || !acceptsOnFastPath(raw)) return false;
  expect({ ...context, result: decodeTouchpoint(raw, { now }) }).toEqual({
    ...context,
    result: decodeTouchpoint(raw, { now, fastPath: false }),
  });
  return true;
}

/** Every path of a valid touchpoint of the type, plus keys that must not be there. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...pathsOf(child, path)];
  });
}
const UNKNOWN = [
  'extra',
  '__proto__',
  'constructor',
  'toString',
  'data.extra',
  'data.amount.extra',
  'data.hasOwnProperty',
  'data.valueOf',
  'data.amount.toString',
];

function mutate(raw: Record<string, unknown>, path: string, value: unknown, remove: boolean) {
  const parts = path.split('.');
  let target = raw as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (typeof next !== 'object' || next === null) return;
    target = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (remove) delete target[last];
  else
    Object.defineProperty(target, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

describe('the fast path of touchpoint decoding', () => {
  it.each(Object.keys(VALID))('takes a valid %s', (type) => {
    const raw = valid(type);
    expect(acceptsOnFastPath(raw)).toBe(true);
    expect(decodeTouchpoint(raw, { now })).toEqual(decodeTouchpoint(raw, { now, fastPath: false }));
  });

  it('decides like the DTO validation for every single edge value at every path', () => {
    let compared = 0;
    for (const type of Object.keys(VALID)) {
      for (const path of [...pathsOf(valid(type)), ...UNKNOWN]) {
        for (const [value, remove] of [
          ...trickyAt(path).map((v) => [v, false]),
          [undefined, true],
        ]) {
          const raw = valid(type);
          mutate(raw, path, value, remove as boolean);
          if (decidesLikeTheReference(raw, { type, path, value })) compared++;
        }
      }
    }
    // The fast path takes the optional fields' edits, not only the untouched touchpoints.
    expect(compared).toBeGreaterThan(500);
  });

  it('never accepts what the DTO validation refuses, whatever the combination', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(VALID)).chain((type) =>
          fc.tuple(
            fc.constant(type),
            fc.array(
              fc.constantFrom(...pathsOf(valid(type)), ...UNKNOWN).chain((path) =>
                fc.record({
                  path: fc.constant(path),
                  value: fc.constantFrom(...trickyAt(path)),
                  remove: fc.boolean(),
                }),
              ),
              { minLength: 1, maxLength: 3 },
            ),
          ),
        ),
        ([type, mutations]) => {
          const raw = valid(type);
          for (const m of mutations) mutate(raw, m.path, m.value, m.remove);
          decidesLikeTheReference(raw, { type, mutations });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('decides like the DTO validation on touchpoints generated from the contract, valid and near-miss', () => {
    const options = { now, earliest: new Date('2026-01-01T00:00:00Z') };
    fc.assert(
      fc.property(fc.oneof(validTouchpoint(options), nearMissTouchpoint(options)), (generated) => {
        // As it arrives: parsed JSON.
        const raw = JSON.parse(JSON.stringify(generated)) as unknown;
        decidesLikeTheReference(raw);
      }),
      { numRuns: 1500 },
    );
  });
});
