import { describeKeyStoreContract } from '../testing/key-store.contract';
import { CachingKeyStore } from './caching.key-store';
import { MemoryKeyStore } from './memory/memory.key-store';

// The SQLite key store writes files: its contract run is in sqlite/sqlite.key-store.int-spec.ts.
describeKeyStoreContract('memory', async () => new MemoryKeyStore());
describeKeyStoreContract('caching', async () => new CachingKeyStore(new MemoryKeyStore()));
