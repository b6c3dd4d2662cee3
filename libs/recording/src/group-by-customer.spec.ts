import { aTouchpoint } from '@rapport/domain/testing';
import { groupByCustomer } from './group-by-customer';

describe('grouping touchpoints by customer', () => {
  it('keeps arrival order within a customer and remembers where each touchpoint came from', () => {
    const a1 = aTouchpoint('web_visit', { url: '/' }, { customerId: 'A', touchpointId: 'a1' });
    const b1 = aTouchpoint('web_visit', { url: '/' }, { customerId: 'B', touchpointId: 'b1' });
    const a2 = aTouchpoint('web_visit', { url: '/' }, { customerId: 'A', touchpointId: 'a2' });
    const { batches, indexes } = groupByCustomer([a1, b1, a2]);
    expect(batches).toEqual([
      { customerId: 'A', touchpoints: [a1, a2] },
      { customerId: 'B', touchpoints: [b1] },
    ]);
    expect(indexes).toEqual([[0, 2], [1]]);
  });
});
