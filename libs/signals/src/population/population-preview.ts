import type { SignalFacts } from '../facts/signal-facts';
import { PreviewTally, type SignalPreview } from '../preview-tally';
import { switchedOn } from '../signal-preview';
import type { SignalRulesConfig } from '../signal-rules.config';
import { evaluatePopulation, populationChanges } from './evaluate-population';
import {
  populationWindow,
  type CustomerStanding,
  type PopulationRow,
  type PopulationSnapshot,
} from './population-facts';

export type PopulationRuleName = 'tier-move' | 'win-back';

/**
 * The window boundaries a preview of a population rule evaluates as of `asOf`: a baseline
 * `days` before the boundary at or before asOf, then every boundary after it up to that one.
 * Only those can raise a signal still pending at asOf when `days` is the rule's expiry.
 */
export function previewBoundaries(asOf: string, windowSeconds: number, days: number): string[] {
  const size = windowSeconds * 1_000;
  const last = Date.parse(populationWindow(asOf, windowSeconds));
  const first = Date.parse(
    populationWindow(new Date(last - days * 86_400_000).toISOString(), windowSeconds),
  );
  const boundaries: string[] = [];
  for (let at = first; at <= last; at += size) boundaries.push(new Date(at).toISOString());
  return boundaries;
}

/**
 * What tier-move or win-back would fire over the boundaries a preview evaluates, counted and
 * sampled as the event rules' preview does. The first boundary given is the baseline: it sets
 * every customer's standing and fires nothing (a running ledger has standings from before), so
 * the counts are the turns the rule would report, not a first start's already-high ones.
 */
export class PopulationPreviewer {
  private readonly standings = new Map<string, CustomerStanding>();
  private lastWindow: string | null = null;
  private customers = 0;
  private readonly tally: PreviewTally;
  private readonly rules: SignalRulesConfig;

  constructor(
    private readonly rule: PopulationRuleName,
    rules: SignalRulesConfig,
    asOf: string,
    private readonly windowSeconds: number,
    sampleSize = 5,
  ) {
    this.rules = switchedOn(rules, rule);
    this.tally = new PreviewTally(rule, asOf, sampleSize);
  }

  /** The population as of the next boundary (in order, the baseline first). */
  add(
    snapshot: PopulationSnapshot,
    rows: Iterable<PopulationRow> & { readonly length: number },
    factsOf: (customerId: string) => SignalFacts | undefined,
  ): void {
    this.customers = rows.length;
    const standingOf = (id: string) => this.standings.get(id);
    if (this.lastWindow === null) {
      const baseline = populationChanges(rows, standingOf, snapshot, this.rules);
      this.keep(baseline.standings);
      this.lastWindow = populationWindow(snapshot.asOf, this.windowSeconds);
      return;
    }
    const outcome = evaluatePopulation({
      rows,
      snapshot,
      lastWindow: this.lastWindow,
      windowSeconds: this.windowSeconds,
      standingOf,
      factsOf,
      rules: this.rules,
    });
    if (!outcome) return;
    this.keep(outcome.standings);
    this.lastWindow = outcome.window;
    for (const signal of outcome.signals) if (signal.rule === this.rule) this.tally.count(signal);
  }

  result(): SignalPreview {
    return this.tally.result(this.customers);
  }

  private keep(
    standings: ReadonlyArray<{ readonly customerId: string; readonly standing: CustomerStanding }>,
  ): void {
    for (const { customerId, standing } of standings) this.standings.set(customerId, standing);
  }
}
