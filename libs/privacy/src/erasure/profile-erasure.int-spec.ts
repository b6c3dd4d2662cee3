import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { customerStreamName, eventIdFor, type CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { EncryptingEventStore } from '../event-store/encrypting.event-store';
import { CachingKeyStore } from '../keys/caching.key-store';
import { SqliteKeyStore } from '../keys/sqlite/sqlite.key-store';
import { CustomerNotFoundError } from './customer-erasure';
import { eraseProfile } from './profile-erasure';

const SECRET = 'https://shop.test/orders?email=jane.doe%40mailbox.test';

// Each beforeEach appends seven times to SQLite files with full sync: slow on a loaded machine.
jest.setTimeout(120_000);

function visit(customerId: string): CustomerEvent[] {
  return historyOf(aTouchpoint('web_visit', { url: SECRET }, { customerId }));
}

describe('when a customer in a merged profile is erased', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: CachingKeyStore;
  let store: EventStore;
  const request = (customerId: string) => ({
    customerId,
    reason: 'ticket GDPR-2',
    requestedAt: '2026-02-01T00:00:00.000Z',
    correlationId: 'corr-erase-profile',
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-profile-erasure-'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
    keys = new CachingKeyStore(new SqliteKeyStore(join(dir, 'keys.sqlite')));
    store = new EncryptingEventStore(raw, keys);
    for (const customerId of ['C-1', 'profile.anon', 'C-2', 'profile.other'])
      await store.append(
        customerStreamName(customerId),
        visit(customerId).map((e) => ({
          id: eventIdFor(e.metadata.source, `${customerId}-${e.data.touchpointId}`),
          type: e.type,
          data: e.data,
          metadata: { ...e.metadata },
        })),
        { expectedRevision: 'no_stream' },
      );
    for (const event of [
      merged('m-1', 'C-1', 'profile.anon'),
      merged('m-2', 'C-2', 'profile.other'),
      undone('m-2'),
    ])
      await store.append(
        IDENTITY_GRAPH_STREAM,
        [{ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: {} }],
        { expectedRevision: 'any' },
      );
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lastType = async (customerId: string) =>
    (await store.readStream(customerStreamName(customerId), { direction: 'backwards' }))[0].type;
  const readable = async (customerId: string) =>
    JSON.stringify((await store.readStream(customerStreamName(customerId))).map((e) => e.data));

  it('erases every member of the profile, asked by the absorbed id: keys and erasure events', async () => {
    const outcome = await eraseProfile(store, keys, request('profile.anon'));
    expect(outcome.members.map((m) => m.customerId)).toEqual(['C-1', 'profile.anon']);
    expect(outcome.appended).toBe(true);
    expect(outcome.keyDestroyed).toBe(true);
    for (const member of ['C-1', 'profile.anon']) {
      expect(await lastType(member)).toBe('CustomerErased');
      expect(await readable(member)).not.toContain('jane.doe');
    }
    expect(outcome.position).toBe(
      (await store.readStream(customerStreamName('profile.anon'), { direction: 'backwards' }))[0]
        .position,
    );
    // A repeat finds it done.
    const again = await eraseProfile(store, keys, request('C-1'));
    expect(again).toMatchObject({ appended: false, keyDestroyed: false });
  });

  it('erases only the asked side of a merge that was undone', async () => {
    const outcome = await eraseProfile(store, keys, request('C-2'));
    expect(outcome.members.map((m) => m.customerId)).toEqual(['C-2']);
    expect(await lastType('profile.other')).toBe('WebVisitRecorded');
    expect(await readable('profile.other')).toContain('jane.doe');
  });

  it('refuses a customer with no events', async () => {
    await expect(eraseProfile(store, keys, request('C-404'))).rejects.toBeInstanceOf(
      CustomerNotFoundError,
    );
  });
});
