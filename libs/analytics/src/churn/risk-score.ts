import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { assertMinorUnits, assertProbability } from '../shared/validate';
import type { ChurnReason, ChurnReasonCode } from './churn-signals.types';

export type RiskBand = 'low' | 'medium' | 'high';

export interface RiskScoreOptions {
  /** Risk each fired rule carries on its own, in [0, 1]. Defaults: overdue 0.35,
   * cancellations 0.2, complaints 0.25, engagement 0.15. */
  readonly ruleWeights?: Partial<
    Readonly<Record<Exclude<ChurnReasonCode, 'LOW_PROBABILITY_ALIVE'>, number>>
  >;
  /** Score at or above which the band is medium / high. Defaults 40 / 70. */
  readonly mediumFrom?: number;
  readonly highFrom?: number;
  /** P(alive) below this adds a LOW_PROBABILITY_ALIVE reason (explanation only). Default 0.5. */
  readonly lowProbabilityAliveBelow?: number;
}

export interface RiskInput {
  /** BG/NBD P(alive); null when no model is fitted (the score then rests on the rules). */
  readonly probabilityAlive: number | null;
  /** Reasons from evaluateChurnSignals. */
  readonly reasons: readonly ChurnReason[];
  /** Trailing-12-month net revenue, integer minor units (negative counts as 0 at risk). */
  readonly trailingRevenueMinor: number;
}

export interface RiskAssessment {
  /** 0–100, integer. */
  readonly score: number;
  readonly band: RiskBand;
  /** Combined churn probability behind the score, in [0, 1]. */
  readonly churnProbability: number;
  /** round(churnProbability × max(0, trailing revenue)), integer minor units. */
  readonly valueAtRiskMinor: number;
  readonly reasons: readonly ChurnReason[];
}

export const DEFAULT_RULE_WEIGHTS: Readonly<
  Record<Exclude<ChurnReasonCode, 'LOW_PROBABILITY_ALIVE'>, number>
> = {
  PURCHASE_OVERDUE: 0.35,
  RECENT_CANCELLATIONS: 0.2,
  UNRESOLVED_COMPLAINTS: 0.25,
  FALLING_ENGAGEMENT: 0.15,
};

/**
 * Combines the model and the rules as independent pieces of evidence ("noisy-OR"):
 *   churnProbability = 1 − (1 − (1 − P(alive))) · Π over fired rules (1 − weight)
 *                    = 1 − P(alive) · Π (1 − weight)
 * so the score is bounded without clamping, never falls when a rule fires or P(alive)
 * drops, and equals 100·(1 − P(alive)) when no rule fires.
 * Value at risk = churnProbability × trailing-12-month net revenue: the revenue of the
 * last year that is expected not to come back. It reduces to (1 − P(alive)) × revenue when
 * no rule fires; trailing revenue is used rather than a forecast because it needs no
 * monetary model and analysts can check it against the tier report.
 */
export function assessChurnRisk(input: RiskInput, options: RiskScoreOptions = {}): RiskAssessment {
  const weights = { ...DEFAULT_RULE_WEIGHTS, ...options.ruleWeights };
  const mediumFrom = options.mediumFrom ?? 40;
  const highFrom = options.highFrom ?? 70;
  const lowAliveBelow = options.lowProbabilityAliveBelow ?? 0.5;
  if (!(mediumFrom >= 0 && mediumFrom <= highFrom && highFrom <= 100)) {
    throw new InvalidAnalyticsInputError(
      'band thresholds must satisfy 0 <= medium <= high <= 100',
      {
        mediumFrom,
        highFrom,
      },
    );
  }
  for (const [code, weight] of Object.entries(weights))
    assertProbability(weight, `weight of ${code}`);
  if (input.probabilityAlive !== null)
    assertProbability(input.probabilityAlive, 'probabilityAlive');
  assertMinorUnits(input.trailingRevenueMinor, 'trailingRevenueMinor');

  let survival = input.probabilityAlive ?? 1;
  const codes = new Set<ChurnReasonCode>();
  for (const reason of input.reasons) {
    // A code counts once even if a caller passes duplicates.
    if (codes.has(reason.code)) continue;
    codes.add(reason.code);
    survival *= 1 - weightOf(reason.code, weights);
  }
  const churnProbability = 1 - survival;
  const score = Math.round(100 * churnProbability);
  const reasons = [...input.reasons];
  if (
    input.probabilityAlive !== null &&
    input.probabilityAlive < lowAliveBelow &&
    !codes.has('LOW_PROBABILITY_ALIVE')
  ) {
    reasons.push({
      code: 'LOW_PROBABILITY_ALIVE',
      explanation: `The purchase model gives a ${Math.round(input.probabilityAlive * 100)}% chance that the customer is still active.`,
      facts: { probabilityAlive: input.probabilityAlive, threshold: lowAliveBelow },
    });
  }
  return {
    score,
    band: score >= highFrom ? 'high' : score >= mediumFrom ? 'medium' : 'low',
    churnProbability,
    valueAtRiskMinor: Math.round(churnProbability * Math.max(0, input.trailingRevenueMinor)),
    reasons,
  };
}

function weightOf(code: ChurnReasonCode, weights: typeof DEFAULT_RULE_WEIGHTS): number {
  switch (code) {
    case 'PURCHASE_OVERDUE':
    case 'RECENT_CANCELLATIONS':
    case 'UNRESOLVED_COMPLAINTS':
    case 'FALLING_ENGAGEMENT':
      return weights[code];
    case 'LOW_PROBABILITY_ALIVE':
      // Already counted through P(alive) itself; counting it again would double the model.
      return 0;
    default: {
      const unknown: never = code;
      throw new InvalidAnalyticsInputError(`unknown reason code ${String(unknown)}`);
    }
  }
}
