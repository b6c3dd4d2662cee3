import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ReadStore } from '../read-store.port';

export interface ReadStoreContractTarget {
  readonly factory: () => Promise<ReadStore>;
  readonly teardown?: () => Promise<void>;
}

/** The behaviour every ReadStore adapter must show. */
export function describeReadStoreContract(target: () => ReadStoreContractTarget): void {
  describe('ReadStore contract', () => {
    let resolved: ReadStoreContractTarget;
    let store: ReadStore;
    let collection: string;

    beforeAll(() => {
      resolved = target();
    });
    afterAll(async () => {
      await resolved?.teardown?.();
    });
    beforeEach(async () => {
      store = await resolved.factory();
      collection = `contract-${randomUUID()}`;
    });
    afterEach(async () => {
      await store.dropCollection(collection);
      await store.close();
    });

    describe('when writing records', () => {
      it('stores a record with its position and reads it back', async () => {
        const value = { name: 'Zoë', revenue: { EUR: 4999 }, list: [1, 2] };
        expect(await store.putMany(collection, [{ key: 'C-1', position: 7n, value }])).toBe(1);
        expect(await store.get(collection, 'C-1')).toEqual({ key: 'C-1', position: 7n, value });
        expect(await store.get(collection, 'C-404')).toBeUndefined();
      });

      it('skips a write at or below the stored position (a redelivered event)', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 10n, value: { v: 'new' } }]);
        const written = await store.putMany(collection, [
          { key: 'C-1', position: 10n, value: { v: 'same position' } },
          { key: 'C-1', position: 3n, value: { v: 'older' } },
        ]);
        expect(written).toBe(0);
        expect((await store.get(collection, 'C-1'))?.value).toEqual({ v: 'new' });
      });

      it('writes a newer position over an older one', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 1n, value: { v: 1 } }]);
        await store.putMany(collection, [{ key: 'C-1', position: 2n, value: { v: 2 } }]);
        expect(await store.get(collection, 'C-1')).toEqual({
          key: 'C-1',
          position: 2n,
          value: { v: 2 },
        });
      });

      it('keeps positions beyond 2^53 exact, and orders them against smaller ones', async () => {
        const safe = BigInt(Number.MAX_SAFE_INTEGER);
        await store.putMany(collection, [{ key: 'C-1', position: safe, value: { v: 1 } }]);
        expect(
          await store.putMany(collection, [{ key: 'C-1', position: safe + 2n, value: { v: 2 } }]),
        ).toBe(1);
        expect(
          await store.putMany(collection, [{ key: 'C-1', position: safe + 1n, value: { v: 3 } }]),
        ).toBe(0);
        expect(await store.get(collection, 'C-1')).toEqual({
          key: 'C-1',
          position: safe + 2n,
          value: { v: 2 },
        });
        expect((await store.getMany(collection, ['C-1'])).get('C-1')?.position).toBe(safe + 2n);
      });

      it('returns a copy: changing what was read does not change the store', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 1n, value: { list: [1] } }]);
        const read = await store.get<{ list: number[] }>(collection, 'C-1');
        read!.value.list.push(2);
        expect((await store.get(collection, 'C-1'))?.value).toEqual({ list: [1] });
      });
    });

    describe('when a reader shares what it reads', () => {
      it('cannot change the store through a shared read either', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 1n, value: { list: [1] } }]);
        const shared = await store.getMany<{ list: number[] }>(collection, ['C-1'], {
          shared: true,
        });
        expect(shared.get('C-1')?.value).toEqual({ list: [1] });
        try {
          shared.get('C-1')!.value.list.push(2);
        } catch {
          // A frozen value refuses the change: as good as a copy.
        }
        expect((await store.get(collection, 'C-1'))?.value).toEqual({ list: [1] });
      });

      it('cannot change the store through a shared list either', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 1n, value: { list: [1] } }]);
        const page = await store.list<{ list: number[] }>(collection, { limit: 10, shared: true });
        expect(page.records.map((r) => r.value)).toEqual([{ list: [1] }]);
        try {
          page.records[0].value.list.push(2);
        } catch {
          // A frozen value refuses the change: as good as a copy.
        }
        expect((await store.get(collection, 'C-1'))?.value).toEqual({ list: [1] });
      });
    });

    describe('when the projector reads for update', () => {
      it('reads the value and position last written', async () => {
        await store.putMany(collection, [{ key: 'C-1', position: 1n, value: { v: 1 } }]);
        await store.putMany(collection, [{ key: 'C-1', position: 2n, value: { v: 2 } }]);
        const read = await store.getMany(collection, ['C-1', 'C-404'], { forUpdate: true });
        expect([...read.values()]).toEqual([{ key: 'C-1', position: 2n, value: { v: 2 } }]);
      });
    });

    describe('when reading many and listing', () => {
      it('gets only the keys that exist', async () => {
        await store.putMany(collection, [
          { key: 'a', position: 1n, value: 1 },
          { key: 'b', position: 2n, value: 2 },
        ]);
        const found = await store.getMany<number>(collection, ['a', 'x', 'b']);
        expect([...found.keys()].sort()).toEqual(['a', 'b']);
        expect(found.get('b')?.value).toBe(2);
      });

      it('lists every record once, in key order, page by page', async () => {
        const keys = Array.from({ length: 25 }, (_, i) => `C-${String(i).padStart(3, '0')}`);
        await store.putMany(
          collection,
          [...keys].reverse().map((key, i) => ({ key, position: BigInt(i + 1), value: { key } })),
        );
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.list<{ key: string }>(collection, { after, limit: 10 });
          seen.push(...page.records.map((r) => r.key));
          after = page.next;
        } while (after);
        expect(seen).toEqual(keys);
        expect(await store.count(collection)).toBe(25);
      });

      it('lists every key in order when new keys arrive between listings', async () => {
        await fc.assert(
          fc.asyncProperty(
            // Customer ids: what keys are (Redis keys may not hold braces: the hash tag).
            fc.array(fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,4}$/), { maxLength: 8 }), {
              minLength: 1,
              maxLength: 6,
            }),
            async (batches) => {
              const growing = `${collection}-${randomUUID()}`;
              const written = new Set<string>();
              for (const batch of batches) {
                await store.putMany(
                  growing,
                  batch.map((key) => ({ key, position: BigInt(written.size + 1), value: 0 })),
                );
                for (const key of batch) written.add(key);
                const listed: string[] = [];
                let after: string | undefined;
                do {
                  const page = await store.list(growing, { after, limit: 3 });
                  listed.push(...page.records.map((r) => r.key));
                  after = page.next;
                } while (after);
                expect(listed).toEqual([...written].sort());
              }
              await store.dropCollection(growing);
            },
          ),
          { numRuns: 30 },
        );
        // Some 3,000 round trips against Redis: 5 s was not enough in a loaded CI run.
      }, 30_000);

      it('deletes records whatever their positions, and lists and counts without them', async () => {
        await store.putMany(collection, [
          { key: 'a', position: 1n, value: 1 },
          { key: 'b', position: 9n, value: 2 },
          { key: 'c', position: 3n, value: 3 },
        ]);
        await store.list(collection, { limit: 10 });
        await store.deleteMany(collection, ['b', 'x']);
        expect(await store.get(collection, 'b')).toBeUndefined();
        expect((await store.list(collection, { limit: 10 })).records.map((r) => r.key)).toEqual([
          'a',
          'c',
        ]);
        expect(await store.count(collection)).toBe(2);
        // Gone, not guarded: a later write at any position makes it again.
        await store.putMany(collection, [{ key: 'b', position: 2n, value: 4 }]);
        expect((await store.get(collection, 'b'))?.value).toBe(4);
      });

      it('drops a whole collection', async () => {
        await store.putMany(collection, [{ key: 'a', position: 1n, value: 1 }]);
        await store.dropCollection(collection);
        expect(await store.count(collection)).toBe(0);
        expect(await store.get(collection, 'a')).toBeUndefined();
      });
    });

    describe('when checkpointing', () => {
      it('keeps the last checkpoint per name', async () => {
        const name = `checkpoint-${randomUUID()}`;
        expect(await store.getCheckpoint(name)).toBeUndefined();
        await store.putCheckpoint(name, 41n);
        await store.putCheckpoint(name, 42n);
        expect(await store.getCheckpoint(name)).toBe(42n);
      });

      it('keeps the event store each checkpoint is bound to, apart from its position', async () => {
        const name = `checkpoint-${randomUUID()}`;
        const other = `checkpoint-${randomUUID()}`;
        expect(await store.getBinding(name)).toBeUndefined();
        await store.putBinding(name, 'store-a');
        await store.putCheckpoint(name, 7n);
        await store.putBinding(other, 'store-b');
        await store.putBinding(name, 'store-c');
        expect(await store.getBinding(name)).toBe('store-c');
        expect(await store.getBinding(other)).toBe('store-b');
        expect(await store.getCheckpoint(name)).toBe(7n);
        expect(await store.getCheckpoint(other)).toBeUndefined();
      });
    });
  });
}
