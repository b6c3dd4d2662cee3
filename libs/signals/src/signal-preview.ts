import { deriveSignals, isPending } from './derive-signals';
import type { SignalFacts } from './facts/signal-facts';
import type { Signal, SignalRuleName } from './signal';
import type { SignalRulesConfig } from './signal-rules.config';

export interface SignalPreview {
  readonly rule: SignalRuleName;
  readonly asOf: string;
  readonly customers: number;
  /** Every signal the rule derives due by asOf, over the whole history. */
  readonly due: number;
  /** Of those, the ones not yet expired at asOf: what would be delivered now. */
  readonly pending: number;
  readonly byTrigger: Readonly<Record<string, number>>;
  /** The latest pending signals by due time (ties by id), at most `sampleSize`. */
  readonly samples: readonly Signal[];
}

/**
 * What one rule would fire on stored history as of an instant, counted and sampled: the rule
 * is evaluated as if switched on, so its thresholds can be tuned before it is.
 */
export class SignalPreviewer {
  private customers = 0;
  private due = 0;
  private pending = 0;
  private readonly byTrigger: Record<string, number> = {};
  private samples: Signal[] = [];

  constructor(
    private readonly rule: SignalRuleName,
    private readonly rules: SignalRulesConfig,
    private readonly asOf: string,
    private readonly sampleSize = 5,
  ) {}

  add(facts: SignalFacts): void {
    this.customers += 1;
    for (const signal of deriveSignals(
      facts,
      switchedOn(this.rules, this.rule),
      this.asOf,
      this.rule,
    )) {
      this.due += 1;
      this.byTrigger[signal.trigger] = (this.byTrigger[signal.trigger] ?? 0) + 1;
      if (!isPending(signal, this.asOf)) continue;
      this.pending += 1;
      this.samples.push(signal);
      if (this.samples.length > this.sampleSize * 4)
        this.samples = latestSignals(this.samples, this.sampleSize);
    }
  }

  result(): SignalPreview {
    return {
      rule: this.rule,
      asOf: this.asOf,
      customers: this.customers,
      due: this.due,
      pending: this.pending,
      byTrigger: { ...this.byTrigger },
      samples: latestSignals(this.samples, this.sampleSize),
    };
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

/** The latest signals by due time (ties by id), at most `size`. */
export function latestSignals(signals: readonly Signal[], size: number): Signal[] {
  return [...signals]
    .sort((a, b) => Date.parse(b.dueAt) - Date.parse(a.dueAt) || a.id.localeCompare(b.id))
    .slice(0, size);
}
