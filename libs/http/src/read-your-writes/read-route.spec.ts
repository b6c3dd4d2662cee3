import { isReadRoute } from './read-route';

describe('isReadRoute', () => {
  it('holds for the routes that answer from the views, the refit included', () => {
    expect(isReadRoute('GET', '/v1/customers/C-1')).toBe(true);
    expect(isReadRoute('HEAD', '/v1/tiers')).toBe(true);
    expect(isReadRoute('POST', '/v1/model/fit')).toBe(true);
    expect(isReadRoute('POST', '/v1/model/fit?holdoutFrom=2026-06-01')).toBe(true);
  });

  it('does not hold for writes and for routes outside the API', () => {
    expect(isReadRoute('POST', '/v1/touchpoints')).toBe(false);
    expect(isReadRoute('POST', '/v1/model/fitness')).toBe(false);
    expect(isReadRoute('DELETE', '/v1/customers/C-1')).toBe(false);
    expect(isReadRoute('GET', '/health/ready')).toBe(false);
  });
});
