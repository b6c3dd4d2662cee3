import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  EVENT_STORE,
  EVENT_STORE_DECORATOR,
  type EventStore,
  type EventStoreDecorator,
} from '@rapport/event-store';
import { EncryptingEventStore } from './event-store/encrypting.event-store';
import { findPlainPersonalData } from './event-store/plain-personal-data.check';
import { writeTombstonesFromLog } from './erasure/tombstones-from-log';
import type { CachingKeyStore } from './keys/caching.key-store';
import { createKeyStore } from './keys/create-key-store';
import { KEY_STORE } from './keys/key-store.port';

@Injectable()
class PrivacyLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PersonalData');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: CachingKeyStore,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  /** Before any consumer starts (they start at bootstrap): no key for a customer erased before. */
  async onModuleInit(): Promise<void> {
    if (this.config.privacy.encryption === 'off') return;
    const raw = this.store instanceof EncryptingEventStore ? this.store.raw : this.store;
    const done = await writeTombstonesFromLog(raw, this.keys);
    if (done.tombstonesWritten > 0)
      this.logger.log(
        `tombstones written for ${done.tombstonesWritten} customers erased before the key store ` +
          `kept them (${done.keysDestroyed} keys made after their erasure destroyed)`,
      );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.privacy.encryption === 'off') {
      this.logger.warn(
        'PERSONAL_DATA_ENCRYPTION=off: personal fields are stored in plain text and cannot be erased',
      );
      return;
    }
    const raw = this.store instanceof EncryptingEventStore ? this.store.raw : this.store;
    const plain = await findPlainPersonalData(raw);
    if (plain.events > 0)
      this.logger.warn(
        `${plain.events} of the first ${plain.lookedAt} stored events carry personal fields in ` +
          'plain text (written before encryption was on): an erasure cannot reach them. ' +
          'Out of scope for this version (README, "Erasure"): re-import those customers ' +
          'into a new store, or keep them out of erasure requests.',
      );
  }

  /** After the event store's own shutdown hook has run or not: the keys close last either way. */
  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}

/**
 * Personal-data protection for the whole application: the customers' key store, and the
 * event store wrapped so that personal fields are sealed on append and opened on read.
 * Import it beside EventStoreModule.
 */
@Module({})
export class PrivacyModule {
  static forRoot(): DynamicModule {
    return {
      module: PrivacyModule,
      global: true,
      providers: [
        {
          provide: KEY_STORE,
          inject: [RAPPORT_CONFIG],
          useFactory: (config: RapportConfig) => createKeyStore(config.privacy),
        },
        {
          provide: EVENT_STORE_DECORATOR,
          inject: [RAPPORT_CONFIG, KEY_STORE],
          useFactory: (config: RapportConfig, keys: CachingKeyStore): EventStoreDecorator | null =>
            config.privacy.encryption === 'on'
              ? { decorate: (store) => new EncryptingEventStore(store, keys) }
              : null,
        },
        PrivacyLifecycle,
      ],
      exports: [KEY_STORE, EVENT_STORE_DECORATOR],
    };
  }
}
