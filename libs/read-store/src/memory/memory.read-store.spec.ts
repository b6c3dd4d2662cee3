import { describeReadStoreContract } from '../testing';
import { MemoryReadStore } from './memory.read-store';

describe('MemoryReadStore', () => {
  describeReadStoreContract(() => ({ factory: async () => new MemoryReadStore() }));

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
