import fc from 'fast-check';
import * as classValidator from 'class-validator';
import { decodeTouchpoint, type DecodeOptions } from './decode-touchpoint';
import { nearMissTouchpoint, validTouchpoint, type RawTouchpoint } from './testing';

// The DTO validation, watched: the fast path must not reach it.
jest.mock('class-validator', () => {
  const actual = jest.requireActual<typeof import('class-validator')>('class-validator');
  return { ...actual, validateSync: jest.fn(actual.validateSync) };
});
const validateSync = classValidator.validateSync as jest.MockedFunction<
  typeof classValidator.validateSync
>;

/** A fresh copy made in this realm (Jest's structuredClone makes objects of another realm). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const now = new Date('2026-11-27T12:00:00Z');
const options: DecodeOptions = { now, identifiers: { defaultRegion: 'DE' } };

const message = {
  touchpointId: 'tp-1',
  source: 'web',
  customerId: 'C-1',
  type: 'web_visit',
  occurredAt: '2026-11-20T14:03:00+01:00',
  channel: 'web',
  data: { url: 'https://shop.example/p/1' },
  identifiers: [
    { type: 'email', value: '  Ada@Example.COM ' },
    { type: 'anonymousId', value: 'anon-7' },
  ],
};

/** Identifier items: valid ones of every built-in type, and ones the contract refuses. */
const identifier: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.constantFrom('email'),
    value: fc.constantFrom('a@example.com', ' B@Example.org ', 'not-an-email', ''),
  }),
  fc.record({
    type: fc.constant('phone'),
    value: fc.constantFrom('+49 30 1234567', '030 1234567', '12', 'phone'),
  }),
  fc.record({
    type: fc.constantFrom('anonymousId', 'loyaltyCard', 'customerId', 'unknownType'),
    value: fc.constantFrom('anon-1', 'C-1', 'C-2', 'profile.abc', 'has space', 'x'.repeat(129)),
  }),
  fc.constantFrom(
    null,
    'a@example.com',
    [],
    { type: 'email' },
    { value: 'anon-1' },
    { type: 'anonymousId', value: 'anon-1', extra: 1 },
    { type: 'anonymousId', value: 7 },
    JSON.parse('{"type":"anonymousId","value":"anon-1","__proto__":{}}') as unknown,
  ),
);

/** A touchpoint with identifiers, its customerId kept, dropped, or made wrong. */
function withIdentifiers(base: fc.Arbitrary<RawTouchpoint>): fc.Arbitrary<RawTouchpoint> {
  return fc
    .tuple(
      base,
      fc.oneof(
        { weight: 5, arbitrary: fc.array(identifier, { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.constantFrom(null, {}, 'anon-1', fc.sample(identifier, 21)) },
      ),
      fc.constantFrom('keep', 'drop', 'null', 'derived'),
    )
    .map(([touchpoint, identifiers, customerId]) => {
      const raw: RawTouchpoint = { ...touchpoint, identifiers };
      if (customerId === 'drop') delete raw.customerId;
      if (customerId === 'null') raw.customerId = null;
      if (customerId === 'derived') raw.customerId = 'profile.abc';
      return JSON.parse(JSON.stringify(raw)) as RawTouchpoint;
    });
}

describe('decoding a touchpoint that carries identifiers', () => {
  beforeEach(() => validateSync.mockClear());

  describe('when it is valid, with its customerId', () => {
    it('is decoded on the fast path, its identifiers normalised', () => {
      const decoded = decodeTouchpoint(copy(message), options);
      expect(decoded).toEqual({
        ok: true,
        touchpoint: {
          ...message,
          occurredAt: '2026-11-20T13:03:00.000Z',
          identifiers: [
            { type: 'email', value: 'ada@example.com' },
            { type: 'anonymousId', value: 'anon-7' },
          ],
        },
      });
      expect(validateSync).not.toHaveBeenCalled();
    });
  });

  describe('when identifiers alone name the customer', () => {
    it('is decoded on the fast path, with no customerId', () => {
      const { customerId: _named, ...anonymous } = copy(message);
      const decoded = decodeTouchpoint(anonymous, options);
      expect(decoded.ok && decoded.touchpoint).not.toHaveProperty('customerId');
      expect(decoded.ok && decoded.touchpoint.identifiers).toHaveLength(2);
      expect(validateSync).not.toHaveBeenCalled();
    });

    it('takes the customerId an identifier names', () => {
      const { customerId: _named, ...anonymous } = copy(message);
      const decoded = decodeTouchpoint(
        { ...anonymous, identifiers: [{ type: 'customerId', value: 'C-9' }] },
        options,
      );
      expect(decoded.ok && decoded.touchpoint).toMatchObject({ customerId: 'C-9' });
      expect(decoded.ok && decoded.touchpoint).not.toHaveProperty('identifiers');
      expect(validateSync).not.toHaveBeenCalled();
    });
  });

  describe('when an identifier is wrong', () => {
    it('goes the full way, which names it', () => {
      const decoded = decodeTouchpoint(
        { ...message, identifiers: [{ type: 'email', value: 'nope' }] },
        options,
      );
      expect(decoded).toEqual({
        ok: false,
        code: 'CONTRACT_VIOLATION',
        problems: [{ path: 'identifiers[0].value', message: expect.stringContaining('email') }],
      });
    });
  });

  it('decodes exactly as the full DTO validation does, valid or not', () => {
    const raw = fc.oneof(
      withIdentifiers(validTouchpoint({ now })),
      withIdentifiers(nearMissTouchpoint({ now })),
    );
    let onFastPath = 0;
    fc.assert(
      fc.property(raw, (touchpoint) => {
        validateSync.mockClear();
        const fast = decodeTouchpoint(copy(touchpoint), options);
        if (fast.ok && validateSync.mock.calls.length === 0) onFastPath += 1;
        const full = decodeTouchpoint(copy(touchpoint), {
          ...options,
          fastPath: false,
        });
        expect(fast).toEqual(full);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: some of them took the fast path. About one in twenty-five does (10–14 of 300), so a bound
    // above zero holds for any seed, where a larger one failed on unlucky draws.
    expect(onFastPath).toBeGreaterThan(0);
  });
});
