import type { DataKey } from '../../fields/field-cipher';
import type { KeyStore } from '../key-store.port';
import { newDataKey } from '../new-data-key';

/** Keys in memory: for tests and benches, never for data that must outlive the process. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, DataKey>();

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    for (const id of customerIds) {
      const key = this.keys.get(id);
      if (key) found.set(id, key);
    }
    return found;
  }

  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    for (const id of customerIds) if (!this.keys.has(id)) this.keys.set(id, newDataKey());
    return this.getMany(customerIds);
  }

  async destroy(customerId: string): Promise<boolean> {
    return this.keys.delete(customerId);
  }

  async close(): Promise<void> {}
}
