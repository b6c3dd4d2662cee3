import { Module } from '@nestjs/common';
import { KEY_STORE } from '@rapport/privacy';
import { RecordingModule } from '@rapport/recording';
import { TouchpointsHttpController } from './record-touchpoint/touchpoints.http.controller';
import { SegmentHttpController } from './segment-ingest/segment.http.controller';
import { IdentityMergesHttpController } from './merge-profiles/identity-merges.http.controller';

/**
 * The write side's HTTP transport over the recording lib. Needs EventStoreModule, the config
 * and PrivacyModule (its key store keeps the identifier digest key).
 */
@Module({
  imports: [RecordingModule.withKeys(KEY_STORE)],
  controllers: [TouchpointsHttpController, SegmentHttpController, IdentityMergesHttpController],
  exports: [RecordingModule],
})
export class IngestModule {}
