import { simulateGammaGammaCustomers } from '../testing';
import { fitGammaGamma } from './gamma-gamma.fit';
import { gammaGammaLogLikelihood } from './gamma-gamma.likelihood';
import { gammaGammaExpectedSpend, gammaGammaPopulationMeanSpend } from './gamma-gamma.predict';
import { summarizeSpend } from './spend-summary';

// The published CDNOW spend fit (Fader, Hardie & Lee 2005; in dollars): p 6.25, q 3.74, γ 15.44.
const CDNOW = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('the Gamma-Gamma spend model', () => {
  describe('when its density is integrated over every mean spend', () => {
    it('integrates to 1 for each number of transactions (it is a density)', () => {
      for (const x of [1, 2, 5]) {
        // Trapezoid rule on a log grid: the density has a long right tail. The density is smooth
        // in log z, so 20,000 steps are well inside the 4 digits asked.
        const steps = 20_000;
        let total = 0;
        let previous = { z: 0, f: 0 };
        for (let i = 0; i <= steps; i++) {
          const z = Math.exp(-8 + (i / steps) * 16);
          const f = Math.exp(gammaGammaLogLikelihood(CDNOW, { x, meanSpend: z }));
          total += ((f + previous.f) / 2) * (z - previous.z);
          previous = { z, f };
        }
        expect(total).toBeCloseTo(1, 4);
      }
    });
  });

  describe('when fitted on customers simulated from known parameters', () => {
    const truth = { p: 6, q: 4, gamma: 1500 };
    const customers = simulateGammaGammaCustomers({
      params: truth,
      customers: 20_000,
      maxX: 10,
      seed: 11,
    });
    const fit = fitGammaGamma(customers);

    it('recovers p, q and γ and the population mean spend', () => {
      expect(fit.converged).toBe(true);
      expect(fit.params.p).toBeGreaterThan(truth.p * 0.85);
      expect(fit.params.p).toBeLessThan(truth.p * 1.15);
      expect(fit.params.q).toBeGreaterThan(truth.q * 0.85);
      expect(fit.params.q).toBeLessThan(truth.q * 1.15);
      expect(fit.meanSpend! / ((truth.gamma * truth.p) / (truth.q - 1))).toBeCloseTo(1, 1);
      expect(fit.customers).toBe(20_000);
    });

    it('reaches a likelihood at least as high as the true parameters give', () => {
      const atTruth = customers.reduce((s, c) => s + gammaGammaLogLikelihood(truth, c), 0);
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
    });

    it('reports frequency and spend as uncorrelated, as they were drawn', () => {
      expect(Math.abs(fit.frequencySpendCorrelation)).toBeLessThan(0.05);
    });

    it('predicts each group of customers their true mean spend on average', () => {
      // E[Z | z̄, x] is the posterior mean of p/ν: averaged over customers it meets the truth.
      for (const x of [1, 3, 10]) {
        const group = customers.filter((c) => c.x === x);
        const predicted = group.reduce((s, c) => s + gammaGammaExpectedSpend(truth, c)!, 0);
        const actual = group.reduce((s, c) => s + c.trueMeanSpend, 0);
        expect(predicted / actual).toBeCloseTo(1, 1);
      }
    });
  });

  describe('when the expected spend is read for one customer', () => {
    it('is the closed-form weighted mean of the population mean and their own', () => {
      const { p, q, gamma } = CDNOW;
      const population = gammaGammaPopulationMeanSpend(CDNOW)!;
      const weight = (p * 4) / (p * 4 + q - 1);
      expect(gammaGammaExpectedSpend(CDNOW, { x: 4, meanSpend: 30 })).toBeCloseTo(
        (1 - weight) * population + weight * 30,
        10,
      );
      expect(population).toBeCloseTo((gamma * p) / (q - 1), 12);
    });

    it('is the population mean without repeat transactions, and none when q ≤ 1', () => {
      expect(gammaGammaExpectedSpend(CDNOW, { x: 0, meanSpend: 0 })).toBeCloseTo(35.22, 2);
      expect(gammaGammaExpectedSpend({ ...CDNOW, q: 0.9 }, { x: 0, meanSpend: 0 })).toBeNull();
    });

    it('grows with the customer’s own mean spend', () => {
      const low = gammaGammaExpectedSpend(CDNOW, { x: 3, meanSpend: 10 })!;
      const high = gammaGammaExpectedSpend(CDNOW, { x: 3, meanSpend: 50 })!;
      expect(high).toBeGreaterThan(low);
    });
  });

  it('refuses to fit on customers without repeat transactions', () => {
    expect(() =>
      fitGammaGamma([
        { x: 0, meanSpend: 0 },
        { x: 2, meanSpend: 10 },
      ]),
    ).toThrow(/repeat customers/);
  });

  describe('when a spend summary is taken from orders', () => {
    it('counts one transaction per day worth the day’s total, leaves out the first day and later orders', () => {
      const summary = summarizeSpend(
        [
          { purchasedAt: '2026-01-01T09:00:00Z', netMinor: 9_999 },
          { purchasedAt: '2026-01-05T09:00:00Z', netMinor: 1_000 },
          { purchasedAt: '2026-01-05T18:00:00Z', netMinor: 500 },
          { purchasedAt: '2026-01-09T10:00:00Z', netMinor: 2_500 },
          { purchasedAt: '2026-02-01T10:00:00Z', netMinor: 7_000 },
        ],
        '2026-01-31T23:59:59.999Z',
      );
      expect(summary).toEqual({ x: 2, meanSpend: 2_000 });
    });

    it('is none without orders, x 0 with one purchase day', () => {
      expect(summarizeSpend([], '2026-01-01T00:00:00Z')).toBeNull();
      expect(
        summarizeSpend(
          [
            { purchasedAt: '2026-01-01T09:00:00Z', netMinor: 100 },
            { purchasedAt: '2026-01-01T19:00:00Z', netMinor: 100 },
          ],
          '2026-01-02T00:00:00Z',
        ),
      ).toEqual({ x: 0, meanSpend: 0 });
    });
  });
});
