import { DEFAULT_SIGNAL_RULES } from '../signal-rules.config';
import {
  advanceWatermark,
  populationLeadInMs,
  populationWindowsDueAcross,
} from './watermark-jumps';

const DAY = 86_400;
const DAY_MS = DAY * 1_000;
const LEAD_IN = 30 * DAY_MS;

describe('watermark jumps', () => {
  it('when an event carries event time further than the lead-in past the latest read, then that rise is a jump', () => {
    expect(
      advanceWatermark(
        '1970-01-01T00:00:00.000Z',
        ['1970-01-01T08:00:00Z', '2026-11-30T10:00:00+02:00', '2026-12-01T00:00:00Z'],
        LEAD_IN,
      ),
    ).toEqual({
      watermark: '2026-12-01T00:00:00.000Z',
      jumps: [{ from: '1970-01-01T08:00:00.000Z', to: '2026-11-30T08:00:00.000Z' }],
    });
  });

  it('when events are late, unreadable, or the first ever read, then no jump', () => {
    expect(
      advanceWatermark(
        null,
        ['2026-12-01T00:00:00Z', 'not a time', 42, '1970-01-01T00:00:00Z', '2026-12-20T00:00:00Z'],
        LEAD_IN,
      ),
    ).toEqual({ watermark: '2026-12-20T00:00:00.000Z', jumps: [] });
  });

  it('the lead-in is the longest expiry of the population rules', () => {
    expect(
      populationLeadInMs({
        ...DEFAULT_SIGNAL_RULES,
        tierMove: { ...DEFAULT_SIGNAL_RULES.tierMove, expiresAfterDays: 12 },
        winBack: { ...DEFAULT_SIGNAL_RULES.winBack, expiresAfterDays: 45 },
      }),
    ).toBe(45 * DAY_MS);
  });
});

describe('population windows due across jumps', () => {
  const jump = { from: '1970-01-01T00:00:00.000Z', to: '2026-12-07T10:00:00.000Z' };

  it('given one event dated 1970 and the next in December 2026, when the boundaries are due, then the lead-in before the 2026 event, not the 20,794 days between', () => {
    const due = populationWindowsDueAcross(
      [jump],
      LEAD_IN,
      '1970-01-01T00:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      DAY,
      1_000,
    );
    expect(due).toHaveLength(31);
    expect(due[0]).toBe('2026-11-07T00:00:00.000Z');
    expect(due[30]).toBe('2026-12-07T00:00:00.000Z');
  });

  it('given the first evaluation, then the first event’s boundary before the skipped stretch', () => {
    const due = populationWindowsDueAcross(
      [jump],
      LEAD_IN,
      null,
      '2026-12-07T10:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      DAY,
      3,
    );
    expect(due).toEqual([
      '1970-01-01T00:00:00.000Z',
      '2026-11-07T00:00:00.000Z',
      '2026-11-08T00:00:00.000Z',
    ]);
  });

  it('given boundaries left after the skipped stretch, when called again, then it goes on from the last evaluated', () => {
    expect(
      populationWindowsDueAcross(
        [jump],
        LEAD_IN,
        '2026-12-05T00:00:00.000Z',
        '2026-12-07T10:00:00.000Z',
        '1970-01-01T00:00:00.000Z',
        DAY,
        100,
      ),
    ).toEqual(['2026-12-06T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
  });

  it('given a jump no longer than the lead-in and a window, then every boundary, as without jumps', () => {
    const short = { from: '2026-11-01T10:00:00.000Z', to: '2026-12-01T10:00:00.000Z' };
    expect(
      populationWindowsDueAcross(
        [short],
        LEAD_IN,
        '2026-11-01T00:00:00.000Z',
        '2026-12-01T10:00:00.000Z',
        null,
        DAY,
        100,
      ),
    ).toHaveLength(30);
  });
});
