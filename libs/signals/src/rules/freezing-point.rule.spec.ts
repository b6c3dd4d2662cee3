import { given, only, purchase } from '../testing';

const rules = only('freezingPoint', { gapMultiple: 2, minPurchases: 3 });
const every10Days = [
  purchase('O-1', 1000, '2026-01-01T00:00:00Z'),
  purchase('O-2', 1000, '2026-01-11T00:00:00Z'),
  purchase('O-3', 1000, '2026-01-21T00:00:00Z'),
];

describe('freezing-point', () => {
  it('when a repeat customer is silent past k times their typical gap, then a signal is due at that point', () => {
    const history = given(...every10Days);
    expect(history.signals(rules, '2026-02-09T23:59:59Z')).toEqual([]);
    const signals = history.signals(rules, '2026-02-10T00:00:00Z');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      rule: 'freezing-point',
      dueAt: '2026-02-10T00:00:00.000Z',
      expiresAt: '2026-03-12T00:00:00.000Z',
      valueAtStake: { minor: 3000, currency: 'EUR' },
    });
    expect(signals[0].evidence.figures).toMatchObject({
      typicalGapDays: 10,
      gapMultiple: 2,
      purchases: 3,
    });
    expect(signals[0].reason).toContain("2 times the customer's typical gap of 10 days");
    expect(history.signals(rules, '2026-06-01T00:00:00Z')).toEqual(signals);
  });

  it('when they buy again before the freezing point, then no signal for that silence', () => {
    const signals = given(...every10Days, purchase('O-4', 1000, '2026-02-05T00:00:00Z')).signals(
      rules,
      '2026-02-20T00:00:00Z',
    );
    expect(signals).toEqual([]);
  });

  it('when they buy again only after the freezing point, then the signal stays (it was due then)', () => {
    const signals = given(...every10Days, purchase('O-4', 1000, '2026-03-01T00:00:00Z')).signals(
      rules,
      '2026-03-01T00:00:00Z',
    );
    expect(signals.map((s) => s.dueAt)).toEqual(['2026-02-10T00:00:00.000Z']);
  });

  it('when the customer has fewer purchases than the minimum, then nothing fires', () => {
    expect(given(...every10Days.slice(0, 2)).signals(rules, '2027-01-01T00:00:00Z')).toEqual([]);
  });
});
