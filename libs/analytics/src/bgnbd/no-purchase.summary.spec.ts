import { bgNbdExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd.predict';
import { summarizeBgNbd } from './bg-nbd.summary';
import { summarizeNoPurchase } from './no-purchase.summary';
import { CDNOW_SAMPLE_PARAMS } from '../testing';

describe('summarizeNoPurchase', () => {
  const asOf = '2026-03-01T12:00:00Z';

  it('is no repeat purchase over the whole days since the customer was first seen', () => {
    expect(summarizeNoPurchase('2026-02-01T23:00:00Z', { asOf, unit: 'days' })).toEqual({
      x: 0,
      tx: 0,
      T: 28,
    });
    expect(summarizeNoPurchase('2026-02-01T00:00:00Z', { asOf, unit: 'weeks' })).toEqual({
      x: 0,
      tx: 0,
      T: 4,
    });
  });

  it('reads like a single purchase on the day they were first seen', () => {
    const firstSeen = '2025-11-15T08:00:00Z';
    expect(summarizeNoPurchase(firstSeen, { asOf, unit: 'weeks' })).toEqual(
      summarizeBgNbd([firstSeen], { asOf, unit: 'weeks' }),
    );
  });

  it('is null for a customer first seen after asOf', () => {
    expect(summarizeNoPurchase('2026-03-02T00:00:00Z', { asOf, unit: 'days' })).toBeNull();
  });

  it('gives alive (the model drops customers only after a purchase) and fewer purchases the longer the silence', () => {
    const short = summarizeNoPurchase('2026-02-20T00:00:00Z', { asOf, unit: 'weeks' })!;
    const long = summarizeNoPurchase('2024-03-01T00:00:00Z', { asOf, unit: 'weeks' })!;
    expect(bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, long)).toBe(1);
    expect(bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, long, 52)).toBeLessThan(
      bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, short, 52),
    );
  });
});
