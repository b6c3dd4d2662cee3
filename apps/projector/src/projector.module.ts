import { Global, Module } from '@nestjs/common';
import { INSIGHTS_REFRESH } from '@rapport/insights';
import { InsightsRefresher } from './insights-refresher';
import { PROJECTOR } from '@rapport/projector';
import { ProjectorLifecycle, projectorProvider } from './projector.provider';

/**
 * The read side's writer: events in, read models out. Needs the event and read stores. Global
 * so that the query side can reach the in-process projector (read-your-writes, refits) when
 * there is one.
 */
@Global()
@Module({
  providers: [
    projectorProvider,
    ProjectorLifecycle,
    InsightsRefresher,
    { provide: INSIGHTS_REFRESH, useExisting: InsightsRefresher },
  ],
  exports: [PROJECTOR, INSIGHTS_REFRESH],
})
export class ProjectorModule {}
