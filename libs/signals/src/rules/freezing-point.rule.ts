import { formatMoney } from '@rapport/projections';
import type { SignalFacts } from '../facts/signal-facts';
import type { Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import {
  DAY_MS,
  evidenceEvent,
  isoPlus,
  median,
  signalOf,
  timeOf,
  trailingRevenue,
} from './rule-support';

export const FREEZING_POINT_VERSION = 1;
/** Latest gaps whose median is the customer's typical gap. */
const GAP_WINDOW = 20;

/**
 * A repeat customer silent for longer than `gapMultiple` times their own median gap between
 * purchases, counted from a purchase: due at that purchase plus the multiple, unless they
 * bought again before then. Keyed by the purchase the silence follows.
 */
export function freezingPointSignals(
  facts: SignalFacts,
  config: SignalRulesConfig['freezingPoint'],
  asOf: number,
): Signal[] {
  const signals: Signal[] = [];
  const times = facts.purchases.map((p) => timeOf(p.occurredAt));
  for (let j = Math.max(config.minPurchases, 2) - 1; j < times.length; j += 1) {
    const gaps: number[] = [];
    for (let i = Math.max(1, j - GAP_WINDOW + 1); i <= j; i += 1)
      gaps.push(times[i] - times[i - 1]);
    const typical = median(gaps);
    if (typical <= 0) continue;
    const due = times[j] + config.gapMultiple * typical;
    if (due > asOf) continue;
    if (j + 1 < times.length && times[j + 1] <= due) continue;
    const last = facts.purchases[j];
    const dueAt = new Date(due).toISOString();
    const typicalDays = Math.round((typical / DAY_MS) * 10) / 10;
    const value = trailingRevenue(facts, times[j], last.currency);
    signals.push(
      signalOf(facts, 'freezing-point', FREEZING_POINT_VERSION, 'silence', last.eventId, {
        reason:
          `No purchase for ${Math.round((config.gapMultiple * typical) / DAY_MS)} days since order ` +
          `${last.orderId} (${last.occurredAt}): ${config.gapMultiple} times the customer's ` +
          `typical gap of ${typicalDays} days` +
          (value ? `; ${formatMoney(value)} bought in the year before.` : '.'),
        evidence: {
          events: [evidenceEvent('PurchaseCompleted', last)],
          figures: {
            typicalGapDays: typicalDays,
            gapMultiple: config.gapMultiple,
            gapsConsidered: gaps.length,
            purchases: facts.purchasesDropped + j + 1,
          },
        },
        valueAtStake: value,
        suggestedAction: 'Reach out with a reason to come back before the customer goes cold.',
        dueAt,
        expiresAt: isoPlus(dueAt, config.expiresAfterDays * DAY_MS),
      }),
    );
  }
  return signals;
}
