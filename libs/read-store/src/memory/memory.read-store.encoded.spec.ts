import { MemoryReadStore } from './memory.read-store';

const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parsed = (json: Uint8Array) => JSON.parse(new TextDecoder().decode(json)) as unknown;

describe('MemoryReadStore records as JSON text (a rebuild worker’s)', () => {
  describe('when records are written as text', () => {
    it('then every read gives the value the text says, and the text back as written', async () => {
      const store = new MemoryReadStore();
      const json = text({ customerId: 'C-1', orders: [{ minor: 4_999 }] });
      expect(await store.encoded.putMany('views', [{ key: 'C-1', position: 7n, json }])).toBe(1);
      expect(await store.get('views', 'C-1')).toEqual({
        key: 'C-1',
        position: 7n,
        value: { customerId: 'C-1', orders: [{ minor: 4_999 }] },
      });
      const [read] = await store.encoded.getMany('views', ['C-1', 'C-2']);
      expect(read).toEqual({ key: 'C-1', position: 7n, json });
      await store.close();
    });

    it('then they are held as text from the start: no objects for the collector, nothing to go cold', async () => {
      const store = new MemoryReadStore();
      await store.putMany('views', [{ key: 'C-1', position: 1n, value: { n: 1 } }]);
      expect(store.heldRecords()).toEqual({ objects: 1, text: 0 });
      await store.encoded.putMany('views', [
        { key: 'C-1', position: 2n, json: text({ n: 2 }) },
        { key: 'C-2', position: 3n, json: text({ n: 3 }) },
      ]);
      expect(store.heldRecords()).toEqual({ objects: 0, text: 2 });
      await store.close();
    });

    it('then a write at or below the stored position is skipped, as putMany skips it', async () => {
      const store = new MemoryReadStore();
      await store.encoded.putMany('views', [{ key: 'C-1', position: 5n, json: text({ n: 5 }) }]);
      const written = await store.encoded.putMany('views', [
        { key: 'C-1', position: 5n, json: text({ n: 0 }) },
      ]);
      expect(written).toBe(0);
      expect((await store.get('views', 'C-1'))?.value).toEqual({ n: 5 });
      await store.close();
    });
  });

  describe('when records written as objects are read as text', () => {
    it('then each comes as the JSON of its value, listed in key order a page at a time', async () => {
      const store = new MemoryReadStore();
      await store.putMany('views', [
        { key: 'C-3', position: 3n, value: { n: 3 } },
        { key: 'C-1', position: 1n, value: { n: 1 } },
      ]);
      await store.encoded.putMany('views', [{ key: 'C-2', position: 2n, json: text({ n: 2 }) }]);
      const first = await store.encoded.list('views', { limit: 2 });
      expect(first.records.map((r) => [r.key, r.position, parsed(r.json)])).toEqual([
        ['C-1', 1n, { n: 1 }],
        ['C-2', 2n, { n: 2 }],
      ]);
      const second = await store.encoded.list('views', { after: first.next, limit: 2 });
      expect(second.records.map((r) => parsed(r.json))).toEqual([{ n: 3 }]);
      expect(second.next).toBeUndefined();
      await store.close();
    });
  });
});

describe('MemoryReadStore after a catch-up (settle)', () => {
  it('writes out the records a large collection holds as objects, and keeps a small one live', async () => {
    const store = new MemoryReadStore({ coldMinRecords: 3 });
    const records = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `C-${i}`, position: 1n, value: { i } }));
    await store.putMany('views', records(5));
    await store.putMany('small', records(2));
    expect(store.heldRecords()).toEqual({ objects: 7, text: 0 });
    await store.settle();
    expect(store.heldRecords()).toEqual({ objects: 2, text: 5 });
    expect((await store.get('views', 'C-4'))?.value).toEqual({ i: 4 });
    await store.close();
  });
});
