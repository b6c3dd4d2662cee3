import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb.event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite.event-store';

/** What a service does with the event store. */
export interface EventStoreUse {
  /**
   * False for the services that only read (projector, query API): on SQLite they start no
   * writer thread, which would hold a V8 isolate and a connection for nothing. An append, were
   * one made, is written inline.
   */
  readonly appends: boolean;
  /** Reads only, on a connection of its own that writes nothing (SQLite: opened read-only). */
  readonly readOnly?: boolean;
}

/** Where the event store is, as configured: enough for another thread to open it too. */
export type EventStoreSettings = RapportConfig['eventStore'];

/**
 * Wraps the configured store, when a module provides one (personal-data encryption): the whole
 * application then reads and writes through the wrapper.
 */
export const EVENT_STORE_DECORATOR = Symbol('EVENT_STORE_DECORATOR');
export interface EventStoreDecorator {
  decorate(store: EventStore): EventStore;
}

/** Configuration picks the adapter: EVENTSTORE_URL → EventStoreDB, otherwise SQLite in DATA_DIR. */
export function createEventStore(
  config: Pick<RapportConfig, 'eventStore'>,
  use: EventStoreUse = { appends: true },
): EventStore {
  switch (config.eventStore.kind) {
    case 'sqlite':
      return new SqliteEventStore(sqliteOptions(config.eventStore, use));
    case 'eventstoredb':
      return new EventStoreDbEventStore({ connectionString: config.eventStore.url });
  }
}

function sqliteOptions(
  config: Extract<RapportConfig['eventStore'], { kind: 'sqlite' }>,
  use: EventStoreUse,
): SqliteEventStoreOptions {
  return {
    path: config.path,
    busyTimeoutMs: config.busyTimeoutMs,
    writer: use.appends ? config.writer : 'inline',
    readOnly: use.readOnly,
  };
}

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Last of the shutdown hooks: projectors and consumers have stopped by now. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The configured event store, for the whole application. */
@Module({})
export class EventStoreModule {
  static forRoot(use: EventStoreUse): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: EVENT_STORE,
          inject: [RAPPORT_CONFIG, { token: EVENT_STORE_DECORATOR, optional: true }],
          useFactory: (config: RapportConfig, decorator?: EventStoreDecorator | null) => {
            const store = createEventStore(config, use);
            return decorator ? decorator.decorate(store) : store;
          },
        },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE],
    };
  }
}
