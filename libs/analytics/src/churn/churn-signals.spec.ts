import fc from 'fast-check';
import { evaluateChurnSignals } from './churn-signals';
import type { ChurnFacts } from './churn-signals.types';
import { interPurchaseGapDays, populationMedianPurchaseGapDays } from './inter-purchase-gaps';

const asOf = '2025-06-30T00:00:00Z';
const daysBefore = (days: number): string =>
  new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
const noFacts: ChurnFacts = {
  purchaseDates: [],
  cancellationDates: [],
  complaints: [],
  touchpointDates: [],
};
const codes = (facts: ChurnFacts) => evaluateChurnSignals(facts, { asOf }).map((r) => r.code);

describe('interPurchaseGapDays', () => {
  it('sorts by event time and merges purchases on the same day', () => {
    const purchases = [
      daysBefore(10),
      daysBefore(40),
      daysBefore(70),
      daysBefore(40),
      daysBefore(-5),
    ];
    expect(interPurchaseGapDays(purchases, Date.parse(asOf))).toEqual([30, 30]);
  });

  it('equals the gaps between the distinct purchase days up to as-of, sorted', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -400 * day, max: 400 * day }), { maxLength: 20 }),
        fc.array(fc.nat(19), { maxLength: 5 }),
        fc.integer({ min: -400 * day, max: 400 * day }),
        (offsets, repeats, asOfOffset) => {
          const base = Date.parse(asOf);
          const times = [...offsets, ...repeats.flatMap((i) => offsets[i] ?? [])].map((offset) =>
            new Date(base + offset).toISOString(),
          );
          const asOfMs = base + asOfOffset;
          const days = [...new Set(times.map((t) => Math.floor(Date.parse(t) / day)))]
            .filter((d) => d <= Math.floor(asOfMs / day))
            .sort((x, y) => x - y);
          expect(interPurchaseGapDays(times, asOfMs)).toEqual(
            days.slice(1).map((d, i) => d - days[i]),
          );
        },
      ),
    );
  });

  it('pools every customer’s gaps for the population median', () => {
    expect(
      populationMedianPurchaseGapDays(
        [[daysBefore(10), daysBefore(20)], [daysBefore(0), daysBefore(50), daysBefore(100)], []],
        asOf,
      ),
    ).toBe(50);
    expect(populationMedianPurchaseGapDays([[daysBefore(1)]], asOf)).toBeNull();
  });
});

describe('evaluateChurnSignals', () => {
  it('fires nothing for a customer with no history', () => {
    expect(codes(noFacts)).toEqual([]);
  });

  describe('PURCHASE_OVERDUE', () => {
    // Every 9 days, then silent for 203: the customer the issue found.
    const nineDaily = {
      ...noFacts,
      purchaseDates: [daysBefore(230), daysBefore(221), daysBefore(212), daysBefore(203)],
    };

    it('states the actual figures: days since, the median gap, the ratio and the threshold', () => {
      const [reason] = evaluateChurnSignals(nineDaily, { asOf });
      expect(reason.code).toBe('PURCHASE_OVERDUE');
      expect(reason.explanation).toBe(
        "Last purchase 203 days ago: 22.6× the customer's median gap of 9 days (over 3 gaps), " +
          'and longer than their longest gap of 9 days (overdue past 4× the median and the longest gap).',
      );
      expect(reason.facts).toEqual({
        daysSinceLastPurchase: 203,
        medianGapDays: 9,
        longestGapDays: 9,
        ownGapCount: 3,
        ratioToMedianGap: 203 / 9,
        overdueRatioThreshold: 4,
        overdueAfterDays: 36,
      });
    });

    it('stays quiet within 4× the median gap (a steady buyer has such gaps 1 time in 16)', () => {
      const monthly = [daysBefore(180), daysBefore(150), daysBefore(120)];
      expect(codes({ ...noFacts, purchaseDates: monthly })).toEqual([]);
      const silentLonger = [daysBefore(181), daysBefore(151), daysBefore(121)];
      expect(codes({ ...noFacts, purchaseDates: silentLonger })).toEqual(['PURCHASE_OVERDUE']);
    });

    it('stays quiet while the silence is no longer than a gap the customer has come back from', () => {
      // Median 10 days, but once 150 days away and back: 100 days of silence is theirs.
      const irregular = [
        daysBefore(280),
        daysBefore(270),
        daysBefore(260),
        daysBefore(110),
        daysBefore(100),
      ];
      expect(codes({ ...noFacts, purchaseDates: irregular })).toEqual([]);
      const longer = irregular.map((d) => new Date(Date.parse(d) - 60 * 86_400_000).toISOString());
      const [reason] = evaluateChurnSignals({ ...noFacts, purchaseDates: longer }, { asOf });
      expect(reason.facts).toMatchObject({ longestGapDays: 150, overdueAfterDays: 150 });
    });

    it("needs a rhythm of the customer's own: fewer than 2 gaps never fire", () => {
      expect(codes({ ...noFacts, purchaseDates: [daysBefore(700)] })).toEqual([]);
      expect(codes({ ...noFacts, purchaseDates: [daysBefore(700), daysBefore(690)] })).toEqual([]);
      expect(
        evaluateChurnSignals(
          { ...noFacts, purchaseDates: [daysBefore(700), daysBefore(690)] },
          { asOf, options: { minOwnGaps: 1 } },
        ).map((r) => r.code),
      ).toEqual(['PURCHASE_OVERDUE']);
    });

    it('honours a configured factor and ignores purchases after asOf', () => {
      expect(
        evaluateChurnSignals(nineDaily, { asOf, options: { overdueFactor: 30 } }).map(
          (r) => r.code,
        ),
      ).toEqual([]);
      const future = { ...nineDaily, purchaseDates: [...nineDaily.purchaseDates, daysBefore(-3)] };
      expect(codes(future)).toEqual(['PURCHASE_OVERDUE']);
    });
  });

  it('RECENT_CANCELLATIONS counts cancellations in the last 90 days', () => {
    const facts = {
      ...noFacts,
      cancellationDates: [daysBefore(10), daysBefore(89), daysBefore(91)],
    };
    const [reason] = evaluateChurnSignals(facts, { asOf });
    expect(reason).toMatchObject({
      code: 'RECENT_CANCELLATIONS',
      facts: { cancellations: 2, windowDays: 90 },
    });
    expect(codes({ ...noFacts, cancellationDates: [daysBefore(120)] })).toEqual([]);
  });

  it('UNRESOLVED_COMPLAINTS counts complaints open at asOf for more than 14 days', () => {
    const facts: ChurnFacts = {
      ...noFacts,
      complaints: [
        { complaintId: 'old-open', raisedAt: daysBefore(30) },
        { complaintId: 'fresh', raisedAt: daysBefore(3) },
        { complaintId: 'resolved', raisedAt: daysBefore(40), resolvedAt: daysBefore(20) },
        { complaintId: 'resolved-later', raisedAt: daysBefore(20), resolvedAt: daysBefore(-1) },
      ],
    };
    const [reason] = evaluateChurnSignals(facts, { asOf });
    expect(reason).toMatchObject({
      code: 'UNRESOLVED_COMPLAINTS',
      facts: { openComplaints: 2, oldestAgeDays: 30 },
    });
  });

  describe('FALLING_ENGAGEMENT', () => {
    const prior = Array.from({ length: 12 }, (_, i) => daysBefore(35 + i * 7)); // 4 per 30 days

    it('fires when the last 30 days fall below half the prior rate', () => {
      const [reason] = evaluateChurnSignals(
        { ...noFacts, touchpointDates: [...prior, daysBefore(5)] },
        { asOf },
      );
      expect(reason).toMatchObject({
        code: 'FALLING_ENGAGEMENT',
        facts: { recentTouchpoints: 1, priorTouchpoints: 12, priorPer30Days: 4, ratio: 0.25 },
      });
    });

    it('stays quiet at or above half, and when the prior rate is too small to judge', () => {
      const recent = [daysBefore(1), daysBefore(2)];
      expect(codes({ ...noFacts, touchpointDates: [...prior, ...recent] })).toEqual([]);
      expect(codes({ ...noFacts, touchpointDates: [daysBefore(60), daysBefore(80)] })).toEqual([]);
    });
  });

  it('returns reasons in a fixed order', () => {
    const facts: ChurnFacts = {
      purchaseDates: [daysBefore(400), daysBefore(370), daysBefore(340)],
      cancellationDates: [daysBefore(1)],
      complaints: [{ complaintId: 'c', raisedAt: daysBefore(100) }],
      touchpointDates: Array.from({ length: 12 }, (_, i) => daysBefore(35 + i * 7)),
    };
    expect(codes(facts)).toEqual([
      'PURCHASE_OVERDUE',
      'RECENT_CANCELLATIONS',
      'UNRESOLVED_COMPLAINTS',
      'FALLING_ENGAGEMENT',
    ]);
  });

  it('rejects nonsensical options', () => {
    expect(() => evaluateChurnSignals(noFacts, { asOf, options: { overdueFactor: NaN } })).toThrow(
      /overdueFactor/,
    );
  });
});
