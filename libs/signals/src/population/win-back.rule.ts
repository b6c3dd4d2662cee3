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
 * high at the last evaluation. A customer first seen is judged by {@link alreadyHigh} instead.
 */
export function riskTurnedHigh(
  before: CustomerStanding | undefined,
  row: PopulationRow,
  config: SignalRulesConfig['winBack'],
): boolean {
  if (!config.enabled || !before || row.riskBand !== 'high' || before.band === 'high') return false;
  return config.tiers.includes(winBackTier(before, row));
}

/**
 * A customer the rule sees for the first time (everyone, at its first evaluation) already at
 * high risk in a watched tier. They get a signal too, but only the largest values at risk, at
 * most `alreadyHighLimit` an evaluation ({@link limitAlreadyHigh}): switching the rule on over
 * a long history must not flood the CRM with everyone the at-risk list already shows.
 */
export function alreadyHigh(
  before: CustomerStanding | undefined,
  row: PopulationRow,
  config: SignalRulesConfig['winBack'],
): boolean {
  if (!config.enabled || before || row.riskBand !== 'high' || config.alreadyHighLimit === 0)
    return false;
  return config.tiers.includes(row.valueTier);
}

/**
 * The win-back signal: value at risk stated, keyed by the window the turn (or, for a customer
 * first seen already at high risk, the first sight) was seen in: once per customer and window.
 */
export function winBackSignal(
  before: CustomerStanding | undefined,
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
    before ? 'risk-high' : 'already-high',
    `${window}`,
    {
      reason:
        `Churn risk ${before ? 'turned' : 'already'} high (score ${row.riskScore}, churn probability ` +
        `${Math.round(row.churnProbability * 100)} %) for a tier ${tier} customer` +
        (atRisk ? `: ${formatMoney(atRisk)} at risk` : '') +
        (reasons.length ? `; ${reasons.join(', ')}.` : '.'),
      evidence: {
        events: facts ? lastSteps(facts, Date.parse(snapshot.asOf)) : [],
        figures: {
          tier,
          previousBand: before?.band ?? 'first evaluated',
          riskScore: row.riskScore,
          churnProbability: Math.round(row.churnProbability * 1000) / 1000,
          valueAtRiskMinor: row.valueAtRiskMinor,
          revenueMinor: row.revenueMinor,
          reasons: row.reasonCodes.join(','),
        },
        snapshot: { asOf: snapshot.asOf },
      },
      valueAtStake: atRisk,
      suggestedAction:
        'Win the customer back before they leave: a personal call or an offer that fits their history.',
      dueAt: snapshot.asOf,
      expiresAt: isoPlus(snapshot.asOf, config.expiresAfterDays * DAY_MS),
    },
  );
}

/**
 * The customer's latest purchase and what followed it (cancellations, complaints still open), as
 * of the evaluated instant: the facts may already hold later events, which must not change it.
 */
function lastSteps(facts: SignalFacts, asOf: number): EvidenceEvent[] {
  const upTo = (at: string) => Date.parse(at) <= asOf;
  const purchases = facts.purchases.filter((p) => upTo(p.occurredAt));
  const last = purchases[purchases.length - 1];
  const since = last ? Date.parse(last.occurredAt) : Number.NEGATIVE_INFINITY;
  return [
    ...(last ? [evidenceEvent('PurchaseCompleted', last)] : []),
    ...facts.cancellations
      .filter((c) => Date.parse(c.occurredAt) >= since && upTo(c.occurredAt))
      .map((c) => evidenceEvent('OrderCancelled', c)),
    ...facts.complaints
      .filter((c) => upTo(c.raisedAt) && (c.resolvedAt === undefined || !upTo(c.resolvedAt)))
      .map((c) =>
        evidenceEvent('ComplaintRaised', {
          eventId: c.eventId,
          occurredAt: c.raisedAt,
          position: c.position,
        }),
      ),
  ];
}
