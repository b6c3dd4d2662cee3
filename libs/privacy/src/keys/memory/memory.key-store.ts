import type { DataKey } from '../../fields/field-cipher';
import type { ErasedSince, KeyStore } from '../key-store.port';
import { newDataKey } from '../new-data-key';

/** Keys in memory: for tests and benches, never for data that must outlive the process. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, DataKey>();
  private readonly erased = new Set<string>();
  private readonly erasureLog: string[] = [];
  private readonly migrations = new Set<string>();

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    for (const id of customerIds) {
      const key = this.keys.get(id);
      if (key) found.set(id, key);
    }
    return found;
  }

  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    for (const id of customerIds)
      if (!this.keys.has(id) && !this.erased.has(id)) this.keys.set(id, newDataKey());
    return this.getMany(customerIds);
  }

  async destroy(customerId: string): Promise<boolean> {
    this.erased.add(customerId);
    this.erasureLog.push(customerId);
    return this.keys.delete(customerId);
  }

  async erasedSince(after: number): Promise<ErasedSince> {
    return { cursor: this.erasureLog.length, customerIds: this.erasureLog.slice(after) };
  }

  async migrationDone(name: string): Promise<boolean> {
    return this.migrations.has(name);
  }

  async markMigrationDone(name: string): Promise<void> {
    this.migrations.add(name);
  }

  async close(): Promise<void> {}
}
