import {
  DEFAULT_IDENTITY_RULES,
  limitBrokenByLink,
  limitBrokenByMerge,
  mayMerge,
} from './identity-rules';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('identity rules', () => {
  describe('given the defaults', () => {
    it('two named customers may not become one profile (one customerId per profile)', () => {
      expect(
        limitBrokenByMerge(
          DEFAULT_IDENTITY_RULES,
          counts({ customerId: 1 }),
          counts({ customerId: 1 }),
        ),
      ).toEqual({ identifierType: 'customerId', max: 1, would: 2 });
    });

    it('a customer and an anonymous visitor may', () => {
      expect(
        limitBrokenByMerge(
          DEFAULT_IDENTITY_RULES,
          counts({ customerId: 1, email: 2 }),
          counts({ anonymousId: 3 }),
        ),
      ).toBeUndefined();
    });

    it('a sixth email is refused, a hundredth anonymous id taken', () => {
      expect(limitBrokenByLink(DEFAULT_IDENTITY_RULES, counts({ email: 5 }), 'email')).toEqual({
        identifierType: 'email',
        max: 5,
        would: 6,
      });
      expect(
        limitBrokenByLink(DEFAULT_IDENTITY_RULES, counts({ anonymousId: 99 }), 'anonymousId'),
      ).toBeUndefined();
    });

    it('a configured type without a limit of its own gets the default limit', () => {
      expect(
        limitBrokenByLink(DEFAULT_IDENTITY_RULES, counts({ memberNo: 5 }), 'memberNo'),
      ).toEqual({ identifierType: 'memberNo', max: 5, would: 6 });
    });
  });

  it('only the listed types may merge profiles', () => {
    const rules = { ...DEFAULT_IDENTITY_RULES, mergeTypes: ['email'] };
    expect(mayMerge(rules, 'email')).toBe(true);
    expect(mayMerge(rules, 'anonymousId')).toBe(false);
  });
});
