import { setImmediate as nextTurn } from 'node:timers/promises';
import type {
  EncodedPage,
  EncodedRecord,
  EncodedRecords,
  ListOptions,
  ReadOptions,
  ReadStore,
  RecordPage,
  StoredRecord,
} from '../read-store.port';
import { ColdQueue } from './cold-queue';
import { mergeSorted } from './merge-sorted';
import { deepFreeze, thaw } from './frozen-value';

export interface MemoryReadStoreOptions {
  /**
   * How long after its last write a record is kept as JSON text (UTF-8, outside the V8 heap)
   * instead of live objects; 0 keeps records as text from their write on. Default 30,000:
   * longer than a catch-up batch takes (500,000 events at ~70,000/s on a slow 2-core machine),
   * so catching up never writes out, and parses back, a view that its next batch rewrites.
   */
  readonly coldAfterMs?: number;
  /**
   * Collections with fewer records keep theirs live whatever their age: a handful of records
   * (a snapshot, a pointer) are few objects to the collector, read whole, and may be large
   * enough that writing one out as text would stall the event loop. Default 1,000.
   */
  readonly coldMinRecords?: number;
}

export const DEFAULT_COLD_AFTER_MS = 30_000;

/** Longest stretch settle() writes out without yielding, in milliseconds. */
const SETTLE_SLICE_MS = 10;

/** A record as held: its value live, or as UTF-8 JSON once cold (then `value` is undefined). */
interface Entry {
  readonly collection: string;
  readonly key: string;
  /**
   * A number while it is a safe integer: below 2^30 it is no object at all to the collector,
   * where a bigint is one per record.
   */
  readonly position: number | bigint;
  value: unknown;
  text: Uint8Array | undefined;
  writtenAt: number;
}

/**
 * The embedded default: records live in process memory and are rebuilt from the event store
 * at start. Nobody can change a stored record in place: readers get a copy, or with `shared`
 * the value itself deeply frozen. A value is frozen when a shared read first hands it out, not
 * when written: the projector reads `forUpdate` (the value as it is) and replaces most records
 * again before anyone else reads them, so it never pays for freezing what it writes, and a
 * query freezes only the parts written since the last shared read (frozen parts are skipped).
 *
 * A record left alone for `coldAfterMs` is kept as JSON text, encoded as UTF-8 outside the
 * V8 heap. Held as objects, 100,000 customer views are millions of objects that every full
 * collection marks, and with no idle core that marking stalls every request for a few hundred
 * milliseconds. As strings they are one object each that the collector never looks into, but
 * still hundreds of megabytes of heap, and every young-generation collection pays for the
 * heap's size: with 1.2 GB of strings a scavenge took 6.6 ms, with the same text as UTF-8
 * bytes 1.0 ms. The records the projector is rewriting stay live, so catching up pays no
 * serialization; a cold record costs a decode and a parse (a copy nobody else holds, whatever
 * the read options) when read.
 */
export class MemoryReadStore implements ReadStore {
  private readonly collections = new Map<string, Map<string, Entry>>();
  private readonly checkpoints = new Map<string, bigint>();
  private readonly bindings = new Map<string, string>();
  private readonly sortedKeys = new Map<string, string[]>();
  /** Keys written since their collection's keys were last sorted, not yet merged in. */
  private readonly keysToMerge = new Map<string, string[]>();
  private readonly coldMinRecords: number;
  private readonly cold: ColdQueue<Entry> | undefined;
  /** Records held as objects, not (yet) as text. */
  private liveRecords = 0;
  /**
   * Records as text in and out: a rebuild's worker stores the generation it builds as the text
   * it encoded, never as objects on this thread, and reads back the text it wrote.
   */
  readonly encoded: EncodedRecords = {
    getMany: async (collection, keys) => {
      const table = this.collections.get(collection);
      const found: EncodedRecord[] = [];
      for (const key of keys) {
        const entry = table?.get(key);
        if (entry) found.push(encodedOf(entry));
      }
      return found;
    },
    putMany: async (collection, records) => this.putEncoded(collection, records),
    list: async (collection, options): Promise<EncodedPage> => {
      const keys = this.keysInOrder(collection);
      const start = options.after === undefined ? 0 : upperBound(keys, options.after);
      const page = keys.slice(start, start + options.limit);
      const next = start + options.limit < keys.length ? page[page.length - 1] : undefined;
      return {
        records: await this.encoded.getMany(collection, page),
        ...(next === undefined ? {} : { next }),
      };
    },
  };

  constructor(options: MemoryReadStoreOptions = {}) {
    const afterMs = options.coldAfterMs ?? DEFAULT_COLD_AFTER_MS;
    this.coldMinRecords = options.coldMinRecords ?? 1_000;
    this.cold =
      afterMs > 0
        ? new ColdQueue({ afterMs, goneCold: (entry) => this.goneCold(entry) })
        : undefined;
  }

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
      found.set(key, {
        key,
        position: BigInt(stored.position),
        value: valueOf(stored, options) as T,
      });
    }
    return found;
  }

  async putMany<T>(collection: string, records: readonly StoredRecord<T>[]): Promise<number> {
    const table = this.tableOf(collection);
    let written = 0;
    for (const record of records)
      if (this.put(table, collection, record.key, record.position, record.value, undefined))
        written += 1;
    return written;
  }

  /** As putMany, each value kept as the text given: no object is built, nothing goes cold. */
  private putEncoded(collection: string, records: readonly EncodedRecord[]): number {
    const table = this.tableOf(collection);
    let written = 0;
    for (const record of records)
      if (this.put(table, collection, record.key, record.position, undefined, record.json))
        written += 1;
    return written;
  }

  /**
   * Keeps the record unless the stored one is as new or newer: as an object (`value`, live,
   * and sent cold when the collection is large) or as the text given. False when skipped.
   */
  private put(
    table: Map<string, Entry>,
    collection: string,
    key: string,
    position: bigint,
    value: unknown,
    text: Uint8Array | undefined,
  ): boolean {
    const stored = table.get(key);
    if (stored && stored.position >= position) return false;
    if (!stored && this.sortedKeys.has(collection)) this.keysToMergeInto(collection).push(key);
    const entry: Entry = {
      collection,
      key,
      position: compactPosition(position),
      value,
      text,
      writtenAt: performance.now(),
    };
    const sizeBefore = table.size;
    table.set(key, entry);
    const replacedLive = stored !== undefined && stored.text === undefined;
    // The cold queue still holds the replaced entry until its delay is up: without this its
    // value would outlive the write by that long (most of the projector's garbage, kept 30 s
    // and promoted to the old generation).
    if (replacedLive) stored.value = undefined;
    if (text !== undefined) {
      if (replacedLive) this.liveRecords -= 1;
      return true;
    }
    if (!replacedLive) this.liveRecords += 1;
    if (this.cold) this.cold.push(entry);
    else if (table.size >= this.coldMinRecords) {
      // The write that makes the collection large writes out the records kept live so far.
      if (sizeBefore < this.coldMinRecords) for (const live of table.values()) this.toText(live);
      else this.toText(entry);
    }
    return true;
  }

  private tableOf(collection: string): Map<string, Entry> {
    let table = this.collections.get(collection);
    if (!table) this.collections.set(collection, (table = new Map()));
    return table;
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<void> {
    const table = this.collections.get(collection);
    if (!table) return;
    const gone = new Set<string>();
    for (const key of keys) {
      const entry = table.get(key);
      if (!entry) continue;
      if (entry.text === undefined) this.liveRecords -= 1;
      table.delete(key);
      gone.add(key);
    }
    if (gone.size === 0) return;
    const sorted = this.sortedKeys.get(collection);
    if (sorted) this.sortedKeys.set(collection, sorted.filter((key) => !gone.has(key)));
    const added = this.keysToMerge.get(collection);
    if (added) this.keysToMerge.set(collection, added.filter((key) => !gone.has(key)));
  }

  async list<T>(collection: string, options: ListOptions): Promise<RecordPage<T>> {
    const keys = this.keysInOrder(collection);
    const start = options.after === undefined ? 0 : upperBound(keys, options.after);
    const page = keys.slice(start, start + options.limit);
    const records = (await this.getMany<T>(collection, page, options)).values();
    const next = start + options.limit < keys.length ? page[page.length - 1] : undefined;
    return { records: [...records], ...(next === undefined ? {} : { next }) };
  }

  async count(collection: string): Promise<number> {
    return this.collections.get(collection)?.size ?? 0;
  }

  async dropCollection(collection: string): Promise<void> {
    for (const entry of this.collections.get(collection)?.values() ?? [])
      if (entry.text === undefined) this.liveRecords -= 1;
    this.collections.delete(collection);
    this.sortedKeys.delete(collection);
    this.keysToMerge.delete(collection);
  }

  async getCheckpoint(name: string): Promise<bigint | undefined> {
    return this.checkpoints.get(name);
  }

  async putCheckpoint(name: string, position: bigint): Promise<void> {
    this.checkpoints.set(name, position);
  }

  async getBinding(name: string): Promise<string | undefined> {
    return this.bindings.get(name);
  }

  async putBinding(name: string, eventStoreId: string): Promise<void> {
    this.bindings.set(name, eventStoreId);
  }

  async close(): Promise<void> {
    this.cold?.stop();
  }

  /**
   * How many records are held as objects and how many as text: after a catch-up the objects
   * are written out over minutes, and until then they weigh on every collection.
   */
  heldRecords(): { objects: number; text: number } {
    let records = 0;
    for (const table of this.collections.values()) records += table.size;
    return { objects: this.liveRecords, text: records - this.liveRecords };
  }

  /**
   * Writes out as text, now, every record of a large collection still held as objects: what a
   * start-up catch-up built. Left to the cold delay, a demo's 20,000 views (a heap of 1.1 GB)
   * went out while queries were served, and the collections of that heap stalled them for
   * over a second; before the process reports ready, nobody waits but its probes. In slices
   * with a turn of the event loop between them, so liveness still answers.
   */
  async settle(): Promise<void> {
    let sliceBegan = performance.now();
    for (const table of this.collections.values()) {
      if (table.size < this.coldMinRecords) continue;
      for (const entry of table.values()) {
        if (entry.text !== undefined) continue;
        this.toText(entry);
        if (performance.now() - sliceBegan < SETTLE_SLICE_MS) continue;
        await nextTurn();
        sliceBegan = performance.now();
      }
    }
  }

  private toText(entry: Entry): void {
    if (entry.text !== undefined) return;
    entry.text = UTF8_ENCODER.encode(JSON.stringify(entry.value));
    entry.value = undefined;
    this.liveRecords -= 1;
  }

  /** Written out unless rewritten or dropped since; left live, for now, in a small collection. */
  private goneCold(entry: Entry): void {
    const table = this.collections.get(entry.collection);
    if (table?.get(entry.key) !== entry) return;
    if (table.size >= this.coldMinRecords) this.toText(entry);
    else {
      entry.writtenAt = performance.now();
      this.cold!.push(entry);
    }
  }

  /**
   * Sorted at the first list, then kept sorted by merging in the keys written since: with new
   * customers arriving while a refresh pages through 100,000 views, sorting them all again
   * for every page would cost ~100 ms a page.
   */
  private keysInOrder(collection: string): string[] {
    let keys = this.sortedKeys.get(collection);
    const added = this.keysToMerge.get(collection);
    this.keysToMerge.delete(collection);
    if (!keys) keys = [...(this.collections.get(collection)?.keys() ?? [])].sort();
    else if (added) keys = mergeSorted(keys, added.sort());
    this.sortedKeys.set(collection, keys);
    return keys;
  }

  private keysToMergeInto(collection: string): string[] {
    let added = this.keysToMerge.get(collection);
    if (!added) this.keysToMerge.set(collection, (added = []));
    return added;
  }
}

function compactPosition(position: bigint): number | bigint {
  return position <= MAX_SAFE_POSITION ? Number(position) : position;
}

const MAX_SAFE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/** The record as text: the stored text itself (the caller copies it, never changes it). */
function encodedOf(entry: Entry): EncodedRecord {
  return {
    key: entry.key,
    position: BigInt(entry.position),
    json: entry.text ?? UTF8_ENCODER.encode(JSON.stringify(entry.value)),
  };
}

function valueOf(entry: Entry, options: ReadOptions | undefined): unknown {
  if (entry.text !== undefined) return JSON.parse(UTF8_DECODER.decode(entry.text));
  if (options?.forUpdate) return entry.value;
  return options?.shared ? deepFreeze(entry.value) : thaw(entry.value);
}

/**
 * Each text in an array buffer of its own: Buffer.from would put small ones in shared 8 KB
 * slabs, and one record still cold in a slab would keep the whole slab when its others are
 * rewritten.
 */
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

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
