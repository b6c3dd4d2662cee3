import type { CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  customerViewProjection,
  foldProjection,
  staleMarkOf,
  type Projection,
} from '@rapport/projections';
import type { StoredRecord } from '@rapport/read-store';
import { evolveOrPark, UnreadableEvent, type ProjectorEvent } from './evolve-or-park';

const VIEW = customerViewProjection as Projection<unknown>;

function history(): CustomerEvent[] {
  return historyOf(
    aTouchpoint('web_visit', { url: '/a' }, { occurredAt: '2026-03-01T10:00:00.000Z' }),
    aTouchpoint(
      'purchase',
      { orderId: 'O-1', amount: { minor: 4999, currency: 'EUR' } },
      { occurredAt: '2026-03-02T10:00:00.000Z' },
    ),
    aTouchpoint('web_visit', { url: '/b' }, { occurredAt: '2026-03-03T10:00:00.000Z' }),
    aTouchpoint('web_visit', { url: '/c' }, { occurredAt: '2026-03-04T10:00:00.000Z' }),
  );
}

/** The purchase as a writer without validation stored it: no amount. */
function withoutAmount(event: CustomerEvent): CustomerEvent {
  const { amount: _amount, ...data } = event.data as { amount?: unknown };
  return { ...event, data } as unknown as CustomerEvent;
}

const positions = (n: number, from = 10n) => Array.from({ length: n }, (_, i) => from + BigInt(i));

/** The events given in batches of `size`, each applied to the record the last one wrote. */
function inBatches(events: readonly ProjectorEvent[], size: number) {
  const at = positions(events.length);
  let record: StoredRecord<unknown> | undefined;
  const parked = [];
  for (let from = 0; from < events.length; from += size) {
    const outcome = evolveOrPark(
      VIEW,
      'C-1',
      record,
      events.slice(from, from + size),
      at.slice(from, from + size),
    );
    record = outcome.record ?? record;
    if (outcome.parked) parked.push(outcome.parked);
  }
  return {
    record: JSON.parse(JSON.stringify(record?.value)) as unknown,
    position: record?.position,
    parked,
  };
}

describe('evolveOrPark', () => {
  describe('when every event applies', () => {
    it('folds them as the projection does', () => {
      const events = history();
      const outcome = evolveOrPark(VIEW, 'C-1', undefined, events, positions(events.length));
      expect(outcome.parked).toBeUndefined();
      expect(outcome.record).toEqual({
        key: 'C-1',
        position: 13n,
        value: foldProjection(customerViewProjection, 'C-1', events),
      });
    });
  });

  describe('when the projection cannot apply an event', () => {
    it('keeps the view before it, marked stale with the position, type and error', () => {
      const events = history();
      events[1] = withoutAmount(events[1]);
      const outcome = evolveOrPark(VIEW, 'C-1', undefined, events, positions(events.length));

      expect(outcome.record?.position).toBe(13n);
      const { stale, ...view } = outcome.record?.value as { stale: unknown };
      expect(view).toEqual(foldProjection(customerViewProjection, 'C-1', events.slice(0, 1)));
      expect(stale).toEqual({
        position: '11',
        eventType: 'PurchaseCompleted',
        error: expect.stringContaining("reading 'currency'") as unknown,
        eventsNotApplied: 2,
      });
      expect(outcome.parked).toEqual({
        customerId: 'C-1',
        projection: 'customer-view',
        position: '11',
        eventType: 'PurchaseCompleted',
        error: expect.stringContaining("reading 'currency'") as unknown,
      });
    });

    it('parks at the same event with the same view however the events are batched', () => {
      const events = history();
      events[1] = withoutAmount(events[1]);
      const whole = inBatches(events, 4);
      for (const size of [1, 2, 3]) {
        const batched = inBatches(events, size);
        expect(batched.record).toEqual(whole.record);
        expect(batched.position).toBe(whole.position);
        // Parked once, by the batch that met the event; later batches only count.
        expect(batched.parked).toHaveLength(1);
      }
    });
  });

  describe('when an event could not be read', () => {
    it('parks the customer at it with the reason the upcast gave', () => {
      const events: ProjectorEvent[] = history();
      events[2] = new UnreadableEvent('WebVisitRecorded', 'schema version 9 is newer');
      const outcome = evolveOrPark(VIEW, 'C-1', undefined, events, positions(events.length));
      expect(staleMarkOf(outcome.record?.value)).toEqual({
        position: '12',
        eventType: 'WebVisitRecorded',
        error: 'schema version 9 is newer',
        eventsNotApplied: 1,
      });
      expect(outcome.parked?.position).toBe('12');
    });
  });

  describe('when the customer is parked already', () => {
    it('applies nothing, counts the events, and does not park again', () => {
      const events = history();
      events[0] = withoutAmount({ ...events[1], data: { ...events[1].data } } as CustomerEvent);
      const first = evolveOrPark(VIEW, 'C-1', undefined, events.slice(0, 1), [10n]);
      const later = evolveOrPark(VIEW, 'C-1', first.record, events.slice(1), [11n, 12n, 13n]);
      expect(later.parked).toBeUndefined();
      expect(later.record?.position).toBe(13n);
      expect(staleMarkOf(later.record?.value)).toMatchObject({
        position: '10',
        eventsNotApplied: 3,
      });
      // Delivered again (after a crash): nothing more is counted.
      expect(evolveOrPark(VIEW, 'C-1', later.record, events.slice(1), [11n, 12n, 13n])).toEqual({});
    });
  });
});
