import type { EventStore } from '@rapport/event-store';
import { MemoryReadStore, ViewGenerations } from '@rapport/read-store';
import { checkStoreBinding, describeBindingProblems } from './store-binding';

/** Only what the check asks of an event store. */
function eventStore(id: string, head: bigint): EventStore {
  return { identity: async () => id, headPosition: async () => head } as unknown as EventStore;
}

describe('checkStoreBinding', () => {
  let readStore: MemoryReadStore;
  let generations: ViewGenerations;
  beforeEach(() => {
    readStore = new MemoryReadStore();
    generations = new ViewGenerations(readStore, { cacheMs: 0 });
  });
  afterEach(() => readStore.close());

  const check = (head = 10n, id = 'store-a') => checkStoreBinding(eventStore(id, head), readStore);

  it('finds a new read store bound to nothing and nothing wrong with it', async () => {
    expect(await check()).toMatchObject({
      state: 'bound',
      eventStore: { id: 'store-a', head: 10n },
      checkpoints: [{ checkpoint: 'projector', position: -1n }],
      problems: [],
    });
  });

  it('takes a checkpoint of this store within its head as bound, up to the head itself', async () => {
    await readStore.putBinding('projector', 'store-a');
    await readStore.putCheckpoint('projector', 10n);
    expect((await check()).state).toBe('bound');
  });

  it('says unrecorded for positions without a store, and mismatch once they pass the head', async () => {
    await readStore.putCheckpoint('projector', 10n);
    expect((await check(10n)).state).toBe('unrecorded');
    const beyond = await check(9n);
    expect(beyond.state).toBe('mismatch');
    expect(beyond.problems).toEqual([
      { checkpoint: 'projector', position: 10n, reason: 'beyond-head' },
    ]);
  });

  it('names the other store and its position, and this store and its head', async () => {
    await readStore.putBinding('projector', 'store-b');
    await readStore.putCheckpoint('projector', 200n);
    const report = await check(57n);
    expect(report.state).toBe('mismatch');
    expect(describeBindingProblems(report)).toBe(
      'checkpoint "projector" was built from event store store-b up to position 200, not from ' +
        'this event store store-a (head 57)',
    );
  });

  it('does not hold a checkpoint with nothing applied against the store it was bound to', async () => {
    await readStore.putBinding('projector', 'store-b');
    await readStore.putCheckpoint('projector', -1n);
    expect((await check()).state).toBe('bound');
  });

  it('checks the active generation and its pointer, not generation 0', async () => {
    await readStore.putBinding('projector', 'store-a');
    await readStore.putCheckpoint('projector', 5n);
    await generations.switchTo('customer-view', 2);
    await readStore.putBinding(ViewGenerations.pointerCheckpoint('customer-view'), 'store-b');
    await readStore.putBinding(ViewGenerations.buildCheckpoint('customer-view', 2), 'store-a');
    await readStore.putCheckpoint(ViewGenerations.buildCheckpoint('customer-view', 2), 11n);
    const report = await check(10n);
    expect(report.problems).toEqual([
      {
        checkpoint: 'projection-pointer:customer-view',
        position: -1n,
        eventStoreId: 'store-b',
        reason: 'other-store',
      },
      {
        checkpoint: 'projection-build:customer-view@g2',
        position: 11n,
        eventStoreId: 'store-a',
        reason: 'beyond-head',
      },
    ]);
  });
});
