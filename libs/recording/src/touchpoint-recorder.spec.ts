import { customerStreamName, eventIdFor } from '@rapport/domain';
import { aTouchpoint } from '@rapport/domain/testing';
import {
  EventStoreUnavailableError,
  SqliteEventStore,
  type AppendRequest,
  type EventStore,
} from '@rapport/event-store';
import { CustomerStateCache } from './customer-state.cache';
import { TouchpointRecorder, toNewEvent } from './touchpoint-recorder';

const context = { ingestedAt: '2026-11-27T12:00:00.000Z', correlationId: 'req-1' };
const eur = (minor: number) => ({ minor, currency: 'EUR' });

describe('TouchpointRecorder', () => {
  let store: SqliteEventStore;
  let recorder: TouchpointRecorder;
  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
    recorder = new TouchpointRecorder(store, new CustomerStateCache());
  });
  afterEach(() => store.close());

  describe("when a customer's stored history cannot be read back", () => {
    it('refuses that customer’s touchpoints with the reason and records everyone else’s', async () => {
      // A purchase without its amount, written past the edge (a hand edit, an older writer).
      await store.append(
        customerStreamName('C-bad'),
        [
          {
            id: eventIdFor('pos', 'poison-1'),
            type: 'PurchaseCompleted',
            data: { touchpointId: 'poison-1', orderId: 'O-9', customerId: 'C-bad', items: [] },
            metadata: {
              schemaVersion: 1,
              source: 'pos',
              ingestedAt: context.ingestedAt,
              correlationId: 'x',
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const visit = (customerId: string) =>
        aTouchpoint('web_visit', { url: 'https://x' }, { customerId, source: 'web' });
      const [bad, good] = await recorder.record(
        [
          { customerId: 'C-bad', touchpoints: [visit('C-bad')] },
          { customerId: 'C-good', touchpoints: [visit('C-good')] },
        ],
        context,
      );
      expect(bad.outcomes).toEqual([
        {
          status: 'rejected',
          code: 'CUSTOMER_HISTORY_UNREADABLE',
          reason: expect.stringContaining('stored history of customer C-bad cannot be read back'),
        },
      ]);
      expect(good.outcomes).toEqual([expect.objectContaining({ status: 'recorded' })]);
      expect(await store.readStream(customerStreamName('C-bad'))).toHaveLength(1);
    });
  });

  describe('when touchpoints of several customers arrive in one batch', () => {
    it('appends each customer’s events to its own stream with deterministic ids', async () => {
      const a = aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: eur(100) },
        { customerId: 'C-a', source: 'pos' },
      );
      const b = aTouchpoint(
        'web_visit',
        { url: 'https://x' },
        { customerId: 'C-b', source: 'web' },
      );
      const [ra, rb] = await recorder.record(
        [
          { customerId: 'C-a', touchpoints: [a] },
          { customerId: 'C-b', touchpoints: [b] },
        ],
        context,
      );
      expect(ra.outcomes).toEqual([
        { status: 'recorded', eventId: eventIdFor('pos', a.touchpointId) },
      ]);
      expect(rb.outcomes).toEqual([
        { status: 'recorded', eventId: eventIdFor('web', b.touchpointId) },
      ]);
      const [stored] = await store.readStream(customerStreamName('C-a'));
      expect(stored).toMatchObject({
        id: eventIdFor('pos', a.touchpointId),
        type: 'PurchaseCompleted',
        revision: 0n,
      });
      expect(stored.metadata).toEqual({
        schemaVersion: 1,
        source: 'pos',
        ingestedAt: context.ingestedAt,
        correlationId: 'req-1',
      });
      expect(ra.position).toBe(stored.position);
    });

    it('rejects only the item that breaks a rule and records the rest, in order', async () => {
      const buy = aTouchpoint('purchase', { orderId: 'O-1', amount: eur(100) });
      const badCancel = aTouchpoint('cancellation', { orderId: 'O-2' });
      const goodCancel = aTouchpoint('cancellation', { orderId: 'O-1' });
      const [result] = await recorder.record(
        [{ customerId: 'C-1', touchpoints: [buy, badCancel, goodCancel] }],
        context,
      );
      expect(result.outcomes.map((o) => o.status)).toEqual(['recorded', 'rejected', 'recorded']);
      expect(result.outcomes[1]).toMatchObject({ code: 'ORDER_NOT_FOUND' });
      expect((await store.readStream('customer-C-1')).map((e) => e.type)).toEqual([
        'PurchaseCompleted',
        'OrderCancelled',
      ]);
    });
  });

  describe('when a touchpoint is delivered again', () => {
    it('answers duplicate and appends nothing, also after a restart (empty cache)', async () => {
      const tp = aTouchpoint('web_visit', { url: 'https://x' });
      const [first] = await recorder.record([{ customerId: 'C-1', touchpoints: [tp] }], context);
      const fresh = new TouchpointRecorder(store, new CustomerStateCache());
      const [again] = await fresh.record([{ customerId: 'C-1', touchpoints: [tp, tp] }], context);
      expect(again.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
      expect(again.position).toBe(first.position);
      expect(await store.readStream('customer-C-1')).toHaveLength(1);
    });
  });

  describe('when calls for the same customer overlap', () => {
    it('decides the later call on the state the earlier one left, reading the stream once', async () => {
      const reads = jest.spyOn(store, 'readStream');
      const buy = aTouchpoint('purchase', { orderId: 'O-1', amount: eur(100) });
      const cancel = aTouchpoint('cancellation', { orderId: 'O-1' });
      const [[bought], [cancelled]] = await Promise.all([
        recorder.record([{ customerId: 'C-1', touchpoints: [buy] }], context),
        recorder.record([{ customerId: 'C-1', touchpoints: [cancel] }], context),
      ]);
      expect(bought.outcomes.map((o) => o.status)).toEqual(['recorded']);
      expect(cancelled.outcomes.map((o) => o.status)).toEqual(['recorded']);
      expect(reads).toHaveBeenCalledTimes(1);
    });
  });

  describe('when another writer appends to the stream meanwhile', () => {
    it('decides again on the new state instead of overwriting it', async () => {
      const buy = aTouchpoint('purchase', { orderId: 'O-1', amount: eur(100) });
      await recorder.record([{ customerId: 'C-1', touchpoints: [buy] }], context);
      // Another instance cancels the order behind this recorder's (now stale) cache.
      const otherCancel = aTouchpoint('cancellation', { orderId: 'O-1' }, { source: 'crm' });
      await new TouchpointRecorder(store, new CustomerStateCache()).record(
        [{ customerId: 'C-1', touchpoints: [otherCancel] }],
        context,
      );

      const myCancel = aTouchpoint('cancellation', { orderId: 'O-1' }, { source: 'pos' });
      const [result] = await recorder.record(
        [{ customerId: 'C-1', touchpoints: [myCancel] }],
        context,
      );
      expect(result.outcomes).toEqual([
        expect.objectContaining({ status: 'rejected', code: 'ORDER_ALREADY_CANCELLED' }),
      ]);
      expect(await store.readStream('customer-C-1')).toHaveLength(2);
    });

    it('gives up with a retryable error when the stream never stops moving', async () => {
      const racing = racingStore(store);
      const busy = new TouchpointRecorder(racing, new CustomerStateCache());
      await expect(
        busy.record(
          [{ customerId: 'C-1', touchpoints: [aTouchpoint('web_visit', { url: 'https://x' })] }],
          context,
        ),
      ).rejects.toMatchObject({ code: 'CONCURRENCY_RETRIES_EXHAUSTED', retryable: true });
    });
  });

  describe('when the event store is down', () => {
    it('lets the retryable outage through, records nothing and keeps no stale state', async () => {
      const down: EventStore = Object.assign(Object.create(store) as EventStore, {
        appendMany: async () => {
          throw new EventStoreUnavailableError('disk gone');
        },
      });
      const tp = aTouchpoint('web_visit', { url: 'https://x' });
      await expect(
        new TouchpointRecorder(down, new CustomerStateCache()).record(
          [{ customerId: 'C-1', touchpoints: [tp] }],
          context,
        ),
      ).rejects.toMatchObject({
        retryable: true,
      });
      expect(await store.readStream('customer-C-1')).toEqual([]);
    });
  });
});

/** A store where some other writer always appends to the stream just before us. */
function racingStore(store: SqliteEventStore): EventStore {
  let n = 0;
  return Object.assign(Object.create(store) as EventStore, {
    appendMany: async (requests: readonly AppendRequest[]) => {
      for (const request of requests) {
        const intruder = aTouchpoint(
          'web_visit',
          { url: `https://intruder/${n++}` },
          { source: 'other' },
        );
        const event = toNewEvent({
          type: 'WebVisitRecorded',
          data: {
            customerId: 'C-1',
            touchpointId: intruder.touchpointId,
            occurredAt: intruder.occurredAt,
            channel: 'web',
            url: 'https://i',
          },
          metadata: {
            schemaVersion: 1,
            source: 'other',
            ingestedAt: context.ingestedAt,
            correlationId: 'x',
          },
        });
        await store.append(request.streamName, [event], { expectedRevision: 'any' });
      }
      return store.appendMany(requests);
    },
  });
}
