import { CommandBus } from '@nestjs/cqrs';
import { generateDemoHistory } from '@rapport/demo-data';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { INSIGHTS_REFRESH, type InsightsRefresh } from '@rapport/insights';
import { PROJECTOR, type Projector } from '@rapport/projector';
import { TouchpointImporter } from '@rapport/recording';
import { startOfTodayUtc } from '../../apps/cli/src';
import type { RunningPlatform } from './platform';

/**
 * Loads a demo history into a running platform the way `npm run demo` does (through the write
 * path), waits for the views and refits the insights. Small counts keep a test quick.
 */
export async function loadDemoHistory(
  platform: Pick<RunningPlatform, 'app'>,
  options: { customers: number; months?: number; seed?: number },
): Promise<{ recorded: number }> {
  const eventStore = platform.app.get<EventStore>(EVENT_STORE);
  const importer = new TouchpointImporter(platform.app.get(CommandBus), {
    batchSize: 5_000,
    onRejected: (rejected) => {
      throw new Error(`the demo history was refused: ${JSON.stringify(rejected)}`);
    },
  });
  let line = 0;
  for (const touchpoint of generateDemoHistory({
    customers: options.customers,
    months: options.months ?? 24,
    seed: options.seed ?? 1,
    endAt: startOfTodayUtc(),
  }))
    await importer.add({ line: ++line, touchpoint });
  await importer.flush();
  const head = await eventStore.headPosition();
  const projector = platform.app.get<Projector>(PROJECTOR);
  if (!(await projector.waitFor(head, 300_000)))
    throw new Error(`the views did not reach position ${head} within 5 minutes`);
  await platform.app.get<InsightsRefresh>(INSIGHTS_REFRESH).refreshNow();
  return { recorded: importer.totals.recorded };
}
