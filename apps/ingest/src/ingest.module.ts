import { Module } from '@nestjs/common';
import { RecordingModule } from '@rapport/recording';
import { TouchpointsHttpController } from './record-touchpoint/touchpoints.http.controller';
import { SegmentHttpController } from './segment-ingest/segment.http.controller';

/** The write side's HTTP transport over the recording lib. Needs EventStoreModule and the config. */
@Module({
  imports: [RecordingModule],
  controllers: [TouchpointsHttpController, SegmentHttpController],
  exports: [RecordingModule],
})
export class IngestModule {}
