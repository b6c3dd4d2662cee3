import { Module } from '@nestjs/common';
import { PROJECTOR, ProjectorLifecycle, projectorProvider } from './projector.provider';

/** The read side's writer: events in, read models out. Needs the event and read stores. */
@Module({
  providers: [projectorProvider, ProjectorLifecycle],
  exports: [PROJECTOR],
})
export class ProjectorModule {}
