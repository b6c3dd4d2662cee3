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
});
