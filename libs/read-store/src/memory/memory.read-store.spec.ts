import { describeReadStoreContract } from '../testing';
import { MemoryReadStore } from './memory.read-store';

describe('MemoryReadStore', () => {
  describeReadStoreContract(() => ({ factory: async () => new MemoryReadStore() }));
});
