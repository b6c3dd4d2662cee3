import { foldProjection } from '@rapport/projections';
import type { CustomerEvent, Touchpoint } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { deriveSignals } from '../derive-signals';
import { signalFactsProjection } from '../facts/signal-facts.projection';
import type { Signal } from '../signal';
import { DEFAULT_SIGNAL_RULES, type SignalRulesConfig } from '../signal-rules.config';

export const purchase = (orderId: string, minor: number, occurredAt: string, customerId = 'C-1') =>
  aTouchpoint(
    'purchase',
    { orderId, amount: { minor, currency: 'EUR' } },
    { occurredAt, customerId },
  );

export const cancellation = (orderId: string, occurredAt: string, customerId = 'C-1') =>
  aTouchpoint('cancellation', { orderId }, { occurredAt, customerId });

export const complaint = (complaintId: string, occurredAt: string, customerId = 'C-1') =>
  aTouchpoint('complaint', { complaintId, category: 'delivery' }, { occurredAt, customerId });

export const resolution = (complaintId: string, occurredAt: string, customerId = 'C-1') =>
  aTouchpoint('complaint_resolved', { complaintId }, { occurredAt, customerId });

/** A rule's rules with every other rule switched off. */
export function only(
  rule: keyof SignalRulesConfig,
  overrides: Partial<SignalRulesConfig[keyof SignalRulesConfig]> = {},
): SignalRulesConfig {
  const off = Object.fromEntries(
    Object.entries(DEFAULT_SIGNAL_RULES).map(([name, config]) => [
      name,
      { ...config, enabled: false },
    ]),
  ) as unknown as SignalRulesConfig;
  return { ...off, [rule]: { ...DEFAULT_SIGNAL_RULES[rule], ...overrides, enabled: true } };
}

/** given(touchpoints).asOf(time).with(rules) → the signals derived, for then-assertions. */
export function given(...touchpoints: Touchpoint[]) {
  const events = historyOf(...touchpoints);
  return {
    events,
    signals(rules: SignalRulesConfig, asOf: string): Signal[] {
      return signalsOf(events, rules, asOf);
    },
  };
}

export function signalsOf(
  events: readonly CustomerEvent[],
  rules: SignalRulesConfig,
  asOf: string,
  customerId = 'C-1',
): Signal[] {
  // Positions as a store would give them to this one stream's events: 1, 2, 3, …
  const positions = events.map((_, i) => BigInt(i + 1));
  return deriveSignals(
    foldProjection(signalFactsProjection, customerId, events, undefined, positions),
    rules,
    asOf,
  );
}
