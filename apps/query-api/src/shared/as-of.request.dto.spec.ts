import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { asOfOf, AsOfRequestDto } from './as-of.request.dto';

const problems = (asOf: string) =>
  validateSync(plainToInstance(AsOfRequestDto, { asOf })).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );

describe('the asOf query parameter', () => {
  describe('when it is a plain date, as the CLI takes it', () => {
    it('is accepted and means the end of that UTC day', () => {
      expect(problems('2026-06-30')).toEqual([]);
      expect(asOfOf({ asOf: '2026-06-30' })).toBe('2026-06-30T23:59:59.999Z');
    });

    it('is refused, saying what is expected, when the day does not exist', () => {
      expect(problems('2026-02-30')).toEqual([
        'asOf must be an ISO 8601 date-time with Z or an offset, or a date YYYY-MM-DD that exists',
      ]);
    });
  });

  it('takes a zoned date-time as before and refuses one without a zone', () => {
    expect(problems('2026-06-30T12:00:00+02:00')).toEqual([]);
    expect(asOfOf({ asOf: '2026-06-30T12:00:00+02:00' })).toBe('2026-06-30T10:00:00.000Z');
    expect(problems('2026-06-30T12:00:00')).toHaveLength(1);
    expect(problems('30/06/2026')).toHaveLength(1);
  });
});
