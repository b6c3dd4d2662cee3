import type { SignalFacts, SignalPreview } from '@rapport/signals';
import type { CliStores } from '../shared/cli-stores';

/**
 * tier-move or win-back previewed: the customer views built (embedded default) or checked
 * (shared views), then the population computed as of each boundary from `days` before asOf
 * (the baseline) up to asOf, and evaluated in turn as the delivery would.
 */
export async function previewPopulationRule(
  stores: CliStores,
  rule: 'tier-move' | 'win-back',
  asOf: string,
  days: number | undefined,
  samples: number,
  facts: ReadonlyMap<string, SignalFacts>,
): Promise<SignalPreview> {
  const lib = await import('../shared/lib/signals.lib');
  const { createInsightsEngine } = await import('../shared/lib/insights.lib');
  const { requireBoundViews } = await import('../shared/cli-stores');
  const { replayIntoMemory } = await import('../model/model-fit.cli');
  if (stores.config.readStore.kind === 'memory') await replayIntoMemory(stores);
  else await requireBoundViews(stores);
  const { rules, populationWindowSeconds } = stores.config.signals;
  const span = days ?? (rule === 'tier-move' ? rules.tierMove : rules.winBack).expiresAfterDays;
  const previewer = new lib.PopulationPreviewer(
    rule,
    rules,
    asOf,
    populationWindowSeconds,
    samples,
  );
  const engine = createInsightsEngine(stores.readStore, stores.config, stores.generations);
  try {
    for (const boundary of lib.previewBoundaries(asOf, populationWindowSeconds, span)) {
      const snapshot = await engine.compute(boundary);
      previewer.add(
        {
          asOf: boundary,
          currency: snapshot.model.currency,
          windowMonths: snapshot.model.windowMonths,
        },
        snapshot.rows,
        (customerId) => facts.get(customerId),
      );
    }
  } finally {
    await engine.close();
  }
  return previewer.result();
}
