import { formatMoney } from '@rapport/projections';
import type { SignalFacts } from '../facts/signal-facts';
import { DAY_MS, evidenceEvent, isoPlus, signalOf } from '../rules/rule-support';
import type { EvidenceEvent, Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import {
  TIER_RANK,
  type CustomerStanding,
  type PopulationRow,
  type PopulationSnapshot,
} from './population-facts';

export const WIN_BACK_VERSION = 1;

/**
 * The tier a win-back is judged by: the better of the tier before and now, since a valuable
 * customer who is leaving often slides down a tier on the way out.
 */
export function winBackTier(before: CustomerStanding | undefined, row: PopulationRow) {
  return before && TIER_RANK[before.tier] > TIER_RANK[row.valueTier] ? before.tier : row.valueTier;
}

/**
 * Churn risk turned high for a customer of a watched tier (A or B by default): high now, and not
 * high at the last evaluation. A customer first seen sets the baseline, as for tier moves: the
 * rule tells of turns, not of everyone already at risk when it is switched on (the at-risk list
 * has those).
 */
export function riskTurnedHigh(
  before: CustomerStanding | undefined,
  row: PopulationRow,
  config: SignalRulesConfig['winBack'],
): boolean {
  if (!config.enabled || !before || row.riskBand !== 'high' || before.band === 'high') return false;
  return config.tiers.includes(winBackTier(before, row));
}

/** The win-back signal: value at risk stated, keyed by the window the turn was seen in. */
export function winBackSignal(
  before: CustomerStanding,
  row: PopulationRow,
  snapshot: PopulationSnapshot,
  window: string,
  facts: SignalFacts | undefined,
  config: SignalRulesConfig['winBack'],
): Signal {
  const tier = winBackTier(before, row);
  const atRisk =
    row.valueAtRiskMinor > 0 ? { minor: row.valueAtRiskMinor, currency: snapshot.currency } : null;
  const reasons = row.reasonCodes.map((code) => code.toLowerCase().replace(/_/g, ' '));
  return signalOf(
    facts ?? { customerId: row.customerId },
    'win-back',
    WIN_BACK_VERSION,
    'risk-high',
    `${window}`,
    {
      reason:
        `Churn risk turned high (score ${row.riskScore}, churn probability ` +
        `${Math.round(row.churnProbability * 100)} %) for a tier ${tier} customer` +
        (atRisk ? `: ${formatMoney(atRisk)} at risk` : '') +
        (reasons.length ? `; ${reasons.join(', ')}.` : '.'),
      evidence: {
        events: facts ? lastSteps(facts) : [],
        figures: {
          tier,
          previousBand: before.band,
          riskScore: row.riskScore,
          churnProbability: Math.round(row.churnProbability * 1000) / 1000,
          valueAtRiskMinor: row.valueAtRiskMinor,
          revenueMinor: row.revenueMinor,
          reasons: row.reasonCodes.join(','),
        },
        snapshot: { asOf: snapshot.asOf, position: snapshot.position },
      },
      valueAtStake: atRisk,
      suggestedAction:
        'Win the customer back before they leave: a personal call or an offer that fits their history.',
      dueAt: snapshot.asOf,
      expiresAt: isoPlus(snapshot.asOf, config.expiresAfterDays * DAY_MS),
    },
  );
}

/** The customer's latest purchase and what followed it (cancellations, complaints still open). */
function lastSteps(facts: SignalFacts): EvidenceEvent[] {
  const last = facts.purchases[facts.purchases.length - 1];
  const since = last ? Date.parse(last.occurredAt) : Number.NEGATIVE_INFINITY;
  return [
    ...(last ? [evidenceEvent('PurchaseCompleted', last)] : []),
    ...facts.cancellations
      .filter((c) => Date.parse(c.occurredAt) >= since)
      .map((c) => evidenceEvent('OrderCancelled', c)),
    ...facts.complaints
      .filter((c) => c.resolvedAt === undefined)
      .map((c) =>
        evidenceEvent('ComplaintRaised', {
          eventId: c.eventId,
          occurredAt: c.raisedAt,
          position: c.position,
        }),
      ),
  ];
}
