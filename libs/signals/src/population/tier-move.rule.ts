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

export const TIER_MOVE_VERSION = 1;
const EVIDENCE_LISTED = 20;

/**
 * Whether a customer's tier moved in a way the rule reports: down out of tier A or B (A→B, A→C,
 * B→C, or to no revenue at all), or, with `up` on, up into A or B. A customer seen for the first
 * time sets the baseline and moves nowhere; C↔none is churn of small customers, not a move.
 */
export function tierMoved(
  before: CustomerStanding | undefined,
  row: PopulationRow,
  config: SignalRulesConfig['tierMove'],
): 'down' | 'up' | undefined {
  if (!config.enabled || !before || before.tier === row.valueTier) return undefined;
  const from = TIER_RANK[before.tier];
  const to = TIER_RANK[row.valueTier];
  if (to < from && from >= TIER_RANK.B) return 'down';
  if (to > from && to >= TIER_RANK.B && config.up) return 'up';
  return undefined;
}

/**
 * The tier-move signal of a customer whose tier moved between two evaluated window boundaries.
 * Keyed by the move and the window it was seen in; due at the boundary's instant. The evidence names the
 * purchases and cancellations that entered or left the trailing window between the two instants
 * (tiers are relative, so a customer can also move because others grew: the figures say so).
 */
export function tierMoveSignal(
  direction: 'down' | 'up',
  before: CustomerStanding,
  row: PopulationRow,
  snapshot: PopulationSnapshot,
  window: string,
  facts: SignalFacts | undefined,
  config: SignalRulesConfig['tierMove'],
): Signal {
  const revenue =
    row.revenueMinor > 0 ? { minor: row.revenueMinor, currency: snapshot.currency } : null;
  const events = facts ? changedBetween(facts, before.since, snapshot) : [];
  const subject = facts ?? { customerId: row.customerId };
  return signalOf(
    subject,
    'tier-move',
    TIER_MOVE_VERSION,
    direction,
    `${before.tier}>${row.valueTier}@${window}`,
    {
      reason:
        `Moved ${direction} from value tier ${before.tier} (since ${before.since}) to ` +
        `${tierName(row.valueTier)} as of ${snapshot.asOf}: trailing ${snapshot.windowMonths}-month revenue ` +
        `${revenue ? formatMoney(revenue) : 'none'}` +
        (events.length
          ? `, ${events.length} orders or cancellations changed it.`
          : ', others changed around it.'),
      evidence: {
        events,
        figures: {
          fromTier: before.tier,
          toTier: row.valueTier,
          tierSince: before.since,
          revenueMinor: row.revenueMinor,
          windowMonths: snapshot.windowMonths,
        },
        snapshot: { asOf: snapshot.asOf },
      },
      valueAtStake: revenue,
      suggestedAction:
        direction === 'down'
          ? 'Find out what changed for the customer and give them a reason to spend as before.'
          : 'Recognise the customer’s new standing: tier benefits and a personal note.',
      dueAt: snapshot.asOf,
      expiresAt: isoPlus(snapshot.asOf, config.expiresAfterDays * DAY_MS),
    },
  );
}

function tierName(tier: string): string {
  return tier === 'none' ? 'no revenue' : tier;
}

/**
 * Purchases and cancellations that entered or left the trailing window between two instants
 * (the newest few: the ones nearest the move).
 */
function changedBetween(
  facts: SignalFacts,
  previousAsOf: string,
  snapshot: PopulationSnapshot,
): EvidenceEvent[] {
  const before = Date.parse(previousAsOf);
  const now = Date.parse(snapshot.asOf);
  const leftFrom = monthsBefore(before, snapshot.windowMonths);
  const leftTo = monthsBefore(now, snapshot.windowMonths);
  const entered = (t: number) => t > before && t <= now;
  const left = (t: number) => t > leftFrom && t <= leftTo;
  const changed = [
    ...facts.purchases
      .filter((p) => {
        const t = Date.parse(p.occurredAt);
        return entered(t) || left(t);
      })
      .map((p) => evidenceEvent('PurchaseCompleted', p)),
    ...facts.cancellations
      .filter((c) => entered(Date.parse(c.occurredAt)))
      .map((c) => evidenceEvent('OrderCancelled', c)),
  ];
  changed.sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));
  return changed.slice(-EVIDENCE_LISTED);
}

function monthsBefore(at: number, months: number): number {
  const date = new Date(at);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.getTime();
}
