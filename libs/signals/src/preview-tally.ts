import { isPending } from './derive-signals';
import type { Signal, SignalRuleName } from './signal';

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

/** The latest signals by due time (ties by id), at most `size`. */
export function latestSignals(signals: readonly Signal[], size: number): Signal[] {
  return [...signals]
    .sort((a, b) => Date.parse(b.dueAt) - Date.parse(a.dueAt) || a.id.localeCompare(b.id))
    .slice(0, size);
}

/**
 * A preview's counts: every signal due, those still pending at asOf, by trigger, and a sample
 * of the latest pending ones (kept to a few times the sample size as signals arrive).
 */
export class PreviewTally {
  private due = 0;
  private pending = 0;
  private readonly byTrigger: Record<string, number> = {};
  private samples: Signal[] = [];

  constructor(
    private readonly rule: SignalRuleName,
    private readonly asOf: string,
    private readonly sampleSize: number,
  ) {}

  count(signal: Signal): void {
    this.due += 1;
    this.byTrigger[signal.trigger] = (this.byTrigger[signal.trigger] ?? 0) + 1;
    if (!isPending(signal, this.asOf)) return;
    this.pending += 1;
    this.samples.push(signal);
    if (this.samples.length > this.sampleSize * 4)
      this.samples = latestSignals(this.samples, this.sampleSize);
  }

  result(customers: number): SignalPreview {
    return {
      rule: this.rule,
      asOf: this.asOf,
      customers,
      due: this.due,
      pending: this.pending,
      byTrigger: { ...this.byTrigger },
      samples: latestSignals(this.samples, this.sampleSize),
    };
  }
}
