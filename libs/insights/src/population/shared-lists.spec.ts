import { sharedList } from './shared-lists';

describe('shared lists', () => {
  it('gives equal lists one frozen array, equal to them', () => {
    const first = sharedList(['email', 'web']);
    const second = sharedList(['email', 'web']);
    expect(second).toBe(first);
    expect(first).toEqual(['email', 'web']);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps lists that differ in order or content apart', () => {
    const emailWeb = sharedList(['email', 'web']);
    expect(sharedList(['web', 'email'])).not.toBe(emailWeb);
    expect(sharedList(['web', 'email'])).toEqual(['web', 'email']);
    expect(sharedList(['email'])).toEqual(['email']);
    expect(sharedList([])).toEqual([]);
  });

  it('is not changed when the list given is changed afterwards', () => {
    const given = ['phone', 'store'];
    const shared = sharedList(given);
    given.push('web');
    expect(sharedList(['phone', 'store'])).toEqual(['phone', 'store']);
    expect(shared).toEqual(['phone', 'store']);
  });

  it('stops remembering new lists past a bound, and still returns them', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => sharedList([`code-${i}`]));
    expect(many[4_999]).toEqual(['code-4999']);
    expect(sharedList(['code-4999'])).not.toBe(many[4_999]);
    expect(sharedList(['code-0'])).toBe(many[0]);
  });
});
