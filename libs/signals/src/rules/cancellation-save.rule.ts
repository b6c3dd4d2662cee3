import { formatMoney, memberKey } from '@rapport/projections';
import type { SignalFacts } from '../facts/signal-facts';
import type { Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import { DAY_MS, evidenceEvent, isoPlus, signalOf, timeOf } from './rule-support';

export const CANCELLATION_SAVE_VERSION = 1;

/**
 * Fires at the cancellation that brings the cancelled share of the customer's latest orders
 * (as of that cancellation) to the threshold, not at each one after it while it stays there.
 */
export function cancellationSaveSignals(
  facts: SignalFacts,
  config: SignalRulesConfig['cancellationSave'],
  asOf: number,
): Signal[] {
  const signals: Signal[] = [];
  let reachedBefore = false;
  for (const cancellation of facts.cancellations) {
    const at = timeOf(cancellation.occurredAt);
    if (at > asOf) break;
    const recent = facts.purchases
      .filter((p) => timeOf(p.occurredAt) <= at)
      .slice(-config.recentOrders);
    const recentIds = new Set(recent.map((p) => memberKey(p.orderId, p)));
    const cancelled = facts.cancellations.filter(
      (c) => recentIds.has(memberKey(c.orderId, c)) && timeOf(c.occurredAt) <= at,
    );
    const cancelledOrders = new Set(cancelled.map((c) => memberKey(c.orderId, c)));
    const share = recent.length === 0 ? 0 : cancelledOrders.size / recent.length;
    const reached = cancelledOrders.size >= config.minCancellations && share >= config.share;
    if (reached && !reachedBefore && recentIds.has(memberKey(cancellation.orderId, cancellation))) {
      const sameCurrency = cancelled.filter((c) => c.currency === cancellation.currency);
      const atStake = {
        minor: sameCurrency.reduce((sum, c) => sum + c.minor, 0),
        currency: cancellation.currency,
      };
      const roundedShare = Math.round(share * 100) / 100;
      signals.push(
        signalOf(
          facts,
          'cancellation-save',
          CANCELLATION_SAVE_VERSION,
          'cancellation-share',
          cancellation.eventId,
          {
            reason:
              `${cancelledOrders.size} of the customer's last ${recent.length} orders are cancelled ` +
              `(${Math.round(share * 100)} %), ${formatMoney(atStake)} in all.`,
            evidence: {
              events: cancelled.map((c) => evidenceEvent('OrderCancelled', c)),
              figures: {
                cancelledOrders: cancelledOrders.size,
                recentOrders: recent.length,
                share: roundedShare,
                threshold: config.share,
              },
            },
            valueAtStake: atStake,
            suggestedAction:
              'Reach out to understand the cancellations and offer to make it right.',
            dueAt: cancellation.occurredAt,
            expiresAt: isoPlus(cancellation.occurredAt, config.expiresAfterDays * DAY_MS),
          },
        ),
      );
    }
    reachedBefore = reached;
  }
  return signals;
}
