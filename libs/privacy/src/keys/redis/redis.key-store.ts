import Redis from 'ioredis';
import type { DataKey } from '../../fields/field-cipher';
import type { ErasedSince, KeyStore } from '../key-store.port';
import { decodeDataKey, encodeDataKey, newDataKey } from '../new-data-key';

/** What a destroyed key's string holds instead: SET NX then never makes a key again. */
const TOMBSTONE = 'erased';

/**
 * Keys in a Redis that every service of a scale-out deployment can reach (KEY_STORE_URL): a
 * string per customer, created with SET NX so that two ingest instances agree on one key.
 * Destroying overwrites it with a tombstone and then appends the customer to an erasure list
 * (`erasedSince` reads its tail: one LRANGE a batch). Two commands, not a MULTI: on a Redis
 * Cluster the list and the customer's key live in different slots; the erasure appends its
 * event only after both, which is the order the other processes' checks rely on.
 * Point it at a Redis of its own, without RDB snapshots or AOF older than the retention you
 * promise: a destroyed key must not live on in a persistence file.
 */
export class RedisKeyStore implements KeyStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'rapport:data-key:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    if (customerIds.length === 0) return found;
    const stored = await this.redis.mget(customerIds.map((id) => this.keyOf(id)));
    stored.forEach((value, i) => {
      if (value && value !== TOMBSTONE) found.set(customerIds[i], decodeDataKey(value));
    });
    return found;
  }

  async getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>> {
    if (customerIds.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const id of customerIds) pipeline.set(this.keyOf(id), encodeDataKey(newDataKey()), 'NX');
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw new Error('key store write failed', { cause: failed[0] });
    return this.getMany(customerIds);
  }

  async destroy(customerId: string): Promise<boolean> {
    const before = await this.redis.set(this.keyOf(customerId), TOMBSTONE, 'GET');
    await this.redis.rpush(this.erasureLog(), customerId);
    return before !== null && before !== TOMBSTONE;
  }

  async erasedSince(after: number): Promise<ErasedSince> {
    const customerIds = await this.redis.lrange(this.erasureLog(), after, -1);
    return { cursor: after + customerIds.length, customerIds };
  }

  async migrationDone(name: string): Promise<boolean> {
    return (await this.redis.hexists(this.migrations(), name)) === 1;
  }

  async markMigrationDone(name: string): Promise<void> {
    await this.redis.hset(this.migrations(), name, new Date().toISOString());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Hash tag on the customer: a cluster keeps a customer's key beside nothing else's. */
  private keyOf(customerId: string): string {
    return `${this.prefix}{${customerId}}`;
  }

  private erasureLog(): string {
    return `${this.prefix}erasures`;
  }

  private migrations(): string {
    return `${this.prefix}migrations`;
  }
}
