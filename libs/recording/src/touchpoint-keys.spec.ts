import fc from 'fast-check';
import { TouchpointKeys } from './touchpoint-keys';

describe('TouchpointKeys', () => {
  it('holds what a Set grown by the same adds holds, and never changes the set it grew from', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j')), {
          maxLength: 30,
        }),
        (batches) => {
          let keys = new TouchpointKeys();
          const reference = new Set<string>();
          const earlier: Array<[TouchpointKeys, string[]]> = [];
          for (const batch of batches) {
            earlier.push([keys, [...keys]]);
            keys = new TouchpointKeys(keys);
            for (const key of batch) {
              keys.add(key);
              reference.add(key);
            }
            expect([...keys].sort()).toEqual([...reference].sort());
            expect(keys.size).toBe(reference.size);
            // One expectation, not one per key: tens of thousands of matcher calls cost seconds.
            expect(
              [...'abcdefghijk'].filter((key) => keys.has(key) !== reference.has(key)),
            ).toEqual([]);
          }
          for (const [set, contents] of earlier) expect([...set]).toEqual(contents);
        },
      ),
    );
  });

  it('starts from any set of keys', () => {
    const keys = new TouchpointKeys(new Set(['x', 'y'])).add('z').add('x');
    expect([...keys]).toEqual(['x', 'y', 'z']);
    const seen: string[] = [];
    keys.forEach((key) => seen.push(key));
    expect(seen).toEqual(['x', 'y', 'z']);
  });
});
