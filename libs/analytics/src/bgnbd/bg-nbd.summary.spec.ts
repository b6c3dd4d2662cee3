import { summarizeBgNbd } from './bg-nbd.summary';

describe('summarizeBgNbd', () => {
  const asOf = '2025-03-01T12:00:00Z';

  it('counts repeat purchase days, not orders, and measures in whole UTC days', () => {
    const purchases = [
      '2025-01-10T18:00:00Z', // out of order on purpose
      '2025-01-01T09:00:00Z',
      '2025-01-01T20:00:00Z', // same day as the first: not a repeat
      '2025-01-10T08:00:00Z', // second order on 10 Jan: counts once
      '2025-02-01T00:30:00Z',
    ];
    expect(summarizeBgNbd(purchases, { asOf, unit: 'days' })).toEqual({ x: 2, tx: 31, T: 59 });
    expect(summarizeBgNbd(purchases, { asOf, unit: 'weeks' })).toEqual({
      x: 2,
      tx: 31 / 7,
      T: 59 / 7,
    });
  });

  it('accepts epoch milliseconds', () => {
    const first = Date.parse('2025-02-01T00:00:00Z');
    expect(summarizeBgNbd([first], { asOf, unit: 'days' })).toEqual({ x: 0, tx: 0, T: 28 });
  });

  it('ignores purchases after asOf and returns null for customers without any', () => {
    expect(summarizeBgNbd(['2025-04-01T00:00:00Z'], { asOf, unit: 'days' })).toBeNull();
    expect(summarizeBgNbd([], { asOf, unit: 'days' })).toBeNull();
    expect(
      summarizeBgNbd(['2025-02-01T00:00:00Z', '2025-05-01T00:00:00Z'], { asOf, unit: 'days' }),
    ).toEqual({ x: 0, tx: 0, T: 28 });
  });

  it('rejects unparseable dates', () => {
    expect(() => summarizeBgNbd(['yesterday'], { asOf, unit: 'days' })).toThrow(
      /not a valid instant/,
    );
  });
});
