import { initialCustomerState } from '@rapport/domain';
import { CustomerStateCache, type CachedCustomer } from './customer-state.cache';

const entry = (revision: bigint): CachedCustomer => ({
  state: initialCustomerState(),
  revision,
  lastPosition: revision,
});

describe('the customer state cache', () => {
  it('keeps the customers stored last, up to its capacity', () => {
    const cache = new CustomerStateCache(2);
    cache.set('C-1', entry(1n));
    cache.set('C-2', entry(2n));
    cache.set('C-1', entry(3n)); // stored again: now the newest
    cache.set('C-3', entry(4n));
    expect(cache.get('C-2')).toBeUndefined();
    expect(cache.get('C-1')?.revision).toBe(3n);
    expect(cache.get('C-3')?.revision).toBe(4n);
  });

  it('does not keep a customer longer for being read', () => {
    const cache = new CustomerStateCache(2);
    cache.set('C-1', entry(1n));
    cache.set('C-2', entry(2n));
    expect(cache.get('C-1')).toBeDefined();
    cache.set('C-3', entry(3n));
    expect(cache.get('C-1')).toBeUndefined();
    expect(cache.get('C-2')).toBeDefined();
  });
});
