import type { Money } from '@rapport/domain';
import { memberKey } from '@rapport/projections';
import type { SignalFacts } from '../facts/signal-facts';
import { signalId } from '../signal-id';
import type { EvidenceEvent, Signal, SignalRuleName, SignalSubject } from '../signal';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;

export function subjectOf(facts: { readonly customerId: string }): SignalSubject {
  return { kind: 'customer', id: facts.customerId };
}

export function isoPlus(at: string, ms: number): string {
  return new Date(Date.parse(at) + ms).toISOString();
}

export function timeOf(at: string): number {
  return Date.parse(at);
}

/** A signal with its id computed from what identifies it. */
export function signalOf(
  facts: { readonly customerId: string },
  rule: SignalRuleName,
  ruleVersion: number,
  trigger: string,
  triggerKey: string,
  content: Omit<Signal, 'id' | 'rule' | 'ruleVersion' | 'trigger' | 'subject'>,
): Signal {
  const subject = subjectOf(facts);
  return {
    id: signalId(rule, ruleVersion, subject, `${trigger}:${triggerKey}`),
    rule,
    ruleVersion,
    trigger,
    subject,
    ...content,
  };
}

/**
 * Net revenue of the 365 days up to `at` (event time) in `currency`: purchases placed in the
 * window less what of them was cancelled by `at`. Null when there is none: nothing at stake.
 */
export function trailingRevenue(facts: SignalFacts, at: number, currency: string): Money | null {
  const from = at - YEAR_MS;
  const orders = new Set<string>();
  let minor = 0;
  for (const p of facts.purchases) {
    const t = timeOf(p.occurredAt);
    if (t > at || t <= from || p.currency !== currency) continue;
    minor += p.minor;
    orders.add(memberKey(p.orderId, p));
  }
  for (const c of facts.cancellations)
    if (
      c.currency === currency &&
      orders.has(memberKey(c.orderId, c)) &&
      timeOf(c.occurredAt) <= at
    )
      minor -= c.minor;
  return minor > 0 ? { minor, currency } : null;
}

/** The currency of the customer's latest purchase at or before `at` (their usual one). */
export function currencyAt(facts: SignalFacts, at: number): string | undefined {
  for (let i = facts.purchases.length - 1; i >= 0; i -= 1)
    if (timeOf(facts.purchases[i].occurredAt) <= at) return facts.purchases[i].currency;
  return undefined;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** An event as evidence: id, type, event time and store position. */
export function evidenceEvent(
  type: string,
  fact: { readonly eventId: string; readonly occurredAt: string; readonly position?: string },
): EvidenceEvent {
  return {
    eventId: fact.eventId,
    type,
    occurredAt: fact.occurredAt,
    position: fact.position ?? null,
  };
}
