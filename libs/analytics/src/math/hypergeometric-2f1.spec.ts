import { hyp2f1 } from './hypergeometric-2f1';

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99]) {
      const expected = z === 0 ? 1 : -Math.log(1 - z) / z;
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(expected, 10);
      expect(hyp2f1(2.3, 0.7, 0.7, z)).toBeCloseTo(Math.pow(1 - z, -2.3), 8);
    }
    const w = 0.8;
    expect(hyp2f1(0.5, 0.5, 1.5, w * w)).toBeCloseTo(Math.asin(w) / w, 12);
  });

  it('throws outside the series range instead of returning nonsense', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/0 <= z < 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/undefined/);
  });

  it('reports non-convergence within the term budget', () => {
    expect(() => hyp2f1(1, 1, 2, 0.999999, { maxTerms: 10 })).toThrow(/did not converge/);
  });
});
