import { assignValueTier } from './tier-lookup';

describe('assignValueTier', () => {
  const cutoffs = {
    a: { revenueMinor: 500, customerId: 'm' },
    b: { revenueMinor: 100, customerId: 'm' },
  };

  it('places a customer by revenue, breaking ties at a cutoff by customerId', () => {
    expect(assignValueTier({ customerId: 'x', revenueMinor: 900 }, cutoffs)).toBe('A');
    expect(assignValueTier({ customerId: 'a', revenueMinor: 500 }, cutoffs)).toBe('A');
    expect(assignValueTier({ customerId: 'm', revenueMinor: 500 }, cutoffs)).toBe('A');
    expect(assignValueTier({ customerId: 'z', revenueMinor: 500 }, cutoffs)).toBe('B');
    expect(assignValueTier({ customerId: 'z', revenueMinor: 100 }, cutoffs)).toBe('C');
    expect(assignValueTier({ customerId: 'z', revenueMinor: 1 }, cutoffs)).toBe('C');
    expect(assignValueTier({ customerId: 'z', revenueMinor: 0 }, cutoffs)).toBe('none');
    expect(assignValueTier({ customerId: 'z', revenueMinor: -5 }, cutoffs)).toBe('none');
  });

  it('skips an empty tier B and ranks first when nobody had revenue', () => {
    expect(assignValueTier({ customerId: 'z', revenueMinor: 400 }, { ...cutoffs, b: null })).toBe(
      'C',
    );
    expect(assignValueTier({ customerId: 'z', revenueMinor: 1 }, { a: null, b: null })).toBe('A');
  });
});
