import fc from 'fast-check';
import { classifyLifecycle, LIFECYCLE_SEGMENTS, type LifecycleFacts } from './lifecycle-segment';

const asOf = '2025-06-30T00:00:00Z';
const daysBefore = (days: number): string =>
  new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
const loyal: LifecycleFacts = {
  firstPurchaseAt: daysBefore(400),
  lastPurchaseAt: daysBefore(10),
  tier: 'A',
  riskBand: 'low',
  probabilityAlive: 0.95,
};

describe('classifyLifecycle', () => {
  it.each([
    [
      'a prospect',
      { ...loyal, firstPurchaseAt: null, lastPurchaseAt: null },
      'potential',
      'NO_PURCHASE_YET',
    ],
    [
      'a first purchase after asOf',
      { ...loyal, firstPurchaseAt: daysBefore(-2) },
      'potential',
      'NO_PURCHASE_YET',
    ],
    [
      'a recent first buyer',
      { ...loyal, firstPurchaseAt: daysBefore(30), riskBand: 'high' },
      'new',
      'RECENT_FIRST_PURCHASE',
    ],
    ['a year of silence', { ...loyal, lastPurchaseAt: daysBefore(365) }, 'dormant', 'LONG_SILENCE'],
    ['a model that says gone', { ...loyal, probabilityAlive: 0.05 }, 'dormant', 'MODEL_SAYS_GONE'],
    ['a high risk band', { ...loyal, riskBand: 'high' }, 'migrating', 'AT_RISK'],
    ['a fading P(alive)', { ...loyal, probabilityAlive: 0.3 }, 'migrating', 'AT_RISK'],
    ['a healthy tier A customer', loyal, 'active_value', 'TOP_TIER'],
    ['a healthy tier B customer', { ...loyal, tier: 'B' }, 'active_value', 'TOP_TIER'],
    ['a healthy tier C customer', { ...loyal, tier: 'C' }, 'potential', 'LOWER_TIER'],
    [
      'no model, no risk band',
      { ...loyal, tier: 'none', riskBand: null, probabilityAlive: null },
      'potential',
      'LOWER_TIER',
    ],
  ] as const)('classifies %s', (_, facts, segment, rule) => {
    expect(classifyLifecycle(facts, asOf)).toEqual({ segment, rule });
  });

  it('honours configured thresholds', () => {
    expect(
      classifyLifecycle({ ...loyal, lastPurchaseAt: daysBefore(200) }, asOf, {
        dormantAfterDays: 180,
      }).segment,
    ).toBe('dormant');
    expect(
      classifyLifecycle({ ...loyal, firstPurchaseAt: daysBefore(150) }, asOf, {
        newWithinDays: 180,
      }).segment,
    ).toBe('new');
  });

  it('gives every customer exactly one segment', () => {
    const instant = fc.integer({ min: -800, max: 10 }).map(daysBefore);
    const facts = fc.record({
      firstPurchaseAt: fc.option(instant, { nil: null }),
      lastPurchaseAt: fc.option(instant, { nil: null }),
      tier: fc.constantFrom('A', 'B', 'C', 'none' as const),
      riskBand: fc.constantFrom('low', 'medium', 'high', null),
      probabilityAlive: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const matches = LIFECYCLE_SEGMENTS.filter(
          (s) => classifyLifecycle(f as LifecycleFacts, asOf).segment === s,
        );
        expect(matches).toHaveLength(1);
      }),
    );
  });
});
