import { CachingKeyStore } from '../keys/caching.key-store';
import type { KeyStore } from '../keys/key-store.port';

/**
 * Every key-store adapter keeps these promises. `openAgain`, where the adapter can be shared
 * (a file, a server), opens a second instance over the same keys: another process.
 */
export function describeKeyStoreContract(
  name: string,
  open: () => Promise<KeyStore>,
  openAgain?: (first: KeyStore) => Promise<KeyStore>,
): void {
  describe(`${name} key store`, () => {
    let store: KeyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('makes a 32-byte key once per customer and gives the same one after', async () => {
      const first = await store.getOrCreateMany(['C-1', 'C-2']);
      const again = await store.getOrCreateMany(['C-1']);
      expect(first.get('C-1')!.material).toHaveLength(32);
      expect(again.get('C-1')!.keyId).toBe(first.get('C-1')!.keyId);
      expect(again.get('C-1')!.material.equals(first.get('C-1')!.material)).toBe(true);
      expect(first.get('C-2')!.keyId).not.toBe(first.get('C-1')!.keyId);
    });

    it('makes a batch of new customers their own keys in one call, a repeated one once', async () => {
      await store.getOrCreateMany(['C-0']);
      await store.destroy('C-erased');
      const ids = Array.from({ length: 300 }, (_, i) => `C-${i}`);
      const made = await store.getOrCreateMany([...ids, 'C-7', 'C-erased']);
      expect(made.size).toBe(300);
      expect(made.has('C-erased')).toBe(false);
      const materials = new Set([...made.values()].map((key) => key.material.toString('hex')));
      const keyIds = new Set([...made.values()].map((key) => key.keyId));
      expect(materials.size).toBe(300);
      expect(keyIds.size).toBe(300);
      expect([...made.values()].every((key) => key.material.length === 32)).toBe(true);
      const stored = await store.getMany(ids);
      for (const id of ids) {
        expect(stored.get(id)!.keyId).toBe(made.get(id)!.keyId);
        expect(stored.get(id)!.material.equals(made.get(id)!.material)).toBe(true);
      }
    });

    it('answers only the keys that exist', async () => {
      await store.getOrCreateMany(['C-1']);
      const found = await store.getMany(['C-1', 'C-unknown']);
      expect([...found.keys()]).toEqual(['C-1']);
    });

    it('destroys a key for good: the tombstone keeps the customer from getting one again', async () => {
      await store.getOrCreateMany(['C-1', 'C-2']);
      expect(await store.destroy('C-1')).toBe(true);
      expect(await store.destroy('C-1')).toBe(false);
      expect((await store.getMany(['C-1'])).size).toBe(0);
      const after = await store.getOrCreateMany(['C-1', 'C-2', 'C-3']);
      expect([...after.keys()].sort()).toEqual(['C-2', 'C-3']);
    });

    it('tombstones a customer who had no key yet (nothing may be sealed for them after)', async () => {
      expect(await store.destroy('C-9')).toBe(false);
      expect((await store.getOrCreateMany(['C-9'])).size).toBe(0);
    });

    it('logs each destruction in order, read from a cursor', async () => {
      const start = await store.erasedSince(0);
      await store.getOrCreateMany(['C-1']);
      await store.destroy('C-1');
      await store.destroy('C-2');
      const first = await store.erasedSince(start.cursor);
      expect(first.customerIds).toEqual(['C-1', 'C-2']);
      expect(first.cursor).toBeGreaterThan(start.cursor);
      expect(await store.erasedSince(first.cursor)).toEqual({
        cursor: first.cursor,
        customerIds: [],
      });
      await store.destroy('C-3');
      expect((await store.erasedSince(first.cursor)).customerIds).toEqual(['C-3']);
    });

    it('remembers the one-off migrations done against it', async () => {
      expect(await store.migrationDone('tombstones-from-log')).toBe(false);
      await store.markMigrationDone('tombstones-from-log');
      await store.markMigrationDone('tombstones-from-log');
      expect(await store.migrationDone('tombstones-from-log')).toBe(true);
      expect(await store.migrationDone('another')).toBe(false);
    });

    if (openAgain)
      describe('when another process holds a key in its cache', () => {
        it('drops it at its next batch once this one destroyed it, and makes no new one', async () => {
          const elsewhere = new CachingKeyStore(await openAgain(store));
          try {
            const cached = (await elsewhere.getOrCreateMany(['C-1'])).get('C-1')!;
            expect((await store.getMany(['C-1'])).get('C-1')!.keyId).toBe(cached.keyId);
            await store.destroy('C-1');
            expect(elsewhere.cached('C-1')).toBeDefined();
            expect((await elsewhere.getOrCreateMany(['C-1'])).size).toBe(0);
            expect(elsewhere.cached('C-1')).toBeUndefined();
            expect((await elsewhere.getMany(['C-1'])).size).toBe(0);
          } finally {
            await elsewhere.close();
          }
        });
      });
  });
}
