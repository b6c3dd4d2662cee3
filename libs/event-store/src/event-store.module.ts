import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb.event-store';
import { SqliteEventStore } from './sqlite/sqlite.event-store';

/** Configuration picks the adapter: EVENTSTORE_URL → EventStoreDB, otherwise SQLite in DATA_DIR. */
export function createEventStore(config: Pick<RapportConfig, 'eventStore'>): EventStore {
  switch (config.eventStore.kind) {
    case 'sqlite':
      return new SqliteEventStore({
        path: config.eventStore.path,
        busyTimeoutMs: config.eventStore.busyTimeoutMs,
        writer: config.eventStore.writer,
      });
    case 'eventstoredb':
      return new EventStoreDbEventStore({ connectionString: config.eventStore.url });
  }
}

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Last of the shutdown hooks: projectors and consumers have stopped by now. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: EVENT_STORE, inject: [RAPPORT_CONFIG], useFactory: createEventStore },
    EventStoreLifecycle,
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule {}
