import fc from 'fast-check';
import type { ChurnReason, ChurnReasonCode } from './churn-signals.types';
import { assessChurnRisk } from './risk-score';

const reason = (code: ChurnReasonCode): ChurnReason => ({ code, explanation: code, facts: {} });
const RULES: ChurnReasonCode[] = [
  'PURCHASE_OVERDUE',
  'RECENT_CANCELLATIONS',
  'UNRESOLVED_COMPLAINTS',
  'FALLING_ENGAGEMENT',
];

describe('assessChurnRisk', () => {
  it('equals 100·(1 − P(alive)) with value at risk (1 − P(alive)) × revenue when no rule fires', () => {
    const risk = assessChurnRisk({
      probabilityAlive: 0.75,
      reasons: [],
      trailingRevenueMinor: 10_001,
    });
    expect(risk).toMatchObject({
      score: 25,
      band: 'low',
      churnProbability: 0.25,
      valueAtRiskMinor: 2500,
    });
    expect(risk.reasons).toEqual([]);
  });

  it('combines rules with the model as independent evidence and explains a low P(alive)', () => {
    const risk = assessChurnRisk({
      probabilityAlive: 0.4,
      reasons: [reason('PURCHASE_OVERDUE'), reason('UNRESOLVED_COMPLAINTS')],
      trailingRevenueMinor: 50_000,
    });
    // 1 − 0.4 · 0.65 · 0.75 = 0.805
    expect(risk.churnProbability).toBeCloseTo(0.805, 12);
    expect(risk).toMatchObject({ score: 81, band: 'high', valueAtRiskMinor: 40_250 });
    expect(risk.reasons.map((r) => r.code)).toEqual([
      'PURCHASE_OVERDUE',
      'UNRESOLVED_COMPLAINTS',
      'LOW_PROBABILITY_ALIVE',
    ]);
    expect(risk.reasons[2].facts).toMatchObject({ probabilityAlive: 0.4 });
  });

  it('rests on the rules alone without a model, and puts nothing at risk for negative revenue', () => {
    const risk = assessChurnRisk({
      probabilityAlive: null,
      reasons: [reason('PURCHASE_OVERDUE'), reason('RECENT_CANCELLATIONS')],
      trailingRevenueMinor: -300,
    });
    expect(risk).toMatchObject({ score: 48, band: 'medium', valueAtRiskMinor: 0 });
  });

  it('honours configured weights and bands', () => {
    const risk = assessChurnRisk(
      { probabilityAlive: 1, reasons: [reason('FALLING_ENGAGEMENT')], trailingRevenueMinor: 100 },
      { ruleWeights: { FALLING_ENGAGEMENT: 0.5 }, mediumFrom: 20, highFrom: 50 },
    );
    expect(risk).toMatchObject({ score: 50, band: 'high', valueAtRiskMinor: 50 });
  });

  it('rejects invalid input', () => {
    expect(() =>
      assessChurnRisk({ probabilityAlive: 1.2, reasons: [], trailingRevenueMinor: 0 }),
    ).toThrow(/probabilityAlive/);
    expect(() =>
      assessChurnRisk({ probabilityAlive: 1, reasons: [], trailingRevenueMinor: 1.5 }),
    ).toThrow(/minor units/);
    expect(() =>
      assessChurnRisk(
        { probabilityAlive: 1, reasons: [], trailingRevenueMinor: 0 },
        { mediumFrom: 80, highFrom: 70 },
      ),
    ).toThrow(/band/);
  });

  describe('laws', () => {
    const inputs = fc.record({
      probabilityAlive: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      reasons: fc.subarray(RULES).map((cs) => cs.map(reason)),
      trailingRevenueMinor: fc.integer({ min: -1_000_000, max: 100_000_000 }),
    });

    it('scores within 0–100 and puts at most the trailing revenue at risk', () => {
      fc.assert(
        fc.property(inputs, (input) => {
          const risk = assessChurnRisk(input);
          expect(Number.isInteger(risk.score)).toBe(true);
          expect(risk.score).toBeGreaterThanOrEqual(0);
          expect(risk.score).toBeLessThanOrEqual(100);
          expect(Number.isInteger(risk.valueAtRiskMinor)).toBe(true);
          expect(risk.valueAtRiskMinor).toBeGreaterThanOrEqual(0);
          expect(risk.valueAtRiskMinor).toBeLessThanOrEqual(
            Math.max(0, input.trailingRevenueMinor),
          );
        }),
      );
    });

    it('never falls when another rule fires or P(alive) drops', () => {
      fc.assert(
        fc.property(
          inputs,
          fc.constantFrom(...RULES),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (input, extra, drop) => {
            const base = assessChurnRisk(input).churnProbability;
            const moreReasons = assessChurnRisk({
              ...input,
              reasons: [...input.reasons, reason(extra)],
            });
            expect(moreReasons.churnProbability).toBeGreaterThanOrEqual(base - 1e-12);
            const lowerAlive = assessChurnRisk({
              ...input,
              probabilityAlive: (input.probabilityAlive ?? 1) * drop,
            });
            expect(lowerAlive.churnProbability).toBeGreaterThanOrEqual(base - 1e-12);
          },
        ),
      );
    });
  });
});
