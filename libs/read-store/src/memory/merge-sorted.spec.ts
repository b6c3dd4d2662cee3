import fc from 'fast-check';
import { mergeSorted } from './merge-sorted';

describe('merging two sorted key lists', () => {
  it('gives what sorting both together gives, duplicates kept', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (left, right) => {
        left.sort();
        right.sort();
        expect(mergeSorted(left, right)).toEqual([...left, ...right].sort());
      }),
    );
  });
});
