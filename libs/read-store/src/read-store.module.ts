import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { MemoryReadStore } from './memory/memory.read-store';
import { VIEW_GENERATIONS, ViewGenerations } from './generations/view-generations';
import { READ_STORE, type ReadStore } from './read-store.port';
import { RedisReadStore } from './redis/redis.read-store';

/** Configuration picks the adapter: in memory by default (rebuilt from events at start), Redis when REDIS_URL is set. */
export function createReadStore(config: Pick<RapportConfig, 'readStore'>): ReadStore {
  switch (config.readStore.kind) {
    case 'memory':
      return new MemoryReadStore({ coldAfterMs: config.readStore.coldAfterMs });
    case 'redis':
      return new RedisReadStore({
        url: config.readStore.url,
        keyPrefix: config.readStore.keyPrefix,
      });
  }
}

@Injectable()
class ReadStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: READ_STORE, inject: [RAPPORT_CONFIG], useFactory: createReadStore },
    {
      provide: VIEW_GENERATIONS,
      inject: [READ_STORE],
      useFactory: (store: ReadStore) => new ViewGenerations(store),
    },
    ReadStoreLifecycle,
  ],
  exports: [READ_STORE, VIEW_GENERATIONS],
})
export class ReadStoreModule {}
