import { formatMoney, formatShare, heatLevel, minorDigits, reasonInWords } from './format';

describe('when amounts in minor units are shown', () => {
  it('splits them with integer arithmetic, exact up to the largest safe integer', () => {
    expect(formatMoney(4999, 'EUR')).toBe('49.99 EUR');
    expect(formatMoney(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMoney(0, 'EUR')).toBe('0.00 EUR');
    expect(formatMoney(-123456, 'EUR')).toBe('-1,234.56 EUR');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('90,071,992,547,409.91 EUR');
  });

  it("follows the currency's own minor digits", () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(formatMoney(1500, 'JPY')).toBe('1,500 JPY');
    expect(minorDigits('BHD')).toBe(3);
    expect(formatMoney(1001, 'BHD')).toBe('1.001 BHD');
  });
});

describe('when shares and reasons are shown', () => {
  it('gives a share as a percentage with one decimal', () => {
    expect(formatShare(0.8004689771043542)).toBe('80.0%');
    expect(formatShare(1)).toBe('100.0%');
  });

  it('names every reason code the API sends, and falls back to the code for a new one', () => {
    expect(reasonInWords('PURCHASE_OVERDUE')).toBe('Purchase overdue against their own rhythm');
    expect(reasonInWords('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  it('puts retention rates into six heat classes, none for zero', () => {
    expect([0, 0.01, 0.2, 0.39, 0.5, 0.79, 0.8, 1].map(heatLevel)).toEqual([
      0, 1, 2, 2, 3, 4, 5, 5,
    ]);
  });
});
