import type { EventStore } from '@rapport/event-store';
import { CUSTOMER_ERASED } from '../fields/personal-fields';
import type { KeyStore } from '../keys/key-store.port';

/** The one-off step's name in the key store. */
export const TOMBSTONES_FROM_LOG = 'tombstones-from-log';

const PAGE = 5_000;

export interface TombstonesFromLog {
  /** False when the key store had been through this step already. */
  readonly ran: boolean;
  readonly eventsRead: number;
  /** Customers with a CustomerErased event in the log. */
  readonly erasedCustomers: number;
  /** Of those, the ones that had no tombstone: they have one now. */
  readonly tombstonesWritten: number;
  /** Of those, the ones that had a key again (made after their erasure): destroyed. */
  readonly keysDestroyed: number;
}

/**
 * Customers erased by a version before tombstones existed have a CustomerErased event but no
 * tombstone, so a touchpoint arriving for them would get a new key and be sealed and readable
 * again. Once per key store (a new or replaced key store runs it again), before anything is
 * appended: reads the raw log for erasure events and destroys the key of each erased customer
 * the erasure log does not name — which writes the tombstone, and shreds what a key made after
 * the erasure sealed (what arrives after an erasure keeps no personal data, as it does now).
 * Idempotent: a run killed midway is run again whole, and a destroy repeated is harmless.
 */
export async function writeTombstonesFromLog(
  raw: EventStore,
  keys: KeyStore,
): Promise<TombstonesFromLog> {
  if (await keys.migrationDone(TOMBSTONES_FROM_LOG))
    return {
      ran: false,
      eventsRead: 0,
      erasedCustomers: 0,
      tombstonesWritten: 0,
      keysDestroyed: 0,
    };
  const tombstoned = new Set((await keys.erasedSince(0)).customerIds);
  const erased = new Set<string>();
  let eventsRead = 0;
  let tombstonesWritten = 0;
  let keysDestroyed = 0;
  let after: bigint | undefined;
  for (;;) {
    const page = await raw.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    eventsRead += page.length;
    after = page[page.length - 1].position;
    for (const event of page) {
      if (event.type !== CUSTOMER_ERASED) continue;
      const customerId = event.data.customerId;
      if (typeof customerId !== 'string') continue;
      erased.add(customerId);
      if (tombstoned.has(customerId)) continue;
      if (await keys.destroy(customerId)) keysDestroyed++;
      tombstoned.add(customerId);
      tombstonesWritten++;
    }
  }
  await keys.markMigrationDone(TOMBSTONES_FROM_LOG);
  return {
    ran: true,
    eventsRead,
    erasedCustomers: erased.size,
    tombstonesWritten,
    keysDestroyed,
  };
}
