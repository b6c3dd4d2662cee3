import { describeIfAvailable, eventStoreDbAvailability } from '@rapport/test-support';
import { describeEventStoreContract } from '../testing';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

describeIfAvailable('EventStoreDbEventStore', eventStoreDbAvailability(), (connectionString) => {
  describeEventStoreContract(() => ({
    factory: async () => new EventStoreDbEventStore({ connectionString }),
  }));
});
