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

  describe('when some events are applied already or not handled', () => {
    /** Which events it was given, by touchpoint and position: purchases only. */
    const purchasesSeen: Projection<string[]> = {
      name: 'purchases-seen',
      version: 1,
      canHandle: (event) => event.type === 'PurchaseCompleted',
      initialState: () => [],
      evolve: (seen, event, position) => [...seen, `${event.data.touchpointId}@${position}`],
    };
    const purchase = (touchpointId: string) =>
      aTouchpoint(
        'purchase',
        { orderId: `O-${touchpointId}`, amount: { minor: 100, currency: 'EUR' } },
        { touchpointId },
      );
    const visit = (touchpointId: string) =>
      aTouchpoint('web_visit', { url: '/' }, { touchpointId });

    it('applies only the others, in order, each with its position, and ends at the last', () => {
      const events = historyOf(
        purchase('a'),
        visit('b'),
        purchase('c'),
        purchase('d'),
        visit('e'),
        purchase('f'),
      );
      const stored = { key: 'C-1', position: 12n, value: ['c@12'] };
      const outcome = evolveOrPark(
        purchasesSeen as Projection<unknown>,
        'C-1',
        stored,
        events,
        positions(events.length),
      );
      expect(outcome.record).toEqual({
        key: 'C-1',
        position: 15n,
        value: ['c@12', 'd@13', 'f@15'],
      });
    });

    it('applies an event delivered twice in the batch once', () => {
      const events = historyOf(purchase('a'), purchase('b'), purchase('c'));
      const outcome = evolveOrPark(
        purchasesSeen as Projection<unknown>,
        'C-1',
        undefined,
        [events[0], events[1], events[1], events[2]],
        [10n, 11n, 11n, 12n],
      );
      expect(outcome.record?.value).toEqual(['a@10', 'b@11', 'c@12']);
    });

    it('writes nothing when every event is applied already or not handled', () => {
      const events = historyOf(purchase('a'), visit('b'));
      const stored = { key: 'C-1', position: 10n, value: ['a@10'] };
      expect(
        evolveOrPark(purchasesSeen as Projection<unknown>, 'C-1', stored, events, [10n, 11n]),
      ).toEqual({});
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
