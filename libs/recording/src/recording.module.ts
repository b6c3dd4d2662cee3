import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { CUSTOMER_STATE_CACHE_CAPACITY, CustomerStateCache } from './customer-state.cache';
import { RecordTouchpointsHandler } from './record-touchpoints.handler';
import { TouchpointRecorder } from './touchpoint-recorder';

/**
 * The write path: dispatch RecordTouchpointsCommand on the CommandBus. Needs the EVENT_STORE
 * of EventStoreModule, or one given with `over`.
 */
@Module({
  imports: [CqrsModule],
  providers: [CustomerStateCache, TouchpointRecorder, RecordTouchpointsHandler],
  exports: [CqrsModule],
})
export class RecordingModule {
  /** Outside an app's module tree (CLI import, benches): the write path over this store. */
  static over(eventStore: EventStore, cacheCapacity?: number): DynamicModule {
    return {
      module: RecordingModule,
      providers: [
        { provide: EVENT_STORE, useValue: eventStore },
        ...(cacheCapacity
          ? [{ provide: CUSTOMER_STATE_CACHE_CAPACITY, useValue: cacheCapacity }]
          : []),
      ],
    };
  }
}
