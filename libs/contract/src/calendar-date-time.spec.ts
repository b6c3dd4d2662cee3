import { isISO8601 } from 'class-validator';
import fc from 'fast-check';
import { isCalendarDateTime } from './calendar-date-time';
import { ZONED_DATE_TIME } from './touchpoint.request.dto';

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

/** Strings of ZONED_DATE_TIME's shape with every field a little past its range now and then. */
const zonedDateTimes = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    month: two(13),
    day: two(32),
    hour: two(25),
    minute: two(60),
    second: fc.option(two(60)),
    fraction: fc.option(fc.integer({ min: 0, max: 999_999_999 }).map(String)),
    zone: fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), two(25), two(60)).map(([s, h, m]) => `${s}${h}:${m}`),
    ),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, zone }) =>
      `${year}-${month}-${day}T${hour}:${minute}` +
      (second === null ? '' : `:${second}${fraction === null ? '' : `.${fraction}`}`) +
      zone,
  )
  .filter((text) => ZONED_DATE_TIME.test(text));

describe('isCalendarDateTime', () => {
  it('accepts only what class-validator’s strict IsISO8601 accepts', () => {
    fc.assert(
      fc.property(zonedDateTimes, (text) => {
        if (isCalendarDateTime(text)) expect(isISO8601(text, { strict: true })).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with it from 1970 on, away from 24:00', () => {
    fc.assert(
      fc.property(
        zonedDateTimes.filter((text) => text >= '1970' && !text.includes('T24')),
        (text) => expect(isCalendarDateTime(text)).toBe(isISO8601(text, { strict: true })),
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['2024-02-29T10:00Z', true],
    ['2026-02-29T10:00Z', false],
    ['2000-02-29T23:59:59.999+23:59', true],
    ['2100-02-29T10:00Z', false],
    ['1969-12-31T23:59Z', false],
    ['2026-04-31T10:00Z', false],
    ['2026-12-31T23:60Z', false],
    ['2026-12-31T23:59:60Z', false],
  ])('judges %s: %s', (text, expected) => {
    expect(isCalendarDateTime(text)).toBe(expected);
  });
});
