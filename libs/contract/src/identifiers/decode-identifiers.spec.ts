import { decodeTouchpoint, decodeTouchpointJson } from '../decode-touchpoint';
import { keyNamesTouchpoint, messageKeyOf } from './message-key';

const now = new Date('2026-11-27T12:00:00Z');
const { customerId, ...anonymousVisit } = {
  touchpointId: 'web-1',
  source: 'web',
  customerId: 'C-1001',
  type: 'web_visit',
  occurredAt: '2026-11-20T14:03:00.000Z',
  channel: 'web',
  data: { url: 'https://shop.example/p/1' },
};

function decoded(raw: unknown, defaultRegion?: string) {
  const result = decodeTouchpoint(raw, { now, identifiers: { defaultRegion } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.touchpoint;
}

function problemsOf(raw: unknown, extraTypes: string[] = []) {
  const result = decodeTouchpoint(raw, { now, identifiers: { extraTypes } });
  if (result.ok) throw new Error('expected the touchpoint to be refused');
  return { code: result.code, problems: result.problems };
}

describe('decoding who a touchpoint is about', () => {
  describe('when it names only a customerId (every message so far)', () => {
    it('decodes exactly as before: no identifiers field appears', () => {
      expect(decoded({ ...anonymousVisit, customerId })).toEqual({
        ...anonymousVisit,
        customerId,
      });
    });
  });

  describe('when it names its customer by identifiers only', () => {
    it('keeps the identifiers normalised, without customerId', () => {
      const touchpoint = decoded(
        {
          ...anonymousVisit,
          identifiers: [
            { type: 'anonymousId', value: ' a-77 ' },
            { type: 'email', value: 'Ada@Example.com' },
            { type: 'phone', value: '030 1234567' },
          ],
        },
        'DE',
      );
      expect(touchpoint).toEqual({
        ...anonymousVisit,
        identifiers: [
          { type: 'anonymousId', value: 'a-77' },
          { type: 'email', value: 'ada@example.com' },
          { type: 'phone', value: '+49301234567' },
        ],
      });
      expect(touchpoint.customerId).toBeUndefined();
    });

    it('drops an identifier given twice (after normalisation)', () => {
      expect(
        decoded({
          ...anonymousVisit,
          identifiers: [
            { type: 'email', value: 'ada@example.com' },
            { type: 'email', value: ' ADA@example.com' },
          ],
        }).identifiers,
      ).toEqual([{ type: 'email', value: 'ada@example.com' }]);
    });
  });

  describe('when a customerId comes as an identifier', () => {
    it('means the same as the customerId field', () => {
      expect(
        decoded({
          ...anonymousVisit,
          identifiers: [
            { type: 'customerId', value: 'C-1001' },
            { type: 'email', value: 'ada@example.com' },
          ],
        }),
      ).toEqual({
        ...anonymousVisit,
        customerId: 'C-1001',
        identifiers: [{ type: 'email', value: 'ada@example.com' }],
      });
    });

    it('is refused when it names another customer than the field', () => {
      expect(
        problemsOf({
          ...anonymousVisit,
          customerId: 'C-1',
          identifiers: [{ type: 'customerId', value: 'C-2' }],
        }).problems,
      ).toEqual([
        {
          path: 'identifiers[0].value',
          message:
            'identifiers[0].value names customer "C-2" but the touchpoint names "C-1": one touchpoint is about one customer',
        },
      ]);
    });
  });

  describe('when it names nobody', () => {
    it.each([[{}], [{ identifiers: [] }]])('is refused, saying what is needed (%j)', (extra) => {
      expect(problemsOf({ ...anonymousVisit, ...extra })).toEqual({
        code: 'CONTRACT_VIOLATION',
        problems: [
          {
            path: 'customerId',
            message:
              'customerId is required unless identifiers name the customer (give either or both)',
          },
        ],
      });
    });
  });

  describe('when a customerId starts with "profile." (reserved for derived profiles)', () => {
    it.each([
      [{ customerId: 'profile.3f1c0a9e' }, 'customerId'],
      [{ identifiers: [{ type: 'customerId', value: 'profile.3f1c0a9e' }] }, 'identifiers[0].value'],
    ])('is refused on both decode paths, naming the field (%j)', (extra, path) => {
      const { problems } = problemsOf({ ...anonymousVisit, ...extra });
      expect(problems).toEqual([
        { path, message: expect.stringContaining('reserves for profiles it derives') },
      ]);
      const fromBytes = decodeTouchpointJson(JSON.stringify({ ...anonymousVisit, ...extra }), {
        now,
      });
      expect(fromBytes).toMatchObject({ ok: false, code: 'CONTRACT_VIOLATION', problems });
    });

    it('still accepts one that only contains the word', () => {
      expect(decoded({ ...anonymousVisit, customerId: 'C-profile.1' }).customerId).toBe(
        'C-profile.1',
      );
    });
  });

  describe('when customerId is null or not a string', () => {
    // The fault suite found a null customerId recorded as no one (HTTP 500 further on).
    it.each([
      [{ customerId: null }],
      [{ customerId: null, identifiers: [{ type: 'email', value: 'a@example.com' }] }],
    ])('is refused on both decode paths, naming the field (%j)', (extra) => {
      const expected = {
        code: 'CONTRACT_VIOLATION',
        problems: [
          {
            path: 'customerId',
            message:
              'customerId must be a string (leave it out when identifiers name the customer)',
          },
        ],
      };
      expect(problemsOf({ ...anonymousVisit, ...extra })).toEqual(expected);
      const fromBytes = decodeTouchpointJson(JSON.stringify({ ...anonymousVisit, ...extra }), {
        now,
      });
      expect(fromBytes).toEqual({ ok: false, ...expected });
    });

    it('is refused once when it has another type (the contract names it)', () => {
      const { problems } = problemsOf({ ...anonymousVisit, customerId: 5 });
      expect(problems.filter((p) => p.path === 'customerId')).toHaveLength(1);
    });
  });

  describe('when an identifier is wrong', () => {
    it('names the field of each problem', () => {
      expect(
        problemsOf({
          ...anonymousVisit,
          identifiers: [
            { type: 'email', value: 'ada@example.com' },
            { type: 'fax', value: '1' },
            { type: 'email', value: 'not-an-address' },
            { type: 'phone' },
            { type: 'phone', value: '+491701234567', note: 'x' },
            'ada',
          ],
        }).problems,
      ).toEqual([
        {
          path: 'identifiers[1].type',
          message:
            'identifiers[1].type must be one of: customerId, loyaltyCard, email, phone, anonymousId',
        },
        {
          path: 'identifiers[2].value',
          message: 'identifiers[2].value is not an email address',
        },
        { path: 'identifiers[3].value', message: 'identifiers[3].value is required (a string)' },
        { path: 'identifiers[4].note', message: 'property note should not exist' },
        {
          path: 'identifiers[5]',
          message:
            'identifiers[5] must be an object such as { "type": "email", "value": "a@example.com" }',
        },
      ]);
    });

    it('accepts a configured type', () => {
      const result = decodeTouchpoint(
        { ...anonymousVisit, identifiers: [{ type: 'memberNo', value: 'M-7' }] },
        { now, identifiers: { extraTypes: ['memberNo'] } },
      );
      expect(result).toMatchObject({
        ok: true,
        touchpoint: { identifiers: [{ type: 'memberNo', value: 'M-7' }] },
      });
    });

    it('refuses identifiers that are not an array, and more than 20', () => {
      expect(problemsOf({ ...anonymousVisit, identifiers: { email: 'a@b.c' } }).problems).toEqual([
        {
          path: 'identifiers',
          message: 'identifiers must be an array of { "type", "value" } objects',
        },
      ]);
      const many = Array.from({ length: 21 }, (_, i) => ({ type: 'anonymousId', value: `a${i}` }));
      expect(problemsOf({ ...anonymousVisit, identifiers: many }).problems).toEqual([
        { path: 'identifiers', message: 'identifiers has 21 items; at most 20 are accepted' },
      ]);
    });

    it('is refused from Kafka bytes the same way (the dead letter names the field)', () => {
      const result = decodeTouchpointJson(
        JSON.stringify({ ...anonymousVisit, identifiers: [{ type: 'phone', value: '12' }] }),
        { now },
      );
      expect(result).toMatchObject({
        ok: false,
        problems: [{ path: 'identifiers[0].value' }],
      });
    });
  });

  describe('the Kafka key of a touchpoint', () => {
    it('is its customerId, else its first identifier as type:value', () => {
      const named = decoded({ ...anonymousVisit, customerId });
      expect(messageKeyOf(named)).toBe('C-1001');
      const anonymous = decoded({
        ...anonymousVisit,
        identifiers: [{ type: 'email', value: 'Ada@example.com' }],
      });
      expect(messageKeyOf(anonymous)).toBe('email:ada@example.com');
      expect(keyNamesTouchpoint('email:ada@example.com', anonymous)).toBe(true);
      expect(keyNamesTouchpoint('ada@example.com', anonymous)).toBe(true);
      expect(keyNamesTouchpoint('C-1001', anonymous)).toBe(false);
    });
  });
});
