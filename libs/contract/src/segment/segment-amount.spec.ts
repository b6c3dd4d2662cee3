import { currencyExponent, readCurrency, toMinorUnits } from './segment-amount';

describe('Segment amounts in minor units', () => {
  it('knows the exponent of 2-, 0- and 3-decimal currencies', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it.each([
    [27.5, 'USD', 2750],
    [19.99, 'EUR', 1999], // 1998.9999999999998 as a double
    [0.1 + 0.2, 'EUR', 30], // 30.000000000000004
    [0, 'EUR', 0],
    [1500, 'JPY', 1500],
    [12.345, 'BHD', 12345],
    [0.005, 'KWD', 5],
    ['19.99', 'EUR', 1999],
    ['1.250', 'KWD', 1250],
    ['1500', 'JPY', 1500],
    ['1500.00', 'JPY', 1500],
    ['7.5', 'EUR', 750],
  ])('takes %p %s as %p minor units', (value, currency, minor) => {
    expect(toMinorUnits(value, currency, 'properties.total')).toEqual({ minor, currency });
  });

  it.each([
    [10.555, 'EUR', 'has more decimals than EUR has (2)'],
    [1500.5, 'JPY', 'has more decimals than JPY has (0)'],
    ['12.3456', 'BHD', 'has more decimals than BHD has (3)'],
    [-5, 'EUR', 'must not be negative'],
    [Number.POSITIVE_INFINITY, 'EUR', 'must be a finite number'],
    ['12,50', 'EUR', 'must be a number such as 49.99'],
    ['-1', 'EUR', 'must be a number such as 49.99'],
    [true, 'EUR', 'must be a number such as 49.99 (got boolean true)'],
    [1e20, 'EUR', 'too large to count in minor units of EUR'],
  ])('refuses %p %s, naming the field: %s', (value, currency, message) => {
    const result = toMinorUnits(value, currency, 'properties.total');
    expect(result).toEqual({ problem: expect.stringContaining(message) });
    expect((result as { problem: string }).problem).toMatch(/^properties\.total /);
  });

  it('reads currency codes in either case, and refuses what is no ISO 4217 code', () => {
    expect(readCurrency('usd', 'properties.currency')).toBe('USD');
    expect(readCurrency(' EUR ', 'properties.currency')).toBe('EUR');
    expect(readCurrency('XYZ', 'properties.currency')).toEqual({
      problem: 'properties.currency must be an ISO 4217 code such as "EUR" (got "XYZ")',
    });
    expect(readCurrency(978, 'properties.currency')).toEqual({
      problem: expect.stringContaining('(got number 978)'),
    });
  });
});
