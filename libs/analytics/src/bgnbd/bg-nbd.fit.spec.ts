import { mulberry32, simulateBgNbdCustomers } from '../testing';
import { fitBgNbd } from './bg-nbd.fit';
import { bgNbdTotalLogLikelihood } from './bg-nbd.likelihood';
import { summarizeBgNbd } from './bg-nbd.summary';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

const asOf = '2025-01-01T00:00:00Z';

function simulatedSummaries(
  params: BgNbdParams,
  customers: number,
  seed: number,
  ages: { readonly min: number; readonly max: number },
): BgNbdSummary[] {
  return simulateBgNbdCustomers({
    params,
    unit: 'weeks',
    customers,
    seed,
    minAge: ages.min,
    maxAge: ages.max,
    asOf,
  }).map((c) => summarizeBgNbd(c.purchases, { asOf, unit: 'weeks' })!);
}

function relativeErrors(
  fitted: BgNbdParams,
  truth: BgNbdParams,
): Record<keyof BgNbdParams, number> {
  return {
    r: Math.abs(fitted.r / truth.r - 1),
    alpha: Math.abs(fitted.alpha / truth.alpha - 1),
    a: Math.abs(fitted.a / truth.a - 1),
    b: Math.abs(fitted.b / truth.b - 1),
  };
}

describe('fitBgNbd', () => {
  describe('when fitted on 5,000 customers simulated from known parameters', () => {
    // Observed 1–2 years: long enough for the dropout parameters (a, b) to be identified.
    const truth: BgNbdParams = { r: 0.8, alpha: 6, a: 0.7, b: 2.5 };
    const TOLERANCE = 0.15;

    it.each([1, 2, 3])('recovers every parameter within 15%% (seed %i)', (seed) => {
      const summaries = simulatedSummaries(truth, 5000, seed, { min: 52, max: 104 });
      const fit = fitBgNbd({ unit: 'weeks', summaries });
      const errors = relativeErrors(fit.params, truth);
      expect(fit.converged).toBe(true);
      expect(fit.customers).toBe(5000);
      expect(fit.unit).toBe('weeks');
      // A failure names the parameters off and by how much.
      expect(Object.entries(errors).filter(([, error]) => !(error < TOLERANCE))).toEqual([]);
      // The maximum-likelihood estimate fits the sample at least as well as the truth does.
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdTotalLogLikelihood(truth, summaries));
      expect(fit.logLikelihood).toBeCloseTo(bgNbdTotalLogLikelihood(fit.params, summaries), 6);
    });
  });

  describe('when the customers are CDNOW-like (short history, 5,000 customers)', () => {
    const truth: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

    it('recovers the purchase-rate parameters within 10% and the dropout ones within 30%', () => {
      // With 26–78 weeks of history few customers reveal their dropout, so a and b carry
      // standard errors of ~15–20% at this size: a wider, stated tolerance.
      const summaries = simulatedSummaries(truth, 5000, 2, { min: 26, max: 78 });
      const fit = fitBgNbd({ unit: 'weeks', summaries });
      const errors = relativeErrors(fit.params, truth);
      expect(errors.r).toBeLessThan(0.1);
      expect(errors.alpha).toBeLessThan(0.1);
      expect(errors.a).toBeLessThan(0.3);
      expect(errors.b).toBeLessThan(0.3);
    });
  });

  it('does not depend on the order of the customers', () => {
    const summaries = simulatedSummaries({ r: 0.8, alpha: 6, a: 0.7, b: 2.5 }, 1000, 7, {
      min: 52,
      max: 104,
    });
    const random = mulberry32(99);
    const shuffled = summaries
      .map((s) => ({ s, key: random() }))
      .sort((p, q) => p.key - q.key)
      .map(({ s }) => s);
    const fitA = fitBgNbd({ unit: 'weeks', summaries });
    const fitB = fitBgNbd({ unit: 'weeks', summaries: shuffled });
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(fitB.params[key]).toBeCloseTo(fitA.params[key], 4);
    }
  });

  it('reports hitting the iteration bound as not converged', () => {
    const summaries = simulatedSummaries({ r: 0.8, alpha: 6, a: 0.7, b: 2.5 }, 200, 5, {
      min: 52,
      max: 104,
    });
    const fit = fitBgNbd({ unit: 'weeks', summaries }, { maxIterations: 3, restarts: 0 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(3);
  });

  it('refuses an empty customer base', () => {
    expect(() => fitBgNbd({ unit: 'days', summaries: [] })).toThrow(/zero customers/);
  });
});
