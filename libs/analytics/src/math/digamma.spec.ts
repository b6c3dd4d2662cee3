import fc from 'fast-check';
import { digamma } from './digamma';
import { lnGamma } from './ln-gamma';

describe('digamma', () => {
  it.each([
    [1, -0.5772156649015329],
    [0.5, -1.9635100260214235],
    [2, 0.42278433509846713],
    [10, 2.251752589066721],
    [1e-12, -1000000000000.5773],
    [1e13, 29.933606208922544],
  ])('ψ(%p) = %p', (x, expected) => {
    expect(digamma(x)).toBeCloseTo(
      expected,
      12 - Math.max(0, Math.round(Math.log10(Math.abs(expected)))),
    );
  });

  it('satisfies ψ(x + 1) = ψ(x) + 1/x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (x) => {
        expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 8);
      }),
    );
  });

  it('is the slope of lnΓ', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1e4, noNaN: true }), (x) => {
        const h = 1e-5 * Math.max(1, x);
        const slope = (lnGamma(x + h) - lnGamma(x - h)) / (2 * h);
        expect(Math.abs(digamma(x) - slope)).toBeLessThan(1e-5 * Math.max(1, Math.abs(slope)));
      }),
    );
  });

  it('refuses x ≤ 0', () => {
    expect(() => digamma(0)).toThrow(/x > 0/);
  });
});
