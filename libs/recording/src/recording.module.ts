import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import type { IdentityRules } from '@rapport/identity';
import { CUSTOMER_STATE_CACHE_CAPACITY, CustomerStateCache } from './customer-state.cache';
import {
  IDENTIFIER_DIGEST_KEY,
  identityIndexKey,
  type DigestKeyHolder,
} from './identity/identifier-digester';
import { IDENTITY_RULES, IdentityResolver } from './identity/identity-resolver';
import { IdentityGraphReader } from './identity/identity-graph.reader';
import { LinkIdentifiersHandler } from './identity/link-identifiers/link-identifiers.handler';
import { MergeProfilesHandler } from './identity/merge-profiles/merge-profiles.handler';
import { UndoMergeHandler } from './identity/merge-profiles/undo-merge.handler';
import { RecordTouchpointsHandler } from './record-touchpoints.handler';
import { TouchpointRecorder } from './touchpoint-recorder';

export interface RecordingIdentityOptions {
  readonly rules?: IdentityRules;
  /** The identifier digest key (identityIndexKey of the key store); none: unkeyed (tests). */
  readonly digestKey?: Buffer;
}

/**
 * The write path: dispatch RecordTouchpointsCommand on the CommandBus. Needs the EVENT_STORE
 * of EventStoreModule, or one given with `over`. In an app, identity rules come from
 * RAPPORT_CONFIG and the identifier digest key from the key store (`withKeys`).
 */
@Module({
  imports: [CqrsModule],
  providers: [
    CustomerStateCache,
    TouchpointRecorder,
    IdentityResolver,
    RecordTouchpointsHandler,
    LinkIdentifiersHandler,
    IdentityGraphReader,
    MergeProfilesHandler,
    UndoMergeHandler,
    {
      provide: IDENTITY_RULES,
      inject: [{ token: RAPPORT_CONFIG, optional: true }],
      useFactory: (config?: RapportConfig) => config?.identity.rules,
    },
  ],
  exports: [CqrsModule, IdentityGraphReader],
})
export class RecordingModule {
  /** In an app: the identifier digest key is taken from this key store token (KEY_STORE). */
  static withKeys(keyStoreToken: symbol): DynamicModule {
    return {
      module: RecordingModule,
      providers: [
        {
          provide: IDENTIFIER_DIGEST_KEY,
          inject: [keyStoreToken],
          useFactory: (keys: DigestKeyHolder) => identityIndexKey(keys),
        },
      ],
    };
  }

  /** Outside an app's module tree (CLI import, benches): the write path over this store. */
  static over(
    eventStore: EventStore,
    cacheCapacity?: number,
    identity: RecordingIdentityOptions = {},
  ): DynamicModule {
    const providers: Provider[] = [{ provide: EVENT_STORE, useValue: eventStore }];
    if (cacheCapacity)
      providers.push({ provide: CUSTOMER_STATE_CACHE_CAPACITY, useValue: cacheCapacity });
    if (identity.rules) providers.push({ provide: IDENTITY_RULES, useValue: identity.rules });
    if (identity.digestKey)
      providers.push({ provide: IDENTIFIER_DIGEST_KEY, useValue: identity.digestKey });
    return { module: RecordingModule, providers };
  }
}
