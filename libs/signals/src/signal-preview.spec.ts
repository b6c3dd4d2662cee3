import { foldProjection } from '@rapport/projections';
import { historyOf } from '@rapport/domain/testing';
import { signalFactsProjection } from './facts/signal-facts.projection';
import { SignalPreviewer } from './signal-preview';
import { DEFAULT_SIGNAL_RULES } from './signal-rules.config';
import { purchase } from './testing';

describe('signal preview', () => {
  it('when a rule is switched off, then the preview still counts what it would fire, pending apart from expired', () => {
    const off = {
      ...DEFAULT_SIGNAL_RULES,
      thankYou: { ...DEFAULT_SIGNAL_RULES.thankYou, enabled: false },
    };
    const previewer = new SignalPreviewer('thank-you', off, '2026-03-10T00:00:00Z', 1);
    const facts = (customerId: string, at: string) =>
      foldProjection(
        signalFactsProjection,
        customerId,
        historyOf(purchase('O-1', 1000, at, customerId)),
      );
    previewer.add(facts('C-1', '2026-01-01T00:00:00Z'));
    previewer.add(facts('C-2', '2026-03-05T00:00:00Z'));
    previewer.add(facts('C-3', '2026-03-08T00:00:00Z'));
    const preview = previewer.result();
    expect(preview).toMatchObject({
      customers: 3,
      due: 3,
      pending: 2,
      byTrigger: { 'first-purchase': 3 },
    });
    expect(preview.samples.map((s) => s.subject.id)).toEqual(['C-3']);
  });
});
