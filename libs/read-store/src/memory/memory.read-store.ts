import type {
  ListOptions,
  ReadOptions,
  ReadStore,
  RecordPage,
  StoredRecord,
} from '../read-store.port';
import { deepFreeze, thaw } from './frozen-value';

/**
 * The embedded default: records live in process memory and are rebuilt from the event store
 * at start. Nobody can change a stored record in place: readers get a copy, or with `shared`
 * the value itself deeply frozen. A value is frozen when a shared read first hands it out, not
 * when written: the projector reads `forUpdate` (the value as it is) and replaces most records
 * again before anyone else reads them, so it never pays for freezing what it writes, and a
 * query freezes only the parts written since the last shared read (frozen parts are skipped).
 */
export class MemoryReadStore implements ReadStore {
  private readonly collections = new Map<
    string,
    Map<string, { position: bigint; value: unknown }>
  >();
  private readonly checkpoints = new Map<string, bigint>();
  private sortedKeys = new Map<string, string[]>();

  async get<T>(
    collection: string,
    key: string,
    options?: ReadOptions,
  ): Promise<StoredRecord<T> | undefined> {
    return (await this.getMany<T>(collection, [key], options)).get(key);
  }

  async getMany<T>(
    collection: string,
    keys: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, StoredRecord<T>>> {
    const found = new Map<string, StoredRecord<T>>();
    const table = this.collections.get(collection);
    if (!table) return found;
    for (const key of keys) {
      const stored = table.get(key);
      if (!stored) continue;
      const value = (
        options?.forUpdate
          ? stored.value
          : options?.shared
            ? deepFreeze(stored.value)
            : thaw(stored.value)
      ) as T;
      found.set(key, { key, position: stored.position, value });
    }
    return found;
  }

  async putMany<T>(collection: string, records: readonly StoredRecord<T>[]): Promise<number> {
    let table = this.collections.get(collection);
    if (!table) this.collections.set(collection, (table = new Map()));
    let written = 0;
    for (const record of records) {
      const stored = table.get(record.key);
      if (stored && stored.position >= record.position) continue;
      if (!stored) this.sortedKeys.delete(collection);
      table.set(record.key, { position: record.position, value: record.value });
      written += 1;
    }
    return written;
  }

  async list<T>(collection: string, options: ListOptions): Promise<RecordPage<T>> {
    const keys = this.keysInOrder(collection);
    const start = options.after === undefined ? 0 : upperBound(keys, options.after);
    const page = keys.slice(start, start + options.limit);
    const records = (await this.getMany<T>(collection, page)).values();
    const next = start + options.limit < keys.length ? page[page.length - 1] : undefined;
    return { records: [...records], ...(next === undefined ? {} : { next }) };
  }

  async count(collection: string): Promise<number> {
    return this.collections.get(collection)?.size ?? 0;
  }

  async dropCollection(collection: string): Promise<void> {
    this.collections.delete(collection);
    this.sortedKeys.delete(collection);
  }

  async getCheckpoint(name: string): Promise<bigint | undefined> {
    return this.checkpoints.get(name);
  }

  async putCheckpoint(name: string, position: bigint): Promise<void> {
    this.checkpoints.set(name, position);
  }

  async close(): Promise<void> {}

  /** Sorted lazily and cached until a new key arrives. */
  private keysInOrder(collection: string): string[] {
    let keys = this.sortedKeys.get(collection);
    if (!keys) {
      keys = [...(this.collections.get(collection)?.keys() ?? [])].sort();
      this.sortedKeys.set(collection, keys);
    }
    return keys;
  }
}

/** Index of the first key greater than `key`. */
function upperBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid] <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}
