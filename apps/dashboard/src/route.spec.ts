import { atRiskPath, DEFAULT_AT_RISK_FILTER } from './at-risk.query';
import { parseRoute, routeHash } from './route';
import { DEFAULT_SIGNALS_FILTER, isFiltered, signalsPath } from './signals.query';

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

describe('when the signals list is asked for', () => {
  it('reads its page from the fragment', () => {
    expect(parseRoute('#/signals')).toEqual({ page: 'signals' });
    expect(routeHash({ page: 'signals' })).toBe('#/signals');
  });

  it('sends the rule, the trimmed customer and the cursor, and asks CSV for the whole filter', () => {
    const filter = { rule: 'freezing-point' as const, customer: ' C-1001 ' };
    expect(signalsPath(filter, { cursor: '42' })).toBe(
      '/v1/signals?rule=freezing-point&customer=C-1001&limit=50&cursor=42',
    );
    expect(signalsPath(filter, { csv: true })).toBe(
      '/v1/signals?rule=freezing-point&customer=C-1001&format=csv',
    );
    expect(signalsPath(DEFAULT_SIGNALS_FILTER)).toBe('/v1/signals?limit=50');
  });

  it('tells a filtered list from an unfiltered one, so an empty page is explained right', () => {
    expect(isFiltered(DEFAULT_SIGNALS_FILTER)).toBe(false);
    expect(isFiltered({ rule: '', customer: '  ' })).toBe(false);
    expect(isFiltered({ rule: 'thank-you', customer: '' })).toBe(true);
    expect(isFiltered({ rule: '', customer: 'C-1' })).toBe(true);
  });
});
