import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerStateCache } from '@rapport/recording';
import {
  RecordTouchpointHandler,
  RecordTouchpointsHandler,
} from '@rapport/recording';
import { TouchpointRecorder } from '@rapport/recording';
import { TouchpointsHttpController } from './record-touchpoint/touchpoints.http.controller';

/** The write side: touchpoints in, events appended. Needs EventStoreModule and the config. */
@Module({
  imports: [CqrsModule],
  controllers: [TouchpointsHttpController],
  providers: [
    CustomerStateCache,
    TouchpointRecorder,
    RecordTouchpointHandler,
    RecordTouchpointsHandler,
  ],
  exports: [TouchpointRecorder],
})
export class IngestModule {}
