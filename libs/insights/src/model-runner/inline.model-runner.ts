import { fitBgNbd, type BgNbdSummary, type BgNbdTimeUnit } from '@rapport/analytics';
import { buildInsightsModel, type InsightsOptions, type PopulationFacts } from '../population';
import type { ModelRunner } from './model-runner';
import { gathered } from './pages';

/** On the calling thread: for tests and small tools; it blocks the event loop while it runs. */
export class InlineModelRunner implements ModelRunner {
  async buildModel(settings: InsightsOptions, facts: AsyncIterable<readonly PopulationFacts[]>) {
    return buildInsightsModel(await gathered(facts), settings);
  }

  async fit(unit: BgNbdTimeUnit, summaries: AsyncIterable<readonly BgNbdSummary[]>) {
    return fitBgNbd({ unit, summaries: await gathered(summaries) });
  }

  async close(): Promise<void> {}
}
