import { describeReadStoreContract } from '../testing';
import { MemoryReadStore } from './memory.read-store';

describe('MemoryReadStore', () => {
  describeReadStoreContract(() => ({ factory: async () => new MemoryReadStore() }));

  describe('with every record kept as JSON text', () => {
    describeReadStoreContract(() => ({
      factory: async () => new MemoryReadStore({ coldAfterMs: 0, coldMinRecords: 0 }),
    }));
  });

  describe('when records are left alone for the cold delay', () => {
    // The cold delay is a timer: the tests move a fake clock instead of sleeping.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());
    const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

    const view = (n: number) => ({
      customerId: `C-${n}`,
      orders: [{ orderId: 'O-1', amount: { minor: 4999, currency: 'EUR' } }],
      lastTouchpoint: null,
      tags: ['a', 'b'],
    });

    it('then every kind of read returns what was written, as a copy nobody else holds', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 20, coldMinRecords: 2 });
      const written = [view(1), view(2)];
      await store.putMany('c', [
        { key: 'C-1', position: 1n, value: written[0] },
        { key: 'C-2', position: 2n, value: written[1] },
      ]);
      await sleep(60);
      for (const options of [undefined, { shared: true }, { forUpdate: true }]) {
        const read = await store.get<ReturnType<typeof view>>('c', 'C-1', options);
        expect(read).toEqual({ key: 'C-1', position: 1n, value: written[0] });
        expect(read!.value).not.toBe(written[0]);
        read!.value.tags.push('changed');
      }
      expect((await store.get('c', 'C-1'))!.value).toEqual(view(1));
      expect((await store.list('c', { limit: 10 })).records.map((r) => r.value)).toEqual([
        view(1),
        view(2),
      ]);
      await store.close();
    });

    it('then a record written again is live until it has been left alone again', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 30, coldMinRecords: 1 });
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: view(1) }]);
      await sleep(50);
      const next = view(2);
      await store.putMany('c', [{ key: 'C-1', position: 2n, value: next }]);
      expect((await store.get('c', 'C-1', { forUpdate: true }))!.value).toBe(next);
      await sleep(60);
      expect((await store.get('c', 'C-1', { forUpdate: true }))!.value).not.toBe(next);
      expect((await store.get('c', 'C-1'))!.value).toEqual(view(2));
      await store.close();
    });

    it('then counts each record as held in one form: objects until written out, then text', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 20, coldMinRecords: 2 });
      await store.putMany('c', [
        { key: 'C-1', position: 1n, value: view(1) },
        { key: 'C-2', position: 2n, value: view(2) },
        { key: 'C-3', position: 3n, value: view(3) },
      ]);
      await store.putMany('c', [{ key: 'C-3', position: 4n, value: view(3) }]);
      expect(store.heldRecords()).toEqual({ objects: 3, text: 0 });
      await sleep(70);
      expect(store.heldRecords()).toEqual({ objects: 0, text: 3 });
      await store.putMany('c', [{ key: 'C-1', position: 5n, value: view(1) }]);
      await store.putMany('small', [{ key: 'snapshot', position: 1n, value: view(9) }]);
      expect(store.heldRecords()).toEqual({ objects: 2, text: 2 });
      await store.dropCollection('c');
      expect(store.heldRecords()).toEqual({ objects: 1, text: 0 });
      await store.close();
    });

    it('then a collection of fewer records than the minimum keeps them live', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 10, coldMinRecords: 3 });
      const snapshot = view(1);
      await store.putMany('insights', [{ key: 'snapshot', position: 1n, value: snapshot }]);
      await sleep(40);
      expect((await store.get('insights', 'snapshot', { forUpdate: true }))!.value).toBe(snapshot);
      await store.close();
    });

    it('then a collection that grows past the minimum has its older records go cold too', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 10, coldMinRecords: 2 });
      const first = view(1);
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: first }]);
      await sleep(25);
      await store.putMany('c', [{ key: 'C-2', position: 2n, value: view(2) }]);
      await sleep(40);
      const read = (await store.get('c', 'C-1', { forUpdate: true }))!.value;
      expect(read).not.toBe(first);
      expect(read).toEqual(first);
      await store.close();
    });
  });

  describe('when records are kept as text from their write on', () => {
    it("counts them as text, and a small collection's as objects until it grows", async () => {
      const store = new MemoryReadStore({ coldAfterMs: 0, coldMinRecords: 2 });
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: { n: 1 } }]);
      expect(store.heldRecords()).toEqual({ objects: 1, text: 0 });
      await store.putMany('c', [{ key: 'C-2', position: 2n, value: { n: 2 } }]);
      expect(store.heldRecords()).toEqual({ objects: 0, text: 2 });
      await store.close();
    });

    it('then text in any script comes back as written', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 0, coldMinRecords: 0 });
      const value = { name: 'Zoë Ångström-Łukasiewicz', city: '東京', note: '🛒 ✓', empty: '' };
      await store.putMany('c', [{ key: 'C-ü', position: 1n, value }]);
      expect((await store.get('c', 'C-ü'))!.value).toEqual(value);
      await store.close();
    });

    it('then the write that makes a collection large writes out those kept live until then', async () => {
      const store = new MemoryReadStore({ coldAfterMs: 0, coldMinRecords: 2 });
      const first = { customerId: 'C-1', tags: ['a'] };
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: first }]);
      expect((await store.get('c', 'C-1', { forUpdate: true }))!.value).toBe(first);
      await store.putMany('c', [{ key: 'C-2', position: 2n, value: { customerId: 'C-2' } }]);
      const read = (await store.get('c', 'C-1', { forUpdate: true }))!.value;
      expect(read).not.toBe(first);
      expect(read).toEqual(first);
      expect((await store.get('c', 'C-2'))!.value).toEqual({ customerId: 'C-2' });
      await store.close();
    });
  });

  describe('when the projector reads for update', () => {
    it('then it gets the value it wrote, neither copied nor frozen', async () => {
      const store = new MemoryReadStore();
      const value = { list: [1], nested: { n: 1 } };
      await store.putMany('c', [{ key: 'C-1', position: 1n, value }]);
      const read = await store.getMany('c', ['C-1'], { forUpdate: true });
      expect(read.get('C-1')).toEqual({ key: 'C-1', position: 1n, value });
      expect(read.get('C-1')!.value).toBe(value);
      expect(Object.isFrozen(value)).toBe(false);
    });
  });

  describe('when a value is shared after it was written unfrozen', () => {
    it('then what the shared read hands out is frozen all the way down', async () => {
      const store = new MemoryReadStore();
      await store.putMany('c', [
        { key: 'C-1', position: 1n, value: { list: [{ n: 1 }], nested: { n: 1 } } },
      ]);
      const shared = (
        await store.getMany<{ list: { n: number }[]; nested: { n: number } }>('c', ['C-1'], {
          shared: true,
        })
      ).get('C-1')!.value;
      expect(Object.isFrozen(shared)).toBe(true);
      expect(Object.isFrozen(shared.list)).toBe(true);
      expect(Object.isFrozen(shared.list[0])).toBe(true);
      expect(Object.isFrozen(shared.nested)).toBe(true);
      expect(() => shared.list.push({ n: 2 })).toThrow(TypeError);
    });

    it('then a single shared get hands it out frozen as getMany does', async () => {
      const store = new MemoryReadStore();
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: { nested: { n: 1 } } }]);
      const shared = (await store.get<{ nested: { n: number } }>('c', 'C-1', { shared: true }))!
        .value;
      expect(Object.isFrozen(shared.nested)).toBe(true);
      expect((await store.get('c', 'C-1', { shared: true }))!.value).toBe(shared);
    });

    it('then a shared list hands out the value a shared get does, uncopied', async () => {
      const store = new MemoryReadStore();
      await store.putMany('c', [{ key: 'C-1', position: 1n, value: { nested: { n: 1 } } }]);
      const listed = (await store.list<{ nested: { n: number } }>('c', { limit: 1, shared: true }))
        .records[0].value;
      expect(Object.isFrozen(listed.nested)).toBe(true);
      expect((await store.get('c', 'C-1', { shared: true }))!.value).toBe(listed);
    });

    it('then a value evolved from it freezes its new parts and keeps the shared ones', async () => {
      const store = new MemoryReadStore();
      await store.putMany('c', [
        { key: 'C-1', position: 1n, value: { kept: { n: 1 }, list: [1] } },
      ]);
      const first = (
        await store.getMany<{ kept: { n: number }; list: number[] }>('c', ['C-1'], {
          shared: true,
        })
      ).get('C-1')!.value;
      const base = (await store.getMany<typeof first>('c', ['C-1'], { forUpdate: true })).get(
        'C-1',
      )!.value;
      await store.putMany('c', [
        { key: 'C-1', position: 2n, value: { kept: base.kept, list: [...base.list, 2] } },
      ]);
      const second = (await store.getMany<typeof first>('c', ['C-1'], { shared: true })).get(
        'C-1',
      )!.value;
      expect(second.kept).toBe(first.kept);
      expect(Object.isFrozen(second.list)).toBe(true);
      expect(first.list).toEqual([1]);
    });
  });
});
