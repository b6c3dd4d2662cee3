import { periodStartInstant } from './period-start';

describe('periodStartInstant', () => {
  it('takes a plain date as the start of that UTC day, an instant as given', () => {
    expect(periodStartInstant('2026-07-01')).toBe('2026-07-01T00:00:00.000Z');
    expect(periodStartInstant('2026-07-01T10:00:00+02:00')).toBe('2026-07-01T08:00:00.000Z');
  });

  it('refuses a day that does not exist', () => {
    expect(() => periodStartInstant('2026-02-30')).toThrow(/not a valid start/);
  });
});
