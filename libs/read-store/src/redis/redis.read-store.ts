import { Redis, type ChainableCommander } from 'ioredis';
import { ReadStoreUnavailableError } from '../read-store.errors';
import type {
  ListOptions,
  ReadOptions,
  ReadStore,
  ReadStoreLocation,
  RecordPage,
  StoredRecord,
} from '../read-store.port';
import { RedisKeys } from './redis.keys';
import { toReadStoreError } from './redis.outage';
import { PUT_RECORD_IF_NEWER, PUT_RECORD_IF_NEWER_LUA } from './redis.put-record.script';

export interface RedisReadStoreOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Namespace of every key: tests and blue/green rebuilds each use their own. */
  readonly keyPrefix?: string;
  /** How long one round trip may take before it counts as an outage (ms). */
  readonly roundTripTimeoutMs?: number;
  /**
   * Most records read or written in one pipelined round trip (default 5,000, ~25 MB of
   * customer views): a catch-up batch may touch hundreds of thousands of customers, and one
   * pipeline for all of them would hold them all in the client at once and could outlast the
   * round-trip deadline, which the projector would take for an outage and retry forever.
   */
  readonly recordsPerRoundTrip?: number;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'rapport:';

/** Members per ZADD / keys per drop step: big enough to be cheap, small enough not to block. */
const CHUNK = 1_000;

type PipelineResults = [error: Error | null, result: unknown][];

/**
 * The scale-out read store. One Redis hash per record (`p`: position of the last event applied,
 * as a decimal string; `v`: the JSON value), written by a single-key compare-and-set script;
 * a per-collection sorted set lists the keys in order. A batch is one pipelined round trip with
 * one command per record: the client, not the server, is what limits throughput.
 */
export class RedisReadStore implements ReadStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly roundTripTimeoutMs: number;
  private readonly recordsPerRoundTrip: number;
  private lastConnectionError: string | undefined;
  readonly location: ReadStoreLocation;

  constructor(options: RedisReadStoreOptions) {
    this.keys = new RedisKeys(options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX);
    this.roundTripTimeoutMs = options.roundTripTimeoutMs ?? 10_000;
    this.recordsPerRoundTrip = options.recordsPerRoundTrip ?? 5_000;
    this.location = {
      kind: 'redis',
      url: options.url,
      keyPrefix: this.keys.prefix,
      roundTripTimeoutMs: this.roundTripTimeoutMs,
      recordsPerRoundTrip: this.recordsPerRoundTrip,
    };
    this.redis = new Redis(options.url, {
      // Commands issued while (re)connecting wait in the offline queue, so start-up and a blip
      // don't fail; the queue is failed with an error every second reconnect attempt, so during
      // an outage it never holds more than the one batch each caller is waiting on.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    });
    this.redis.defineCommand(PUT_RECORD_IF_NEWER, {
      numberOfKeys: 1,
      lua: PUT_RECORD_IF_NEWER_LUA,
    });
    // Without a listener ioredis reports every failed reconnect on the console; the reason is
    // kept for the next caller's error instead.
    this.redis.on('error', (error: Error) => (this.lastConnectionError = error.message));
    this.redis.on('ready', () => (this.lastConnectionError = undefined));
  }

  get keyPrefix(): string {
    return this.keys.prefix;
  }

  /** The key a record lives under (tests and operators look it up directly). */
  recordKey(collection: string, key: string): string {
    return this.keys.record(collection, key);
  }

  async get<T>(
    collection: string,
    key: string,
    options?: ReadOptions,
  ): Promise<StoredRecord<T> | undefined> {
    return (await this.getMany<T>(collection, [key], options)).get(key);
  }

  /** Every read parses its own copy, so `shared` and `forUpdate` change nothing here. */
  async getMany<T>(
    collection: string,
    keys: readonly string[],
    _options?: ReadOptions,
  ): Promise<Map<string, StoredRecord<T>>> {
    const found = new Map<string, StoredRecord<T>>();
    for (let from = 0; from < keys.length; from += this.recordsPerRoundTrip) {
      const chunk = keys.slice(from, from + this.recordsPerRoundTrip);
      const pipeline = this.redis.pipeline();
      for (const key of chunk) pipeline.hmget(this.keys.record(collection, key), 'p', 'v');
      const results = await this.exec(pipeline, `getMany(${collection})`);
      chunk.forEach((key, i) => {
        const record = toRecord<T>(key, results[i] as (string | null)[]);
        if (record) found.set(key, record);
      });
    }
    return found;
  }

  /**
   * The index entries go first in the same pipeline, so on one connection Redis applies them
   * before the records. Even where that order cannot hold (a cluster splits a batch by node,
   * the index living in another slot) no record is lost to listings: putMany resolves only
   * when every command succeeded, a caller retries a failed batch whole (ZADD of a member that
   * is there is a no-op), the projector's checkpoint moves only after success, and
   * `rebuildIndex` recovers the index from the record keys themselves. Many records go in
   * several round trips, each with its own index entries first.
   */
  async putMany<T>(collection: string, records: readonly StoredRecord<T>[]): Promise<number> {
    for (const record of records)
      if (record.position < 0n)
        throw new RangeError(`record ${record.key}: position ${record.position} is negative`);
    let written = 0;
    for (let from = 0; from < records.length; from += this.recordsPerRoundTrip)
      written += await this.putChunk(
        collection,
        records.slice(from, from + this.recordsPerRoundTrip),
      );
    return written;
  }

  private async putChunk<T>(
    collection: string,
    records: readonly StoredRecord<T>[],
  ): Promise<number> {
    const index = this.keys.index(collection);
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < records.length; i += CHUNK) {
      const members: (string | number)[] = [];
      for (const record of records.slice(i, i + CHUNK)) members.push(0, record.key);
      pipeline.zadd(index, ...members);
    }
    for (const record of records)
      pipeline[PUT_RECORD_IF_NEWER](
        this.keys.record(collection, record.key),
        record.position.toString(),
        JSON.stringify(record.value),
      );
    const results = await this.exec(pipeline, `putMany(${collection})`);
    let written = 0;
    for (let i = results.length - records.length; i < results.length; i += 1)
      written += results[i] as number;
    return written;
  }

  /** The records first, then their index entries: a listing never names a removed record twice. */
  async deleteMany(collection: string, keys: readonly string[]): Promise<void> {
    for (let from = 0; from < keys.length; from += CHUNK) {
      const chunk = keys.slice(from, from + CHUNK);
      const pipeline = this.redis.pipeline();
      for (const key of chunk) pipeline.unlink(this.keys.record(collection, key));
      pipeline.zrem(this.keys.index(collection), ...chunk);
      await this.exec(pipeline, `deleteMany(${collection})`);
    }
  }

  async list<T>(collection: string, options: ListOptions): Promise<RecordPage<T>> {
    const from = options.after === undefined ? '-' : `(${options.after}`;
    const members = await this.call(`list(${collection})`, () =>
      this.redis.zrangebylex(this.keys.index(collection), from, '+', 'LIMIT', 0, options.limit + 1),
    );
    const page = members.slice(0, options.limit);
    // An index entry whose record is not written yet (see putMany) is skipped; the cursor is
    // the index member, so paging stays stable either way.
    const found = await this.getMany<T>(collection, page, options);
    const records = page.flatMap((key) => found.get(key) ?? []);
    const next = members.length > options.limit ? page[page.length - 1] : undefined;
    return { records, ...(next === undefined ? {} : { next }) };
  }

  async count(collection: string): Promise<number> {
    return this.call(`count(${collection})`, () => this.redis.zcard(this.keys.index(collection)));
  }

  /** Chunk by chunk through the index, then a SCAN sweep for records that never made it. */
  async dropCollection(collection: string): Promise<void> {
    const index = this.keys.index(collection);
    for (;;) {
      const members = await this.call(`dropCollection(${collection})`, () =>
        this.redis.zrangebylex(index, '-', '+', 'LIMIT', 0, CHUNK),
      );
      if (members.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const key of members) pipeline.unlink(this.keys.record(collection, key));
      pipeline.zrem(index, ...members);
      await this.exec(pipeline, `dropCollection(${collection})`);
    }
    await this.forEachRecordKey(collection, async (recordKeys) => {
      const pipeline = this.redis.pipeline();
      for (const key of recordKeys) pipeline.unlink(key);
      await this.exec(pipeline, `dropCollection(${collection})`);
    });
    await this.call(`dropCollection(${collection})`, () => this.redis.unlink(index));
  }

  /** Re-adds every record of a collection to its index (idempotent; repair after an incident). */
  async rebuildIndex(collection: string): Promise<number> {
    const index = this.keys.index(collection);
    const prefixLength = this.keys.record(collection, '').length - 1;
    let added = 0;
    await this.forEachRecordKey(collection, async (recordKeys) => {
      const members = recordKeys.flatMap((key) => [0, key.slice(prefixLength, -1)]);
      added += await this.call(`rebuildIndex(${collection})`, () =>
        this.redis.zadd(index, ...members),
      );
    });
    return added;
  }

  async getCheckpoint(name: string): Promise<bigint | undefined> {
    const stored = await this.call(`getCheckpoint(${name})`, () =>
      this.redis.get(this.keys.checkpoint(name)),
    );
    return stored === null ? undefined : BigInt(stored);
  }

  async putCheckpoint(name: string, position: bigint): Promise<void> {
    await this.call(`putCheckpoint(${name})`, () =>
      this.redis.set(this.keys.checkpoint(name), position.toString()),
    );
  }

  async getBinding(name: string): Promise<string | undefined> {
    const stored = await this.call(`getBinding(${name})`, () =>
      this.redis.get(this.keys.binding(name)),
    );
    return stored ?? undefined;
  }

  async putBinding(name: string, eventStoreId: string): Promise<void> {
    await this.call(`putBinding(${name})`, () =>
      this.redis.set(this.keys.binding(name), eventStoreId),
    );
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async forEachRecordKey(
    collection: string,
    handle: (recordKeys: string[]) => Promise<void>,
  ): Promise<void> {
    const pattern = this.keys.recordPattern(collection);
    let cursor = '0';
    do {
      const [nextCursor, found] = await this.call(`scan(${collection})`, () =>
        this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', CHUNK),
      );
      if (found.length) await handle(found);
      cursor = nextCursor;
    } while (cursor !== '0');
  }

  private async exec(pipeline: ChainableCommander, operation: string): Promise<unknown[]> {
    const results = (await this.call(operation, () => pipeline.exec())) as PipelineResults | null;
    if (!results) throw new Error(`redis read store: ${operation}: the pipeline was discarded`);
    const values = new Array<unknown>(results.length);
    for (let i = 0; i < results.length; i += 1) {
      const [error, value] = results[i];
      if (error) throw toReadStoreError(error, operation);
      values[i] = value;
    }
    return values;
  }

  /**
   * One round trip with one deadline (a timer per call, not per command as ioredis's
   * commandTimeout would set), failing as an outage when Redis is away or silent.
   */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ReadStoreUnavailableError(
              `redis read store: ${operation} got no answer within ${this.roundTripTimeoutMs} ms` +
                (this.lastConnectionError ? ` (${this.lastConnectionError})` : ''),
            ),
          ),
        this.roundTripTimeoutMs,
      );
    });
    try {
      return await Promise.race([send(), deadline]);
    } catch (error) {
      throw toReadStoreError(error, operation);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toRecord<T>(key: string, reply: (string | null)[]): StoredRecord<T> | undefined {
  const [position, json] = reply;
  if (position === null || json === null) return undefined;
  return { key, position: BigInt(position), value: JSON.parse(json) as T };
}
