import type { DataKey } from '../fields/field-cipher';

/**
 * Customers' data keys, kept apart from the event log: destroying a key is what erases a
 * customer's personal fields from every event, backup and copy of the log at once.
 *
 * Keyed by customer id today; by profile id once identity resolution lands (the key then
 * follows the profile, and a merge re-seals nothing: each stream keeps its own key id).
 *
 * A destroyed key leaves a tombstone: the customer never gets a key again, so nothing personal
 * recorded after their erasure can be sealed (and read) again. Each destruction is numbered in
 * an erasure log, so that a process holding keys in memory can ask, in one cheap read per
 * batch, which of them were destroyed since it last looked (`erasedSince`).
 */
export const KEY_STORE = Symbol('KEY_STORE');

export interface ErasedSince {
  /** Where the next call starts: pass it back as `after`. */
  readonly cursor: number;
  /** Owners whose key was destroyed after `after` (a repeat may name one twice). */
  readonly customerIds: readonly string[];
}

export interface KeyStore {
  /**
   * The customer's key, made (32 random bytes, a new key id) if there is none. An erased
   * customer (tombstone) gets none: they are absent from the answer.
   */
  getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>>;
  /** The customers' keys that exist; an erased or unknown customer has none. */
  getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>>;
  /**
   * Destroys the customer's key, durably, and leaves a tombstone and an entry in the erasure
   * log before it resolves (also when there was no key: nothing may be sealed for them after).
   * Returns whether there was a key.
   */
  destroy(customerId: string): Promise<boolean>;
  /** The erasures logged after `after` (0: from the start). */
  erasedSince(after: number): Promise<ErasedSince>;
  /**
   * Whether a one-off step (a migration of what this store keeps) has been done against it.
   * Kept with the keys, so that a key store replaced by an empty one runs the step again.
   */
  migrationDone(name: string): Promise<boolean>;
  markMigrationDone(name: string): Promise<void>;
  close(): Promise<void>;
}
