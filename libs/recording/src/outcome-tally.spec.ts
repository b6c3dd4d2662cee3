import { tallyOutcomes } from './outcome-tally';

describe('tallying what a record command did', () => {
  it('counts recorded and duplicates, and names each rejected item by its index', () => {
    const tally = tallyOutcomes([
      { status: 'recorded', eventId: 'e1', position: 1n },
      { status: 'rejected', code: 'ORDER_NOT_FOUND', reason: 'no order O-1', position: -1n },
      { status: 'duplicate', eventId: 'e0', position: 0n },
      { status: 'recorded', eventId: 'e2', position: 2n },
    ]);
    expect(tally).toEqual({
      recorded: 2,
      duplicates: 1,
      rejected: [{ index: 1, code: 'ORDER_NOT_FOUND', reason: 'no order O-1' }],
    });
  });
});
