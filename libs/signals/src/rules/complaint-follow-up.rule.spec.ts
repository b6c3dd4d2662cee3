import { complaint, given, only, purchase, resolution } from '../testing';

const rules = only('complaintFollowUp', { openAfterHours: 48, satisfactionAfterDays: 7 });

describe('complaint-follow-up', () => {
  describe('when a complaint is still open N hours after it was raised', () => {
    const history = given(
      purchase('O-1', 5000, '2026-03-01T10:00:00Z'),
      complaint('K-1', '2026-03-02T10:00:00Z'),
    );

    it('then nothing is due before the N hours have passed', () => {
      expect(history.signals(rules, '2026-03-04T09:59:59Z')).toEqual([]);
    });

    it('then a follow-up is due at raised + N hours, the same at any later asOf', () => {
      const atDue = history.signals(rules, '2026-03-04T10:00:00Z');
      const later = history.signals(rules, '2026-05-01T00:00:00Z');
      expect(atDue).toHaveLength(1);
      expect(later).toEqual(atDue);
      expect(atDue[0]).toMatchObject({
        trigger: 'complaint-open',
        dueAt: '2026-03-04T10:00:00.000Z',
        expiresAt: '2026-03-11T10:00:00.000Z',
        valueAtStake: { minor: 5000, currency: 'EUR' },
      });
      expect(atDue[0].reason).toBe(
        'Complaint K-1 has been open for 48 hours (raised 2026-03-02T10:00:00Z).',
      );
    });
  });

  it('when the complaint was resolved before N hours, then no open follow-up; a satisfaction check M days after', () => {
    const history = given(
      complaint('K-1', '2026-03-02T10:00:00Z'),
      resolution('K-1', '2026-03-03T10:00:00Z'),
    );
    expect(history.signals(rules, '2026-03-10T09:59:59Z')).toEqual([]);
    const [check, ...rest] = history.signals(rules, '2026-03-10T10:00:00Z');
    expect(rest).toEqual([]);
    expect(check).toMatchObject({
      trigger: 'satisfaction-check',
      dueAt: '2026-03-10T10:00:00.000Z',
      valueAtStake: null,
    });
    expect(check.evidence.events.map((e) => [e.type, e.position])).toEqual([
      ['ComplaintRaised', '1'],
      ['ComplaintResolved', '2'],
    ]);
    expect(check.evidence.figures.hoursToResolve).toBe(24);
  });

  it('when the complaint was resolved after N hours, then the open follow-up still stands (it was open then)', () => {
    const signals = given(
      complaint('K-1', '2026-03-02T10:00:00Z'),
      resolution('K-1', '2026-03-06T10:00:00Z'),
    ).signals(rules, '2026-03-20T00:00:00Z');
    expect(signals.map((s) => s.trigger)).toEqual(['complaint-open', 'satisfaction-check']);
  });
});
