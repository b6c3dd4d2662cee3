import fc from 'fast-check';
import { eventIdFor } from '@rapport/domain';
import { hashEventId } from './event-id.hasher';

describe('the write path hashing event ids', () => {
  it("gives the domain's eventIdFor for any text, long names included", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ minLength: 400 }),
    );
    fc.assert(
      fc.property(anyText, anyText, (source, touchpointId) => {
        expect(hashEventId(source, touchpointId)).toBe(eventIdFor(source, touchpointId));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the names hashed before (the buffer is reused)', () => {
    const short = hashEventId('a', 'b');
    hashEventId('a'.repeat(2000), 'b');
    hashEventId('source', 'a much longer touchpoint id than the first');
    expect(hashEventId('a', 'b')).toBe(short);
  });
});
