import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerStateCache } from './record-touchpoint/customer-state.cache';
import {
  RecordTouchpointHandler,
  RecordTouchpointsHandler,
} from './record-touchpoint/record-touchpoint.handler';
import { TouchpointRecorder } from './record-touchpoint/touchpoint-recorder';
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
