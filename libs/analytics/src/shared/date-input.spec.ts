import {
  asOfInstant,
  endOfPlainDate,
  monthKey,
  subtractUtcMonths,
  toEpochMs,
  utcDayIndex,
  utcMonthIndex,
} from './date-input';

describe('date input', () => {
  it('parses ISO strings and passes epoch milliseconds through', () => {
    expect(toEpochMs('1970-01-02T00:00:00Z')).toBe(86_400_000);
    expect(toEpochMs(42)).toBe(42);
    expect(() => toEpochMs('not a date')).toThrow(/not a valid instant/);
    expect(() => toEpochMs(NaN)).toThrow(/not a valid instant/);
  });

  it('indexes UTC days and months', () => {
    expect(utcDayIndex(toEpochMs('1970-01-02T23:59:59Z'))).toBe(1);
    expect(utcMonthIndex(toEpochMs('1971-02-28T00:00:00Z'))).toBe(13);
    expect(monthKey(13)).toBe('1971-02');
    expect(monthKey(utcMonthIndex(toEpochMs('2025-12-31T23:59:59Z')))).toBe('2025-12');
  });

  it('subtracts calendar months, clamping to the shorter month', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(iso(subtractUtcMonths(toEpochMs('2025-03-31T10:30:00Z'), 1))).toBe(
      '2025-02-28T10:30:00.000Z',
    );
    expect(iso(subtractUtcMonths(toEpochMs('2024-03-31T10:30:00Z'), 1))).toBe(
      '2024-02-29T10:30:00.000Z',
    );
    expect(iso(subtractUtcMonths(toEpochMs('2025-06-30T00:00:00Z'), 12))).toBe(
      '2024-06-30T00:00:00.000Z',
    );
    expect(iso(subtractUtcMonths(toEpochMs('2025-01-15T00:00:00Z'), 13))).toBe(
      '2023-12-15T00:00:00.000Z',
    );
  });

  describe('when asOf is a plain date', () => {
    it('means the end of that UTC day, so all of the day counts', () => {
      expect(asOfInstant('2026-06-30')).toBe('2026-06-30T23:59:59.999Z');
      expect(asOfInstant('2024-02-29')).toBe('2024-02-29T23:59:59.999Z');
      expect(asOfInstant('2026-06-30T10:00:00+02:00')).toBe('2026-06-30T08:00:00.000Z');
    });

    it('refuses a day that does not exist instead of rolling it over', () => {
      expect(endOfPlainDate('2026-02-30')).toBeNull();
      expect(endOfPlainDate('2026-13-01')).toBeNull();
      expect(() => asOfInstant('2026-02-30')).toThrow(/not a valid asOf: 2026-02-30/);
      expect(() => asOfInstant('yesterday')).toThrow(/YYYY-MM-DD/);
    });
  });
});
