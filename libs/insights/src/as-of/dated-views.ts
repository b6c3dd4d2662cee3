import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CustomerView } from '@rapport/projections';
import { mergeSorted, type ReadStore, type StoredRecord } from '@rapport/read-store';
import { datedViewOf, type DatedView } from '../population';
import { storedViewPages } from '../views-as-of';

const PAGE = 1_000;
/**
 * Most customers whose dated views are held: about 1.3 KB each (measured with six touchpoints a
 * customer, every view parsed anew: 24 MB for 20,000), so at most about 330 MB. A larger base
 * reads every view for each date, as before, rather than hold more.
 */
export const MAX_DATED_CUSTOMERS = 250_000;

/** Every customer's dated view in key order, and the projector position they cover. */
export interface DatedViewsAt {
  readonly views: readonly DatedView[];
  /**
   * The same views in the same order, each in its record as stored (its key and the position
   * of the last event applied to it): what a computation as of a log position decides by.
   */
  readonly records: readonly StoredRecord<DatedView>[];
  /** Every view write up to this position is in `views`. */
  readonly position: bigint;
}

/**
 * Every customer's view cut down to what an as-of result is computed from (datedViewOf), kept
 * between as-of computations so that a date cuts its facts from them instead of reading and
 * parsing every view again. Kept current as the projector moves: the customers it reports
 * written (`written`) are read again before the next use, and nothing else is.
 *
 * Read again in full when the view generation switched (a rebuild's new one), and when the
 * projector's checkpoint is past every write reported (writes made without a report, such as a
 * catch-up's, or by another process, as where the projector runs apart from the queries): a
 * kept view then never misses a write the position it claims covers.
 *
 * What it holds: per customer, its record (key, position) around one small object of eleven
 * fields, its map slot, and the view's own lists of orders, cancellations, complaints, and
 * activity and service per day (the part of the view that grows with the customer's history;
 * recent touchpoints, counts and sources are left out): about 1.3 KB a customer, up to
 * MAX_DATED_CUSTOMERS. One set serves both past dates and population boundaries.
 */
export class DatedViews {
  private readonly slots = new Map<string, number>();
  private readonly held: Array<StoredRecord<DatedView> | undefined> = [];
  private sorted: string[] = [];
  private unsorted: string[] = [];
  /** The view collection (blue/green generation) read; undefined until a full read ends. */
  private collection: string | undefined;
  private covered = -1n;
  /** Reports are taken once a full read has started: before, it will read everything anyway. */
  private following = false;
  private pending = new Set<string>();
  private pendingPosition = -1n;
  /** One bring-up at a time: a second waits for the first, then reads what is left. */
  private updating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly readStore: ReadStore,
    private readonly maxCustomers = MAX_DATED_CUSTOMERS,
  ) {}

  /** The projector wrote (or parked, or removed) these customers' views, up to `position`. */
  written(customerIds: Iterable<string>, position: bigint): void {
    if (!this.following) return;
    for (const id of customerIds) this.pending.add(id);
    if (position > this.pendingPosition) this.pendingPosition = position;
  }

  /**
   * The views of `collection` covering at least `checkpoint` (the projector's, read just
   * before): the reported writes read again, or every view when they would not cover it.
   * Undefined when the collection holds more than the customers kept (nothing is then held).
   */
  at(collection: string, checkpoint: bigint): Promise<DatedViewsAt | undefined> {
    const next = this.updating.then(
      () => this.bringUp(collection, checkpoint),
      () => this.bringUp(collection, checkpoint),
    );
    this.updating = next;
    return next;
  }

  private async bringUp(collection: string, checkpoint: bigint): Promise<DatedViewsAt | undefined> {
    const reported = this.pendingPosition > this.covered ? this.pendingPosition : this.covered;
    try {
      if (this.collection !== collection || checkpoint > reported) {
        if ((await this.readStore.count(collection)) > this.maxCustomers) {
          this.forget();
          return undefined;
        }
        await this.readAll(collection, checkpoint);
      } else await this.readWritten(collection);
    } catch (error) {
      // What was taken is lost with this read: the next use reads every view again.
      this.collection = undefined;
      throw error;
    }
    const records = this.inKeyOrder();
    return { views: records.map((record) => record.value), records, position: this.covered };
  }

  private forget(): void {
    this.collection = undefined;
    this.following = false;
    this.pending = new Set();
    this.pendingPosition = -1n;
    this.slots.clear();
    this.held.length = 0;
    this.sorted = [];
    this.unsorted = [];
  }

  private async readAll(collection: string, checkpoint: bigint): Promise<void> {
    this.forget();
    this.following = true;
    // Only the dated lists are kept, shared with the store's value where it has one.
    for await (const records of storedViewPages(this.readStore, collection, PAGE))
      for (const record of records) this.put(record);
    this.collection = collection;
    this.covered = checkpoint;
  }

  private async readWritten(collection: string): Promise<void> {
    const keys = [...this.pending];
    const position = this.pendingPosition;
    this.pending = new Set();
    for (let from = 0; from < keys.length; from += PAGE) {
      const page = keys.slice(from, from + PAGE);
      const found = await this.readStore.getMany<CustomerView>(collection, page, {
        shared: true,
      });
      for (const key of page) {
        const record = found.get(key);
        if (record) this.put(record);
        else this.remove(key);
      }
      await nextTurn();
    }
    if (position > this.covered) this.covered = position;
  }

  private put({ key, position, value }: StoredRecord<CustomerView>): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.held.length;
      this.slots.set(key, slot);
      this.unsorted.push(key);
    }
    this.held[slot] = { key, position, value: datedViewOf(value) };
  }

  /** A view gone (a customer merged into another's profile): left out from now on. */
  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) this.held[slot] = undefined;
  }

  /**
   * In key order, the order in which a pass over the store meets the views (results gathered
   * from them come out in the same order), as an array of its own: a read that follows while
   * a computation goes through it does not change what that computation sees.
   */
  private inKeyOrder(): StoredRecord<DatedView>[] {
    if (this.unsorted.length) {
      this.sorted = mergeSorted(this.sorted, this.unsorted.sort(byCodeUnits));
      this.unsorted = [];
    }
    const records: StoredRecord<DatedView>[] = [];
    for (const key of this.sorted) {
      const record = this.held[this.slots.get(key)!];
      if (record) records.push(record);
    }
    return records;
  }
}

function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
