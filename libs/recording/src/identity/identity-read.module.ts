import { Module, type DynamicModule } from '@nestjs/common';
import {
  IDENTIFIER_DIGEST_KEY,
  identityIndexKey,
  type DigestKeyHolder,
} from './identifier-digester';
import { IdentityGraphReader } from './identity-graph.reader';

/**
 * The identity graph for readers (lookups, the identifier filter), without the write path.
 * Needs the EVENT_STORE of EventStoreModule; the digest key comes from the key store token.
 */
@Module({})
export class IdentityReadModule {
  static withKeys(keyStoreToken: symbol): DynamicModule {
    return {
      module: IdentityReadModule,
      providers: [
        IdentityGraphReader,
        {
          provide: IDENTIFIER_DIGEST_KEY,
          inject: [keyStoreToken],
          useFactory: (keys: DigestKeyHolder) => identityIndexKey(keys),
        },
      ],
      exports: [IdentityGraphReader],
    };
  }
}
