import fc from 'fast-check';
import { CDNOW_SAMPLE_PARAMS } from '../testing';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNewCustomer,
  bgNbdProbabilityAlive,
} from './bg-nbd.predict';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

/** P(alive) straight from FHL 2005 eq. 13, written independently with Math.pow. */
function referenceProbabilityAlive(p: BgNbdParams, s: BgNbdSummary): number {
  if (s.x === 0) return 1;
  const odds = (p.a / (p.b + s.x - 1)) * Math.pow((p.alpha + s.T) / (p.alpha + s.tx), p.r + s.x);
  return 1 / (1 + odds);
}

const summaries = fc
  .record({
    x: fc.integer({ min: 0, max: 30 }),
    T: fc.double({ min: 0, max: 80, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ x, T, share }): BgNbdSummary => ({ x, T, tx: x === 0 ? 0 : share * T }));

describe('bgNbdProbabilityAlive', () => {
  it('agrees with the published formula at the CDNOW parameters', () => {
    for (const s of [
      { x: 1, tx: 1.71, T: 38.86 },
      { x: 2, tx: 30.43, T: 38.86 },
      { x: 7, tx: 29.43, T: 35.0 },
      { x: 6, tx: 2, T: 38 },
    ]) {
      expect(bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, s)).toBeCloseTo(
        referenceProbabilityAlive(CDNOW_SAMPLE_PARAMS, s),
        12,
      );
    }
  });

  it('is 1 without repeat purchases and within (0, 1] otherwise', () => {
    expect(bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, { x: 0, tx: 0, T: 30 })).toBe(1);
    fc.assert(
      fc.property(summaries, (s) => {
        const p = bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, s);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(p).toBeCloseTo(referenceProbabilityAlive(CDNOW_SAMPLE_PARAMS, s), 10);
      }),
    );
  });

  it('falls as the silence since the last purchase grows', () => {
    fc.assert(
      fc.property(summaries, fc.double({ min: 0.1, max: 50, noNaN: true }), (s, more) => {
        const later = { ...s, T: s.T + more };
        expect(bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, later)).toBeLessThanOrEqual(
          bgNbdProbabilityAlive(CDNOW_SAMPLE_PARAMS, s) + 1e-12,
        );
      }),
    );
  });
});

describe('bgNbdExpectedPurchases', () => {
  it('reproduces the published CDNOW conditional expectation E[Y(39) | 2, 30.43, 38.86] = 1.226', () => {
    const value = bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, { x: 2, tx: 30.43, T: 38.86 }, 39);
    expect(Math.abs(value - 1.226)).toBeLessThan(5e-4);
  });

  it('reproduces the published CDNOW unconditional expectations E[X(t)]', () => {
    // Published to 4 decimals from the unrounded MLE; the 3-significant-digit parameters
    // above move E[X(t)] by up to ~0.3% (r/α changes by 0.16%), hence the 0.2% tolerance.
    const published: ReadonlyArray<readonly [number, number]> = [
      [0.1429, 0.0078],
      [1, 0.0532],
      [3, 0.1506],
      [31.8571, 1.0405],
      [32, 1.0437],
      [78, 1.8576],
    ];
    for (const [t, expected] of published) {
      const actual = bgNbdExpectedPurchasesNewCustomer(CDNOW_SAMPLE_PARAMS, t);
      expect(Math.abs(actual - expected)).toBeLessThan(Math.max(2e-4, 0.002 * expected));
    }
  });

  it('for a customer acquired at asOf equals the new-customer expectation', () => {
    for (const t of [1, 10, 52]) {
      expect(bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, { x: 0, tx: 0, T: 0 }, t)).toBeCloseTo(
        bgNbdExpectedPurchasesNewCustomer(CDNOW_SAMPLE_PARAMS, t),
        10,
      );
    }
  });

  it('is zero for a zero horizon and grows with the horizon', () => {
    fc.assert(
      fc.property(summaries, fc.double({ min: 0.1, max: 60, noNaN: true }), (s, t) => {
        expect(bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, s, 0)).toBe(0);
        const shorter = bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, s, t);
        const longer = bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, s, t * 1.5);
        expect(shorter).toBeGreaterThanOrEqual(0);
        expect(longer).toBeGreaterThanOrEqual(shorter - 1e-9);
      }),
    );
  });

  it('is continuous across the removable singularity at a = 1', () => {
    const s = { x: 3, tx: 20, T: 30 };
    const at = (a: number): number => bgNbdExpectedPurchases({ ...CDNOW_SAMPLE_PARAMS, a }, s, 10);
    expect(at(1)).toBeCloseTo((at(0.999) + at(1.001)) / 2, 4);
  });

  it('rejects a negative horizon', () => {
    expect(() => bgNbdExpectedPurchases(CDNOW_SAMPLE_PARAMS, { x: 0, tx: 0, T: 1 }, -1)).toThrow(
      /horizon/,
    );
  });
});
