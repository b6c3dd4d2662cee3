import type { KeyStore } from '../keys/key-store.port';

/** Every key-store adapter keeps these promises. */
export function describeKeyStoreContract(name: string, open: () => Promise<KeyStore>): void {
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

    it('answers only the keys that exist', async () => {
      await store.getOrCreateMany(['C-1']);
      const found = await store.getMany(['C-1', 'C-unknown']);
      expect([...found.keys()]).toEqual(['C-1']);
    });

    it('destroys a key for good: a new one has a new id', async () => {
      const before = (await store.getOrCreateMany(['C-1'])).get('C-1')!;
      expect(await store.destroy('C-1')).toBe(true);
      expect(await store.destroy('C-1')).toBe(false);
      expect((await store.getMany(['C-1'])).size).toBe(0);
      const after = (await store.getOrCreateMany(['C-1'])).get('C-1')!;
      expect(after.keyId).not.toBe(before.keyId);
    });
  });
}
