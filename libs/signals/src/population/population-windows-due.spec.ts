import { populationWindowsDue } from './population-facts';

const DAY = 86_400;
const START = '2026-05-01T09:30:00.000Z';

describe('population windows due', () => {
  it('when no event has been read, then nothing is due', () => {
    expect(populationWindowsDue(null, null, null, DAY, 100)).toEqual([]);
  });

  it('when first evaluated, then every boundary from the first event in the store on, not only the latest (a replay starts at the same one whatever it read first)', () => {
    expect(populationWindowsDue(null, '2026-05-03T17:00:00.000Z', START, DAY, 100)).toEqual([
      '2026-05-01T00:00:00.000Z',
      '2026-05-02T00:00:00.000Z',
      '2026-05-03T00:00:00.000Z',
    ]);
  });

  it('when event time passed several boundaries since the last evaluated, then each one in turn, whatever the pace it arrived at', () => {
    expect(
      populationWindowsDue('2026-05-01T00:00:00.000Z', '2026-05-03T17:00:00.000Z', START, DAY, 100),
    ).toEqual(['2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z']);
    expect(
      populationWindowsDue('2026-05-03T00:00:00.000Z', '2026-05-03T23:59:59.999Z', START, DAY, 100),
    ).toEqual([]);
  });

  it('when the gap is longer than the most boundaries evaluated at once, then the oldest ones, and the next call goes on from there (none skipped)', () => {
    const first = populationWindowsDue(
      '2026-05-01T00:00:00.000Z',
      '2026-05-30T01:00:00.000Z',
      START,
      DAY,
      2,
    );
    expect(first).toEqual(['2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z']);
    expect(populationWindowsDue(first[1], '2026-05-30T01:00:00.000Z', START, DAY, 2)).toEqual([
      '2026-05-04T00:00:00.000Z',
      '2026-05-05T00:00:00.000Z',
    ]);
  });
});
