import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryReadStore } from './memory.read-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A full collection, so that heap figures count what is live, not garbage not yet collected. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Memory figures once collection has settled. Array buffers that died earlier are freed by a
 * sweeper after the collection, off the main thread: after one collection alone they can
 * still be counted, and then be freed inside the stretch being measured.
 */
async function settledMemoryUsage(): Promise<NodeJS.MemoryUsage> {
  for (let round = 0; round < 3; round += 1) {
    collectGarbage();
    await sleep(20);
  }
  return process.memoryUsage();
}

/**
 * A measurement of the process's memory (full collections, real time for the sweeper): apart
 * from the unit tier, whose specs share a worker's heap and must not wait on real time.
 */
describe('MemoryReadStore keeping records as text from their write on', () => {
  it('then the text is held outside the V8 heap', async () => {
    const store = new MemoryReadStore({ coldAfterMs: 0, coldMinRecords: 0 });
    const before = await settledMemoryUsage();
    const filler = 'x'.repeat(50_000);
    for (let i = 0; i < 1_000; i += 1)
      await store.putMany('c', [{ key: `C-${i}`, position: 1n, value: { i, filler } }]);
    const after = await settledMemoryUsage();
    // 50 MB of text: all of it in array buffers, next to none of it on the heap.
    expect(after.arrayBuffers - before.arrayBuffers).toBeGreaterThan(45e6);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(20e6);
    expect((await store.get<{ i: number }>('c', 'C-999'))!.value.i).toBe(999);
    await store.close();
    // Six full collections and 50 MB written: seconds on a loaded machine (hit 5 s once).
  }, 60_000);
});

describe('MemoryReadStore replacing a live record', () => {
  it('lets go of the replaced value at once, not when the entry would have gone cold', async () => {
    const store = new MemoryReadStore({ coldAfterMs: 30_000, coldMinRecords: 0 });
    let first: { readonly version: number } | undefined = { version: 1 };
    const replaced = new WeakRef(first);
    await store.putMany('c', [{ key: 'C-1', position: 1n, value: first }]);
    first = undefined;
    await store.putMany('c', [{ key: 'C-1', position: 2n, value: { version: 2 } }]);
    await settledMemoryUsage();
    expect(replaced.deref()).toBeUndefined();
    expect((await store.get<{ version: number }>('c', 'C-1'))!.value.version).toBe(2);
    await store.close();
  }, 60_000);
});
