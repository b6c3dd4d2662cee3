import {
  describeIfAvailable,
  EventStoreDbStandIn,
  eventStoreDbAvailability,
} from '@rapport/test-support';
import { describeEventStoreContract } from '../testing';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

describeIfAvailable('EventStoreDbEventStore', eventStoreDbAvailability(), (connectionString) => {
  describeEventStoreContract(
    () => ({ factory: async () => new EventStoreDbEventStore({ connectionString }) }),
    { writesStreamsApart: true },
  );
});

describe('EventStoreDbEventStore identity (gRPC stand-in)', () => {
  it('is shared by every client of one server, and new on a recreated server', async () => {
    const first = await EventStoreDbStandIn.start({ host: '127.0.0.1', port: 0 });
    const clients = [1, 2, 3].map(
      () => new EventStoreDbEventStore({ connectionString: first.connectionString }),
    );
    let id: string;
    try {
      const ids = await Promise.all(clients.map((client) => client.identity()));
      id = ids[0];
      expect(new Set(ids)).toEqual(new Set([id]));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await first.stop();
    }
    const recreated = await EventStoreDbStandIn.start({ host: '127.0.0.1', port: 0 });
    const client = new EventStoreDbEventStore({ connectionString: recreated.connectionString });
    try {
      expect(await client.identity()).not.toBe(id);
    } finally {
      await client.close();
      await recreated.stop();
    }
  }, 60_000);
});
