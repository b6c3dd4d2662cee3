import { newDataKeys } from './new-data-key';

describe('when a batch of keys is made at once', () => {
  const keys = newDataKeys(64);

  it('gives each its own 32 random bytes and its own id', () => {
    expect(keys).toHaveLength(64);
    expect(new Set(keys.map((key) => key.material.toString('hex'))).size).toBe(64);
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(64);
    expect(keys.every((key) => key.material.length === 32)).toBe(true);
  });

  it('shares no memory between keys (a slice of one buffer would keep them all alive)', () => {
    for (const key of keys) expect(key.material.buffer.byteLength).toBe(32);
  });

  it('makes none for an empty batch', () => {
    expect(newDataKeys(0)).toEqual([]);
  });
});
