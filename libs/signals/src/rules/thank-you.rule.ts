import { formatMoney } from '@rapport/projections';
import type { SignalFacts } from '../facts/signal-facts';
import type { Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import { DAY_MS, evidenceEvent, isoPlus, median, signalOf, timeOf } from './rule-support';

export const THANK_YOU_VERSION = 1;
/** Previous orders whose median is the customer's usual order value. */
const USUAL_ORDER_WINDOW = 10;

/**
 * A thank-you right after a purchase that matters: the first, the n-th (a milestone), or one
 * well above the customer's usual order value. At most one per purchase, in that precedence.
 */
export function thankYouSignals(
  facts: SignalFacts,
  config: SignalRulesConfig['thankYou'],
  asOf: number,
): Signal[] {
  const signals: Signal[] = [];
  facts.purchases.forEach((purchase, index) => {
    if (timeOf(purchase.occurredAt) > asOf) return;
    const nth = facts.purchasesDropped + index + 1;
    const amount = { minor: purchase.minor, currency: purchase.currency };
    const purchaseEvidence = evidenceEvent('PurchaseCompleted', purchase);
    const common = {
      valueAtStake: amount,
      dueAt: purchase.occurredAt,
      expiresAt: isoPlus(purchase.occurredAt, config.expiresAfterDays * DAY_MS),
    };
    if (nth === 1 || config.milestones.includes(nth)) {
      const first = nth === 1;
      signals.push(
        signalOf(
          facts,
          'thank-you',
          THANK_YOU_VERSION,
          first ? 'first-purchase' : 'milestone',
          purchase.eventId,
          {
            ...common,
            reason: first
              ? `First purchase: order ${purchase.orderId} of ${formatMoney(amount)}.`
              : `Purchase number ${nth}: order ${purchase.orderId} of ${formatMoney(amount)}.`,
            evidence: {
              events: [purchaseEvidence],
              figures: {
                purchaseNumber: nth,
                amountMinor: purchase.minor,
                currency: purchase.currency,
              },
            },
            suggestedAction: first
              ? 'Send a personal welcome and thank-you for the first order.'
              : `Thank the customer for their ${nth}th order; consider a loyalty reward.`,
          },
        ),
      );
      return;
    }
    const previous = facts.purchases
      .slice(0, index)
      .filter((p) => p.currency === purchase.currency)
      .slice(-USUAL_ORDER_WINDOW);
    if (previous.length < config.largeOrderMinPrevious) return;
    const usual = median(previous.map((p) => p.minor));
    if (usual <= 0 || purchase.minor < config.largeOrderFactor * usual) return;
    const ratio = Math.round((purchase.minor / usual) * 100) / 100;
    const usualMinor = Math.round(usual);
    signals.push(
      signalOf(facts, 'thank-you', THANK_YOU_VERSION, 'large-purchase', purchase.eventId, {
        ...common,
        reason:
          `Order ${purchase.orderId} of ${formatMoney(amount)} is ${ratio} times the customer's ` +
          `usual order value (${formatMoney({ minor: usualMinor, currency: purchase.currency })}, ` +
          `median of ${previous.length} previous orders).`,
        evidence: {
          events: [purchaseEvidence],
          figures: {
            amountMinor: purchase.minor,
            usualOrderMinor: usualMinor,
            ratio,
            previousOrders: previous.length,
            currency: purchase.currency,
          },
        },
        suggestedAction: 'Thank the customer personally for the large order.',
      }),
    );
  });
  return signals;
}
