import type { DataKey } from '../fields/field-cipher';
import type { KeyStore } from './key-store.port';

/**
 * Keys held in memory after the first read, so that the write and read paths ask the store
 * once per customer, not once per event. `destroy` and `evict` drop the entry; the reading
 * decorator evicts on every erasure event it passes, so a process that did not make the
 * erasure stops using the key once it has seen the event.
 */
export class CachingKeyStore implements KeyStore {
  private readonly cache = new Map<string, DataKey>();

  constructor(
    private readonly inner: KeyStore,
    private readonly maxEntries = 100_000,
  ) {}

  /** The cached key, without asking the store (undefined: not cached, or none). */
  cached(customerId: string): DataKey | undefined {
    return this.cache.get(customerId);
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    return this.through(customerIds, (missing) => this.inner.getMany(missing));
  }

  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    return this.through(customerIds, (missing) => this.inner.getOrCreateMany(missing));
  }

  async destroy(customerId: string): Promise<boolean> {
    this.cache.delete(customerId);
    return this.inner.destroy(customerId);
  }

  evict(customerId: string): void {
    this.cache.delete(customerId);
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.inner.close();
  }

  private async through(
    customerIds: readonly string[],
    load: (missing: string[]) => Promise<Map<string, DataKey>>,
  ): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    const missing: string[] = [];
    for (const id of customerIds) {
      const key = this.cache.get(id);
      if (key) found.set(id, key);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const loaded = await load(missing);
    // Oldest out first: a Map iterates in insertion order.
    for (const [id, key] of loaded) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, key);
      found.set(id, key);
    }
    return found;
  }
}
