import { normaliseIdentifierValue } from './normalise-identifier';

describe('normalising an identifier value', () => {
  describe('when it is an email', () => {
    it('is trimmed and lower-cased, so two channels spelling it differently agree', () => {
      expect(normaliseIdentifierValue('email', '  Ada.Lovelace@Example.COM ')).toEqual({
        ok: true,
        value: 'ada.lovelace@example.com',
      });
    });

    it.each(['ada', 'ada@', '@example.com', 'a b@example.com', `${'a'.repeat(250)}@x.io`])(
      'refuses %j with the reason',
      (value) => {
        expect(normaliseIdentifierValue('email', value)).toEqual({
          ok: false,
          message: 'is not an email address',
        });
      },
    );
  });

  describe('when it is a phone number', () => {
    it('becomes E.164 from international form without a default region', () => {
      expect(normaliseIdentifierValue('phone', '+44 20 7946 0958')).toEqual({
        ok: true,
        value: '+442079460958',
      });
    });

    it('reads a national number in the configured default region', () => {
      expect(normaliseIdentifierValue('phone', '030 1234567', { defaultRegion: 'DE' })).toEqual({
        ok: true,
        value: '+49301234567',
      });
      expect(normaliseIdentifierValue('phone', '(030) 123-4567', { defaultRegion: 'DE' })).toEqual(
        { ok: true, value: '+49301234567' },
      );
    });

    it('refuses a national number when no default region is configured, saying so', () => {
      expect(normaliseIdentifierValue('phone', '030 1234567')).toEqual({
        ok: false,
        message:
          'is not a phone number in international form (+ and country code; no default region is configured)',
      });
    });

    it.each(['12', 'call me', '+99 123', '1'.repeat(41)])('refuses %j', (value) => {
      expect(normaliseIdentifierValue('phone', value, { defaultRegion: 'DE' })).toMatchObject({
        ok: false,
        message: 'is not a phone number (national numbers are read as DE)',
      });
    });
  });

  describe('when it is an opaque id (anonymous visitor, loyalty card, configured types)', () => {
    it('is trimmed and otherwise kept as given (case matters)', () => {
      expect(normaliseIdentifierValue('anonymousId', ' a1B2-c3 ')).toEqual({
        ok: true,
        value: 'a1B2-c3',
      });
      expect(normaliseIdentifierValue('memberNo', 'M-77')).toEqual({ ok: true, value: 'M-77' });
    });

    it.each(['', '   ', 'has space', 'ü-accent', 'x'.repeat(129)])('refuses %j', (value) => {
      expect(normaliseIdentifierValue('loyaltyCard', value)).toEqual({
        ok: false,
        message: 'must be 1–128 printable ASCII characters without spaces',
      });
    });
  });

  describe('when it is a customerId', () => {
    it('follows the customerId field rule (it becomes a stream name)', () => {
      expect(normaliseIdentifierValue('customerId', 'C-1001')).toEqual({
        ok: true,
        value: 'C-1001',
      });
      expect(normaliseIdentifierValue('customerId', 'C{1}')).toMatchObject({ ok: false });
    });
  });
});
