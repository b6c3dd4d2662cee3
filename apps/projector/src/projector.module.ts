import { Module } from '@nestjs/common';
import { INSIGHTS_REFRESH, InsightsModule } from '@rapport/insights';
import { InsightsRefresher } from './insights-refresher';
import { PROJECTOR } from '@rapport/projector';
import { ProjectorLifecycle, projectorProvider } from './projector.provider';

/**
 * The read side's writer: events in, read models out. Needs the event and read stores. Where
 * the query side runs in the same process, it imports this module to reach the projector
 * (read-your-writes, rebuilds, refits): see QueryApiModule.withProjector.
 */
@Module({
  imports: [InsightsModule],
  providers: [
    projectorProvider,
    ProjectorLifecycle,
    InsightsRefresher,
    { provide: INSIGHTS_REFRESH, useExisting: InsightsRefresher },
  ],
  exports: [PROJECTOR, INSIGHTS_REFRESH],
})
export class ProjectorModule {}
