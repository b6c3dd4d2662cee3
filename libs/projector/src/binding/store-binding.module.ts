import { Global, Module } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import { STORE_BINDING, StoreBindingMonitor } from './store-binding.monitor';

/**
 * STORE_BINDING for the whole app: whether its read store belongs to its event store
 * (readiness, the binding metric, and the start of the projector and the query API).
 */
@Global()
@Module({
  providers: [
    {
      provide: STORE_BINDING,
      inject: [EVENT_STORE, READ_STORE, VIEW_GENERATIONS, RAPPORT_CONFIG],
      useFactory: (
        eventStore: EventStore,
        readStore: ReadStore,
        generations: ViewGenerations,
        config: RapportConfig,
      ) =>
        new StoreBindingMonitor(eventStore, readStore, generations, {
          policy: config.readStoreMismatch,
          liveCheckpoint: 'projector',
          batchSize: config.projector.catchUpBatchSize,
        }),
    },
  ],
  exports: [STORE_BINDING],
})
export class StoreBindingModule {}
