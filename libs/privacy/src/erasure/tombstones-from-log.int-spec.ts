import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamName, eventIdFor } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type NewEvent } from '@rapport/event-store';
import { EncryptingEventStore } from '../event-store/encrypting.event-store';
import { ERASED_VALUE } from '../fields/field-cipher';
import { CachingKeyStore } from '../keys/caching.key-store';
import { SqliteKeyStore } from '../keys/sqlite/sqlite.key-store';
import { eraseCustomer } from './customer-erasure';
import { TOMBSTONES_FROM_LOG, writeTombstonesFromLog } from './tombstones-from-log';

const URL = 'https://shop.test/me?email=old.erasure%40mail.test';

function visit(customerId: string, touchpointId: string): NewEvent {
  const [event] = historyOf(aTouchpoint('web_visit', { url: URL }, { customerId, touchpointId }));
  return {
    id: eventIdFor(event.metadata.source, touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

describe('when customers were erased before the key store kept tombstones', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: CachingKeyStore;
  let store: EncryptingEventStore;
  const keysPath = () => join(dir, 'keys.sqlite');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-tombstones-'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
    keys = new CachingKeyStore(new SqliteKeyStore(keysPath()));
    store = new EncryptingEventStore(raw, keys);
    for (const customerId of ['C-OLD', 'C-KEPT'])
      await store.append(customerStreamName(customerId), [visit(customerId, `${customerId}-1`)], {
        expectedRevision: 'no_stream',
      });
    await eraseCustomer(store, keys, {
      customerId: 'C-OLD',
      reason: 'ticket 1',
      requestedAt: '2026-03-01T00:00:00.000Z',
      correlationId: 'c',
    });
    await keys.close();
    // What a key store of the version before tombstones holds: the key deleted, nothing else.
    const file = new Database(keysPath());
    file.exec('DELETE FROM erasure_log; DELETE FROM migrations');
    file.close();
    keys = new CachingKeyStore(new SqliteKeyStore(keysPath()));
    store = new EncryptingEventStore(raw, keys);
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without the step, a touchpoint after the erasure would be sealed with a new key', async () => {
    await store.append(customerStreamName('C-OLD'), [visit('C-OLD', 'C-OLD-late')], {
      expectedRevision: 'any',
    });
    expect((await store.readStream(customerStreamName('C-OLD'))).at(-1)!.data.url).toBe(URL);
  });

  it('writes their tombstones once: no new key, and a key made after the erasure is destroyed', async () => {
    // A version without tombstones gave the erased customer a key again and sealed with it.
    await store.append(customerStreamName('C-OLD'), [visit('C-OLD', 'C-OLD-late')], {
      expectedRevision: 'any',
    });

    const outcome = await writeTombstonesFromLog(raw, keys);
    expect(outcome).toEqual({
      ran: true,
      eventsRead: 4,
      erasedCustomers: 1,
      tombstonesWritten: 1,
      keysDestroyed: 1,
    });
    expect(await keys.migrationDone(TOMBSTONES_FROM_LOG)).toBe(true);
    expect((await keys.getOrCreateMany(['C-OLD', 'C-KEPT'])).has('C-OLD')).toBe(false);
    const read = await store.readStream(customerStreamName('C-OLD'));
    expect(read.map((e) => e.data.url ?? e.type)).toEqual([
      ERASED_VALUE,
      'CustomerErased',
      ERASED_VALUE,
    ]);
    // What arrives now keeps no personal data; the other customer keeps theirs.
    await store.append(customerStreamName('C-OLD'), [visit('C-OLD', 'C-OLD-later')], {
      expectedRevision: 'any',
    });
    expect((await raw.readStream(customerStreamName('C-OLD'))).at(-1)!.data.url).toBe(ERASED_VALUE);
    expect((await store.readStream(customerStreamName('C-KEPT')))[0].data.url).toBe(URL);

    expect((await writeTombstonesFromLog(raw, keys)).ran).toBe(false);
  });

  it('runs again against a key store that replaced the one it ran on', async () => {
    await writeTombstonesFromLog(raw, keys);
    await keys.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(keysPath() + suffix, { force: true });
    keys = new CachingKeyStore(new SqliteKeyStore(keysPath()));
    store = new EncryptingEventStore(raw, keys);
    expect(await writeTombstonesFromLog(raw, keys)).toMatchObject({
      ran: true,
      tombstonesWritten: 1,
      keysDestroyed: 0,
    });
    expect((await keys.getOrCreateMany(['C-OLD'])).size).toBe(0);
  });
});
