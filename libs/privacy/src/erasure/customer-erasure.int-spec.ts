import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  customerStreamName,
  eventIdFor,
  upcastCustomerEvent,
  type CustomerEvent,
} from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  SqliteEventStore,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@rapport/event-store';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import { EncryptingEventStore } from '../event-store/encrypting.event-store';
import { ERASED_VALUE } from '../fields/field-cipher';
import { CachingKeyStore } from '../keys/caching.key-store';
import { SqliteKeyStore } from '../keys/sqlite/sqlite.key-store';
import { checkErasure } from '../proof/erasure-check';
import { findValues } from '../proof/value-encodings';
import { eraseCustomer } from './customer-erasure';

const URL_WITH_EMAIL = 'https://shop.test/orders?email=jane.doe%40mailbox.test';
const CALL_REASON = 'Janet Doughnut asks about her parcel, phone +491511234567';
const SECRETS = [URL_WITH_EMAIL, CALL_REASON, 'jane.doe', 'Janet Doughnut', '491511234567'];

function history(customerId: string): CustomerEvent[] {
  return historyOf(
    aTouchpoint('web_visit', { url: URL_WITH_EMAIL, sessionId: 'anon-42' }, { customerId }),
    aTouchpoint(
      'purchase',
      { orderId: 'O-1', amount: { minor: 4999, currency: 'EUR' } },
      { customerId, occurredAt: '2026-01-02T10:00:00.000Z', channel: 'store' },
    ),
    aTouchpoint(
      'call',
      { direction: 'inbound', durationSeconds: 60, reason: CALL_REASON },
      { customerId, occurredAt: '2026-01-03T10:00:00.000Z', channel: 'phone' },
    ),
    aTouchpoint(
      'cancellation',
      { orderId: 'O-1', amount: { minor: 999, currency: 'EUR' }, reason: 'Janet Doughnut moved' },
      { customerId, occurredAt: '2026-01-04T10:00:00.000Z', channel: 'store' },
    ),
  );
}

function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

function viewOf(customerId: string, events: readonly RecordedEvent[]) {
  const domain = events.map(upcastCustomerEvent).filter((e): e is CustomerEvent => !!e);
  return foldProjection(customerViewProjection, customerId, domain);
}

describe('when a customer is erased from an encrypted SQLite store', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: CachingKeyStore;
  let store: EventStore;
  const request = (customerId: string) => ({
    customerId,
    reason: 'ticket GDPR-1',
    requestedAt: '2026-02-01T00:00:00.000Z',
    correlationId: 'corr-erase',
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-erasure-'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
    keys = new CachingKeyStore(new SqliteKeyStore(join(dir, 'keys.sqlite')));
    store = new EncryptingEventStore(raw, keys);
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function recordHistory(customerId: string): Promise<void> {
    await store.append(
      customerStreamName(customerId),
      history(customerId).map((e) => toNewEvent(e)),
      {
        expectedRevision: 'no_stream',
      },
    );
  }

  function scanDataDir(): string[] {
    return readdirSync(dir).flatMap((name) =>
      findValues(name, readFileSync(join(dir, name)), SECRETS).map(
        (f) => `${f.where}: ${f.value} (${f.encoding})`,
      ),
    );
  }

  it('stores only ciphertext for personal fields and reads them back plain', async () => {
    await recordHistory('C-1');
    const stored = await raw.readStream(customerStreamName('C-1'));
    expect(JSON.stringify(stored.map((e) => e.data))).not.toContain('jane.doe');
    expect(stored[1].data).toMatchObject({
      orderId: 'O-1',
      amount: { minor: 4999, currency: 'EUR' },
    });
    expect(scanDataDir()).toEqual([]);

    const read = await store.readStream(customerStreamName('C-1'));
    expect(read[0].data.url).toBe(URL_WITH_EMAIL);
    expect(read[2].data.reason).toBe(CALL_REASON);
    expect((await store.readAll()).map((e) => e.data)).toEqual(read.map((e) => e.data));
    const subscription = store.subscribeToAll();
    const seen: RecordedEvent[] = [];
    for await (const event of subscription) {
      seen.push(event);
      if (seen.length === read.length) break;
    }
    await subscription.close();
    expect(seen.map((e) => e.data)).toEqual(read.map((e) => e.data));
  });

  it('reads the erased fields as erased, keeps the facts, and a replay gives the live view', async () => {
    await recordHistory('C-1');
    await recordHistory('C-2');
    const before = await store.readStream(customerStreamName('C-1'));

    const outcome = await eraseCustomer(store, keys, request('C-1'));
    expect(outcome).toMatchObject({ appended: true, keyDestroyed: true });

    const after = await store.readStream(customerStreamName('C-1'));
    expect(after.map((e) => e.type).at(-1)).toBe('CustomerErased');
    expect(after[0].data).toMatchObject({ url: ERASED_VALUE, sessionId: ERASED_VALUE });
    expect(after[2].data.reason).toBe(ERASED_VALUE);
    expect(after[3].data).toMatchObject({
      reason: ERASED_VALUE,
      amount: { minor: 999, currency: 'EUR' },
    });
    // The other customer keeps their data.
    expect((await store.readStream(customerStreamName('C-2')))[0].data.url).toBe(URL_WITH_EMAIL);

    // Live: the view saw the plain events, then the erasure; replay: placeholders, then erasure.
    const live = viewOf('C-1', [...before, after[after.length - 1]]);
    const replayed = viewOf('C-1', after);
    expect(replayed).toEqual(live);
    expect(JSON.stringify(live)).not.toMatch(/jane\.doe|Janet|491511234567|anon-42/);
    expect(live.erasedAt).toBe('2026-02-01T00:00:00.000Z');
    const plainView = viewOf('C-1', before);
    expect(live.netRevenue).toEqual(plainView.netRevenue);
    expect(live.orders).toEqual(plainView.orders);
    expect(live.touchpointCount).toBe(plainView.touchpointCount);

    expect(await checkErasure(raw, keys, 'C-1')).toMatchObject({ erased: true, problems: [] });
    expect((await checkErasure(raw, keys, 'C-2')).erased).toBe(false);
  });

  it('finishes an erasure that stopped between the key and the event, with one event only', async () => {
    await recordHistory('C-1');
    const failing = new EncryptingEventStore(raw, keys);
    failing.append = async () => {
      throw new Error('killed before the erasure event was appended');
    };
    await expect(eraseCustomer(failing, keys, request('C-1'))).rejects.toThrow('killed');
    // The key is gone already: nothing personal can be read, but the event is missing.
    expect((await store.readStream(customerStreamName('C-1')))[0].data.url).toBe(ERASED_VALUE);
    expect((await checkErasure(raw, keys, 'C-1')).problems).toEqual([
      'the stream holds no CustomerErased event',
    ]);

    const resumed = await eraseCustomer(store, keys, request('C-1'));
    expect(resumed).toMatchObject({ appended: true, keyDestroyed: false });
    const again = await eraseCustomer(store, keys, request('C-1'));
    expect(again).toMatchObject({ appended: false, keyDestroyed: false });
    const types = (await raw.readStream(customerStreamName('C-1'))).map((e) => e.type);
    expect(types.filter((t) => t === 'CustomerErased')).toHaveLength(1);
    expect(await checkErasure(raw, keys, 'C-1')).toMatchObject({ erased: true });
  });

  it('records touchpoints after the erasure without their personal fields, keeping the facts', async () => {
    await recordHistory('C-1');
    await eraseCustomer(store, keys, request('C-1'));
    const later = historyOf(
      aTouchpoint(
        'web_visit',
        { url: 'https://shop.test/new?email=jane.doe%40mailbox.test' },
        { customerId: 'C-1', touchpointId: 'late-1' },
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-2', amount: { minor: 1_500, currency: 'EUR' } },
        { customerId: 'C-1', touchpointId: 'late-2' },
      ),
    );
    await store.append(customerStreamName('C-1'), later.map(toNewEvent), {
      expectedRevision: 'any',
    });
    const stored = await raw.readStream(customerStreamName('C-1'));
    expect(stored.at(-2)!.data.url).toBe(ERASED_VALUE);
    expect(stored.at(-1)!.data.amount).toEqual({ minor: 1_500, currency: 'EUR' });
    const read = await store.readStream(customerStreamName('C-1'));
    expect(read[0].data.url).toBe(ERASED_VALUE);
    expect(read.at(-2)!.data.url).toBe(ERASED_VALUE);
    expect(scanDataDir()).toEqual([]);
    expect(await checkErasure(raw, keys, 'C-1')).toMatchObject({ erased: true, problems: [] });
  });

  it('refuses an erasure without a reason, or of a customer it does not know', async () => {
    await expect(eraseCustomer(store, keys, { ...request('C-1'), reason: ' ' })).rejects.toThrow(
      'reason',
    );
    await expect(eraseCustomer(store, keys, request('C-nobody'))).rejects.toThrow(
      'no events have been recorded for customer C-nobody',
    );
  });
});
