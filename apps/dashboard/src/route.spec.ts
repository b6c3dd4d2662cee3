import { atRiskPath, DEFAULT_AT_RISK_FILTER } from './at-risk.query';
import { parseRoute, routeHash } from './route';

describe('when the fragment names a page', () => {
  it('reads each page, and the overview for anything else', () => {
    expect(parseRoute('#/at-risk')).toEqual({ page: 'at-risk' });
    expect(parseRoute('#/projections')).toEqual({ page: 'projections' });
    expect(parseRoute('')).toEqual({ page: 'overview' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'overview' });
    expect(parseRoute('#/customer')).toEqual({ page: 'customer', customerId: null });
  });

  it('round-trips a customer id with characters a URL must escape', () => {
    const route = { page: 'customer', customerId: 'C:1/ä@x' } as const;
    expect(parseRoute(routeHash(route))).toEqual(route);
  });
});

describe('when the at-risk list is asked for', () => {
  it('sends the filter, the sort and the cursor, and asks CSV for the whole filter', () => {
    const filter = { ...DEFAULT_AT_RISK_FILTER, tier: 'A' as const, sort: 'revenue' as const };
    expect(atRiskPath(filter, { cursor: 'abc=' })).toBe(
      '/v1/at-risk?minBand=medium&tier=A&sort=revenue&order=desc&limit=50&cursor=abc%3D',
    );
    expect(atRiskPath(filter, { csv: true })).toBe(
      '/v1/at-risk?minBand=medium&tier=A&sort=revenue&order=desc&format=csv',
    );
  });
});
