import { aTouchpoint } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { openRecording } from './open-recording';
import { RecordTouchpointsCommand } from './record-touchpoints.command';

describe('the write path outside an app', () => {
  it('records through the CommandBus, in the order given, and a repeat is a duplicate', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const recording = await openRecording(store);
    try {
      const touchpoints = [
        aTouchpoint('web_visit', { url: '/' }, { customerId: 'A', touchpointId: 'a1' }),
        aTouchpoint('web_visit', { url: '/' }, { customerId: 'B', touchpointId: 'b1' }),
        aTouchpoint('web_visit', { url: '/' }, { customerId: 'A', touchpointId: 'a2' }),
      ];
      const context = { ingestedAt: '2026-03-01T00:00:00.000Z', correlationId: 'spec' };
      const first = await recording.commandBus.execute(
        new RecordTouchpointsCommand(touchpoints, context),
      );
      expect(first.items.map((i) => i.status)).toEqual(['recorded', 'recorded', 'recorded']);
      expect(first.items[0].position).toBe(first.items[2].position);
      const head = await store.headPosition();
      expect(first.position).toBe(head);
      const again = await recording.commandBus.execute(
        new RecordTouchpointsCommand(touchpoints, context),
      );
      expect(again.items.map((i) => i.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect(await store.headPosition()).toBe(head);
    } finally {
      await recording.close();
      await store.close();
    }
  });

  it('answers each touchpoint with its outcome, its customer and its position, whatever the outcome', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const recording = await openRecording(store);
    try {
      const context = { ingestedAt: '2026-03-01T00:00:00.000Z', correlationId: 'spec' };
      const visit = (customerId: string, touchpointId: string) =>
        aTouchpoint('web_visit', { url: '/' }, { customerId, touchpointId });
      const first = await recording.commandBus.execute(
        new RecordTouchpointsCommand([visit('A', 'a1')], context),
      );
      const { items } = await recording.commandBus.execute(
        new RecordTouchpointsCommand(
          [visit('B', 'a1'), visit('A', 'a1'), visit('A', 'a2')],
          context,
        ),
      );
      const eventId = expect.stringMatching(/^[0-9a-f-]{36}$/);
      const headOfA = items[2].position;
      expect(items).toEqual([
        {
          status: 'rejected',
          code: 'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER',
          reason: expect.stringContaining('a1'),
          firstCustomerId: 'A',
          position: -1n,
          customerId: 'B',
        },
        {
          status: 'duplicate',
          eventId: first.items[0].status === 'recorded' ? first.items[0].eventId : '',
          position: headOfA,
          customerId: 'A',
        },
        { status: 'recorded', eventId, position: headOfA, customerId: 'A' },
      ]);
      expect(headOfA).toBeGreaterThan(first.position);
    } finally {
      await recording.close();
      await store.close();
    }
  });
});
