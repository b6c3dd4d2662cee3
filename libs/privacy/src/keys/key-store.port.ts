import type { DataKey } from '../fields/field-cipher';

/**
 * Customers' data keys, kept apart from the event log: destroying a key is what erases a
 * customer's personal fields from every event, backup and copy of the log at once.
 *
 * Keyed by customer id today; by profile id once identity resolution lands (the key then
 * follows the profile, and a merge re-seals nothing: each stream keeps its own key id).
 */
export const KEY_STORE = Symbol('KEY_STORE');

export interface KeyStore {
  /** The customer's key, made (32 random bytes, a new key id) if there is none. */
  getOrCreateMany(customerIds: readonly string[]): Promise<Map<string, DataKey>>;
  /** The customers' keys that exist; an erased or unknown customer has none. */
  getMany(customerIds: readonly string[]): Promise<Map<string, DataKey>>;
  /**
   * Destroys the customer's key, durably, before it resolves. Returns whether there was one.
   * A later getOrCreate makes a new key with a new id: older envelopes stay unreadable.
   */
  destroy(customerId: string): Promise<boolean>;
  close(): Promise<void>;
}
