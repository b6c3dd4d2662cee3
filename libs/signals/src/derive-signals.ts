import type { SignalFacts } from './facts/signal-facts';
import { cancellationSaveSignals } from './rules/cancellation-save.rule';
import { complaintFollowUpSignals } from './rules/complaint-follow-up.rule';
import { freezingPointSignals } from './rules/freezing-point.rule';
import { thankYouSignals } from './rules/thank-you.rule';
import type { Signal, SignalRuleName } from './signal';
import type { SignalRulesConfig } from './signal-rules.config';

/**
 * Every signal the enabled rules derive from one customer's facts that is due by `asOf`
 * (event time: the latest event time the caller has seen, never the wall clock). The same
 * facts, rules and asOf give the same signals, and a later asOf only adds to them: a signal's
 * content depends on the events and thresholds, never on when it is evaluated.
 */
export function deriveSignals(
  facts: SignalFacts,
  rules: SignalRulesConfig,
  asOf: string,
  only?: SignalRuleName,
): Signal[] {
  const at = Date.parse(asOf);
  const signals: Signal[] = [];
  const wanted = (rule: SignalRuleName, enabled: boolean) => enabled && (!only || only === rule);
  if (wanted('thank-you', rules.thankYou.enabled))
    signals.push(...thankYouSignals(facts, rules.thankYou, at));
  if (wanted('complaint-follow-up', rules.complaintFollowUp.enabled))
    signals.push(...complaintFollowUpSignals(facts, rules.complaintFollowUp, at));
  if (wanted('cancellation-save', rules.cancellationSave.enabled))
    signals.push(...cancellationSaveSignals(facts, rules.cancellationSave, at));
  if (wanted('freezing-point', rules.freezingPoint.enabled))
    signals.push(...freezingPointSignals(facts, rules.freezingPoint, at));
  return signals;
}

/** Due by asOf and not yet expired: what a destination should still be told. */
export function isPending(signal: Signal, asOf: string): boolean {
  const at = Date.parse(asOf);
  return Date.parse(signal.dueAt) <= at && Date.parse(signal.expiresAt) > at;
}
