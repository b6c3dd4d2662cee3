import type { EncodedRecord, StoredRecord } from '@rapport/read-store';
import type { ParkedCustomer } from '../../parking/parked-customers';
import type { RefoldOutcome } from '../../profiles/refold-profiles';

/** A record as its JSON text (UTF-8), with its key and position. */
export type HeldRecord = EncodedRecord;

/** What one request to the main thread carries: records, and the parked customers to list first. */
export interface HeldWrite {
  readonly changes: HeldRecord[];
  readonly parked: ParkedCustomer[];
}

/**
 * The records a build worker has folded in this run, kept on the worker as their JSON text.
 * Sent to the main thread after every window, a customer's view crossed once per window it had
 * an event in, and was copied back across to be read by the next one. In a log written as it
 * happened (customers interleaved) that is a copy of the generation per window, each one bytes
 * the main thread's collector is pressed to mark its heap for. Held here, the fold reads its own
 * records, and only the ones changed since the last checkpoint cross, once, before it. (A log
 * written customer by customer, as the demo store is, has each customer in one window: there
 * every record crossed once already.)
 */
export class HeldRecords {
  private readonly texts = new Map<string, HeldRecord>();
  /** Keys changed since they last crossed, in the order they were first changed. */
  private readonly changed = new Set<string>();
  private parked: ParkedCustomer[] = [];

  has(key: string): boolean {
    return this.texts.has(key);
  }

  /** The held records among `keys`, parsed: objects of the caller's own, to fold into. */
  records(keys: readonly string[]): Map<string, StoredRecord<unknown>> {
    const found = new Map<string, StoredRecord<unknown>>();
    for (const key of keys) {
      const record = this.texts.get(key);
      if (record)
        found.set(key, {
          key,
          position: record.position,
          value: JSON.parse(UTF8_DECODER.decode(record.json)),
        });
    }
    return found;
  }

  /** Folded records, to cross at the next release; parked customers, to be listed before them. */
  hold(changes: readonly StoredRecord<unknown>[], parked: readonly ParkedCustomer[]): void {
    for (const record of changes) {
      this.texts.set(record.key, {
        key: record.key,
        position: record.position,
        json: UTF8_ENCODER.encode(JSON.stringify(record.value)),
      });
      this.changed.add(record.key);
    }
    this.parked.push(...parked);
  }

  /** A merge or an undo the main thread has written as it is: nothing of it to send again. */
  regrouped(outcome: RefoldOutcome): void {
    for (const record of outcome.records) {
      this.texts.set(record.key, {
        key: record.key,
        position: record.position,
        json: UTF8_ENCODER.encode(JSON.stringify(record.value)),
      });
      this.changed.delete(record.key);
    }
    for (const key of outcome.removed) {
      this.texts.delete(key);
      this.changed.delete(key);
    }
  }

  /** Records and parked customers not yet sent. */
  get pending(): number {
    return this.changed.size + this.parked.length;
  }

  /**
   * Everything changed since the last release, `perRequest` records a request, the parked
   * customers with the first; after it nothing is pending. The texts stay held (the caller
   * sends copies).
   */
  release(perRequest: number): HeldWrite[] {
    const writes: HeldWrite[] = [];
    let changes: HeldRecord[] = [];
    let parked = this.parked;
    for (const key of this.changed) {
      changes.push(this.texts.get(key)!);
      if (changes.length < perRequest) continue;
      writes.push({ changes, parked });
      changes = [];
      parked = [];
    }
    if (changes.length || parked.length) writes.push({ changes, parked });
    this.changed.clear();
    this.parked = [];
    return writes;
  }
}

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();
