import fc from 'fast-check';
import { CDNOW_SAMPLE_PARAMS } from '../testing';
import {
  groupedLogLikelihood,
  groupedLogLikelihoodWithGradient,
  groupSummaries,
} from './bg-nbd.grouped-likelihood';
import { bgNbdLogLikelihood, bgNbdTotalLogLikelihood } from './bg-nbd.likelihood';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

/**
 * An independent, deliberately plain implementation of the published formula
 * L = A₁·A₂·(A₃ + δ(x>0)·A₄) (FHL 2005 eq. 6): Stirling-series lnΓ instead of Lanczos,
 * powers and products instead of log-sum-exp.
 */
function stirlingLnGamma(x: number): number {
  let shift = 0;
  let z = x;
  while (z < 15) {
    shift += Math.log(z);
    z += 1;
  }
  const series = 1 / (12 * z) - 1 / (360 * z ** 3) + 1 / (1260 * z ** 5) - 1 / (1680 * z ** 7);
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

function referenceLogLikelihood(p: BgNbdParams, s: BgNbdSummary): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = s;
  const A1 = Math.exp(stirlingLnGamma(r + x) - stirlingLnGamma(r)) * Math.pow(alpha, r);
  const A2 = Math.exp(
    stirlingLnGamma(a + b) +
      stirlingLnGamma(b + x) -
      stirlingLnGamma(b) -
      stirlingLnGamma(a + b + x),
  );
  const A3 = Math.pow(1 / (alpha + T), r + x);
  const A4 = x > 0 ? (a / (b + x - 1)) * Math.pow(1 / (alpha + tx), r + x) : 0;
  return Math.log(A1 * A2 * (A3 + A4));
}

const CDNOW_TRIPLES: readonly BgNbdSummary[] = [
  { x: 0, tx: 0, T: 38.86 },
  { x: 1, tx: 1.71, T: 38.86 },
  { x: 2, tx: 30.43, T: 38.86 },
  { x: 3, tx: 5.0, T: 32.14 },
  { x: 7, tx: 29.43, T: 35.0 },
  { x: 14, tx: 37.0, T: 38.0 },
];

describe('bgNbdLogLikelihood', () => {
  it('agrees with an independent implementation at the published CDNOW parameters', () => {
    for (const summary of CDNOW_TRIPLES) {
      expect(bgNbdLogLikelihood(CDNOW_SAMPLE_PARAMS, summary)).toBeCloseTo(
        referenceLogLikelihood(CDNOW_SAMPLE_PARAMS, summary),
        9,
      );
    }
  });

  it('agrees with the independent implementation for arbitrary parameters and histories', () => {
    const params = fc.record({
      r: fc.double({ min: 0.05, max: 5, noNaN: true }),
      alpha: fc.double({ min: 0.1, max: 50, noNaN: true }),
      a: fc.double({ min: 0.05, max: 5, noNaN: true }),
      b: fc.double({ min: 0.05, max: 10, noNaN: true }),
    });
    const summary = fc
      .record({
        x: fc.integer({ min: 0, max: 20 }),
        T: fc.double({ min: 0, max: 100, noNaN: true }),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : share * T }));
    fc.assert(
      fc.property(params, summary, (p, s) => {
        const actual = bgNbdLogLikelihood(p, s);
        const expected = referenceLogLikelihood(p, s);
        expect(Math.abs(actual - expected)).toBeLessThan(1e-8 * Math.max(1, Math.abs(expected)));
      }),
    );
  });

  it('stays finite where the direct formula underflows', () => {
    const heavyBuyer = { x: 400, tx: 99, T: 100 };
    expect(Number.isFinite(bgNbdLogLikelihood(CDNOW_SAMPLE_PARAMS, heavyBuyer))).toBe(true);
    expect(Number.isFinite(referenceLogLikelihood(CDNOW_SAMPLE_PARAMS, heavyBuyer))).toBe(false);
  });

  it('gives zero for a customer first seen on the asOf day (no information)', () => {
    expect(bgNbdLogLikelihood(CDNOW_SAMPLE_PARAMS, { x: 0, tx: 0, T: 0 })).toBeCloseTo(0, 12);
  });
});

describe('groupedLogLikelihood', () => {
  it('equals the per-customer sum', () => {
    const summaries = [...CDNOW_TRIPLES, ...CDNOW_TRIPLES, CDNOW_TRIPLES[2], { x: 0, tx: 0, T: 1 }];
    const grouped = groupSummaries(summaries);
    expect(grouped.triples).toBe(CDNOW_TRIPLES.length + 1);
    expect(groupedLogLikelihood(CDNOW_SAMPLE_PARAMS, grouped)).toBeCloseTo(
      bgNbdTotalLogLikelihood(CDNOW_SAMPLE_PARAMS, summaries),
      9,
    );
  });

  it('has a gradient equal to central differences of the independent formula', () => {
    const positive = (min: number, max: number) =>
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.record({
          r: positive(0.05, 20),
          alpha: positive(0.5, 200),
          a: positive(0.05, 10),
          b: positive(0.05, 10),
        }),
        (params) => {
          const summaries = [...CDNOW_TRIPLES, CDNOW_TRIPLES[1], { x: 4, tx: 0.5, T: 60 }];
          const { gradient } = groupedLogLikelihoodWithGradient(params, groupSummaries(summaries));
          for (const key of ['r', 'alpha', 'a', 'b'] as const) {
            // Relative step, central difference: error ~h², well under the tolerance below.
            const h = 1e-5 * params[key];
            const total = (value: number) =>
              summaries.reduce(
                (sum, s) => sum + referenceLogLikelihood({ ...params, [key]: value }, s),
                0,
              );
            const slope = (total(params[key] + h) - total(params[key] - h)) / (2 * h);
            expect(Math.abs(gradient[key] - slope)).toBeLessThan(1e-4 * (1 + Math.abs(slope)));
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects impossible summaries', () => {
    expect(() => groupSummaries([{ x: 1, tx: 5, T: 4 }])).toThrow(/invalid BG\/NBD summary/);
    expect(() => groupSummaries([{ x: 1.5, tx: 1, T: 4 }])).toThrow(/invalid BG\/NBD summary/);
    expect(() => groupSummaries([{ x: 0, tx: 1, T: 4 }])).toThrow(/invalid BG\/NBD summary/);
  });
});
