import type { DataKey } from '../fields/field-cipher';
import type { ErasedSince, KeyStore } from './key-store.port';

/**
 * Keys held in memory after the first read, so that the write and read paths ask the store
 * for a customer's key once, not once per event. Another process may destroy a key this one
 * holds: every `getOrCreateMany` and `getMany` first reads the store's erasure log from where
 * it last looked (one indexed read, or one LRANGE) and drops the keys destroyed since. So a
 * batch sealed after an erasure was logged never uses the destroyed key's cached copy, and the
 * store's tombstone keeps it from getting a new one. `refresh` does the same for readers that
 * use `cached` directly. The reading decorator also evicts on every `CustomerErased` it passes.
 */
export class CachingKeyStore implements KeyStore {
  private readonly cache = new Map<string, DataKey>();
  private erasureCursor = 0;

  constructor(
    private readonly inner: KeyStore,
    private readonly maxEntries = 100_000,
  ) {}

  /** The cached key, without asking the store (undefined: not cached, or none). */
  cached(customerId: string): DataKey | undefined {
    return this.cache.get(customerId);
  }

  /** Drops the cached keys of customers erased (by any process) since the last look. */
  async refresh(): Promise<void> {
    const erased = await this.inner.erasedSince(this.erasureCursor);
    for (const id of erased.customerIds) this.cache.delete(id);
    if (erased.cursor > this.erasureCursor) this.erasureCursor = erased.cursor;
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    await this.refresh();
    return this.through(customerIds, (missing) => this.inner.getMany(missing));
  }

  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    await this.refresh();
    return this.through(customerIds, (missing) => this.inner.getOrCreateMany(missing));
  }

  async destroy(customerId: string): Promise<boolean> {
    this.cache.delete(customerId);
    return this.inner.destroy(customerId);
  }

  erasedSince(after: number): Promise<ErasedSince> {
    return this.inner.erasedSince(after);
  }

  migrationDone(name: string): Promise<boolean> {
    return this.inner.migrationDone(name);
  }

  markMigrationDone(name: string): Promise<void> {
    return this.inner.markMigrationDone(name);
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
    const cursor = this.erasureCursor;
    const loaded = await load(missing);
    // A concurrent call that read erasures meanwhile may have dropped one of these keys before
    // it arrived: kept for this call (read after its check), not cached.
    const keep = this.erasureCursor === cursor;
    for (const [id, key] of loaded) {
      found.set(id, key);
      if (!keep) continue;
      // Oldest out first: a Map iterates in insertion order.
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, key);
    }
    return found;
  }
}
