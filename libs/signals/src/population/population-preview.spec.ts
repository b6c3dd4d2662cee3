import { DEFAULT_SIGNAL_RULES } from '../signal-rules.config';
import type { PopulationRow } from './population-facts';
import { PopulationPreviewer, previewBoundaries } from './population-preview';

const DAY = 86_400;
const row = (
  customerId: string,
  valueTier: PopulationRow['valueTier'],
  riskBand: PopulationRow['riskBand'] = 'low',
): PopulationRow => ({
  customerId,
  valueTier,
  revenueMinor: 10_000,
  riskBand,
  riskScore: riskBand === 'high' ? 80 : 10,
  churnProbability: riskBand === 'high' ? 0.8 : 0.1,
  valueAtRiskMinor: 5_000,
  reasonCodes: [],
});
const at = (asOf: string) => ({ asOf, currency: 'EUR', windowMonths: 12 });
const switchedOff = {
  ...DEFAULT_SIGNAL_RULES,
  tierMove: { ...DEFAULT_SIGNAL_RULES.tierMove, enabled: false },
  winBack: { ...DEFAULT_SIGNAL_RULES.winBack, enabled: false },
};

describe('population rule preview', () => {
  it('when asked for the boundaries of n days before asOf, then the baseline n days back and every boundary up to asOf', () => {
    expect(previewBoundaries('2026-03-14T10:00:00.000Z', DAY, 3)).toEqual([
      '2026-03-11T00:00:00.000Z',
      '2026-03-12T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-03-14T00:00:00.000Z',
    ]);
  });

  it('when a tier moves after the baseline, then it is counted and sampled even with the rule switched off; the baseline fires nothing', () => {
    const preview = new PopulationPreviewer(
      'tier-move',
      switchedOff,
      '2026-03-14T10:00:00.000Z',
      DAY,
    );
    preview.add(
      at('2026-03-12T00:00:00.000Z'),
      [row('C-1', 'A'), row('C-2', 'B')],
      () => undefined,
    );
    preview.add(
      at('2026-03-13T00:00:00.000Z'),
      [row('C-1', 'B'), row('C-2', 'A')],
      () => undefined,
    );
    preview.add(
      at('2026-03-14T00:00:00.000Z'),
      [row('C-1', 'B'), row('C-2', 'A')],
      () => undefined,
    );
    const result = preview.result();
    expect(result).toMatchObject({
      rule: 'tier-move',
      due: 2,
      pending: 2,
      customers: 2,
      byTrigger: { down: 1, up: 1 },
    });
    expect(result.samples.map((s) => [s.subject.id, s.dueAt])).toEqual([
      ['C-1', '2026-03-13T00:00:00.000Z'],
      ['C-2', '2026-03-13T00:00:00.000Z'],
    ]);
  });

  it('when previewing win-back, then only win-back signals count, and customers already at high risk at the baseline are not', () => {
    const preview = new PopulationPreviewer(
      'win-back',
      switchedOff,
      '2026-03-14T10:00:00.000Z',
      DAY,
    );
    preview.add(
      at('2026-03-12T00:00:00.000Z'),
      [row('C-1', 'A', 'high'), row('C-2', 'A', 'medium')],
      () => undefined,
    );
    preview.add(
      at('2026-03-13T00:00:00.000Z'),
      [row('C-1', 'B', 'high'), row('C-2', 'A', 'high')],
      () => undefined,
    );
    expect(preview.result()).toMatchObject({ due: 1, byTrigger: { 'risk-high': 1 } });
    expect(preview.result().samples[0].subject.id).toBe('C-2');
  });
});
