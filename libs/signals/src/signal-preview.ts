import { deriveSignals } from './derive-signals';
import { PreviewTally, type SignalPreview } from './preview-tally';
import type { SignalFacts } from './facts/signal-facts';
import type { SignalRuleName } from './signal';
import type { SignalRulesConfig } from './signal-rules.config';

/**
 * What one rule would fire on stored history as of an instant, counted and sampled: the rule
 * is evaluated as if switched on, so its thresholds can be tuned before it is.
 */
export class SignalPreviewer {
  private customers = 0;
  private readonly tally: PreviewTally;

  constructor(
    private readonly rule: SignalRuleName,
    private readonly rules: SignalRulesConfig,
    private readonly asOf: string,
    sampleSize = 5,
  ) {
    this.tally = new PreviewTally(rule, asOf, sampleSize);
  }

  add(facts: SignalFacts): void {
    this.customers += 1;
    for (const signal of deriveSignals(
      facts,
      switchedOn(this.rules, this.rule),
      this.asOf,
      this.rule,
    ))
      this.tally.count(signal);
  }

  result(): SignalPreview {
    return this.tally.result(this.customers);
  }
}

const CONFIG_KEY: Readonly<Record<SignalRuleName, keyof SignalRulesConfig>> = {
  'thank-you': 'thankYou',
  'complaint-follow-up': 'complaintFollowUp',
  'cancellation-save': 'cancellationSave',
  'freezing-point': 'freezingPoint',
  'tier-move': 'tierMove',
  'win-back': 'winBack',
};

/** The rules as configured, with `rule` switched on (a preview shows it as if it were). */
export function switchedOn(rules: SignalRulesConfig, rule: SignalRuleName): SignalRulesConfig {
  const key = CONFIG_KEY[rule];
  return { ...rules, [key]: { ...rules[key], enabled: true } };
}
