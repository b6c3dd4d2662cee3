import fc from 'fast-check';
import { eventIdFor, type Touchpoint } from '@rapport/domain';
import { historyOf } from '@rapport/domain/testing';
import { applyEvents } from '@rapport/projections';
import { deriveSignals } from './derive-signals';
import { signalFactsProjection } from './facts/signal-facts.projection';
import { DEFAULT_SIGNAL_RULES } from './signal-rules.config';
import { signalContent } from './signal-content';
import { cancellation, complaint, purchase, resolution } from './testing';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

/** Steps a customer can take, made valid against what came before (orders exist, complaints open). */
const step = fc.record({
  kind: fc.constantFrom('purchase', 'purchase', 'cancel', 'complain', 'resolve'),
  afterHours: fc.integer({ min: 0, max: 24 * 40 }),
  minor: fc.integer({ min: 1, max: 100_000 }),
  pick: fc.nat(),
});

function touchpointsOf(
  steps: readonly { kind: string; afterHours: number; minor: number; pick: number }[],
): Touchpoint[] {
  const touchpoints: Touchpoint[] = [];
  const open: string[] = [];
  const cancellable: string[] = [];
  let at = START;
  steps.forEach((s, i) => {
    at += s.afterHours * 3_600_000;
    const when = new Date(at).toISOString();
    if (s.kind === 'purchase' || (s.kind === 'cancel' && cancellable.length === 0)) {
      touchpoints.push(purchase(`O-${i}`, s.minor, when));
      cancellable.push(`O-${i}`);
    } else if (s.kind === 'cancel') {
      const [orderId] = cancellable.splice(s.pick % cancellable.length, 1);
      touchpoints.push(cancellation(orderId, when));
    } else if (s.kind === 'complain' || open.length === 0) {
      touchpoints.push(complaint(`K-${i}`, when));
      open.push(`K-${i}`);
    } else {
      const [complaintId] = open.splice(s.pick % open.length, 1);
      touchpoints.push(resolution(complaintId, when));
    }
  });
  return touchpoints;
}

const histories = fc
  .array(step, { minLength: 1, maxLength: 40 })
  .map((steps) => historyOf(...touchpointsOf(steps)));

describe('deriving signals (properties)', () => {
  it('a replay in any batches gives the same facts, the same signals and the same ids', () => {
    fc.assert(
      fc.property(
        histories,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat({ max: 400 }),
        (events, cuts, days) => {
          const asOf = new Date(START + days * DAY).toISOString();
          const positions = events.map((_, i) => BigInt(i + 1));
          const oneByOne = events.reduce(
            (facts, event, i) => signalFactsProjection.evolve(facts, event, positions[i]),
            signalFactsProjection.initialState('C-1'),
          );
          const bounds = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort(
            (a, b) => a - b,
          );
          let batched = signalFactsProjection.initialState('C-1');
          let from = 0;
          for (const to of [...bounds, events.length]) {
            batched = applyEvents(
              signalFactsProjection,
              batched,
              events.slice(from, to),
              positions.slice(from, to),
            );
            from = Math.max(from, to);
          }
          expect(batched).toEqual(oneByOne);
          const live = deriveSignals(oneByOne, DEFAULT_SIGNAL_RULES, asOf).map(signalContent);
          const replayed = deriveSignals(batched, DEFAULT_SIGNAL_RULES, asOf).map(signalContent);
          expect(replayed).toEqual(live);
        },
      ),
    );
  });

  it('every signal has evidence, a unique id, and is due by asOf; a later asOf changes none of them', () => {
    fc.assert(
      fc.property(histories, fc.nat({ max: 400 }), fc.nat({ max: 400 }), (events, days, more) => {
        const facts = events.reduce(
          (state, event, i) => signalFactsProjection.evolve(state, event, BigInt(i + 1)),
          signalFactsProjection.initialState('C-1'),
        );
        const asOf = new Date(START + days * DAY).toISOString();
        const signals = deriveSignals(facts, DEFAULT_SIGNAL_RULES, asOf);
        expect(new Set(signals.map((s) => s.id)).size).toBe(signals.length);
        for (const signal of signals) {
          expect(signal.evidence.events.length).toBeGreaterThan(0);
          // Each evidence event is where the store has it: its position names that very event.
          for (const evidence of signal.evidence.events) {
            const at = Number(evidence.position) - 1;
            expect(eventIdFor(events[at].metadata.source, events[at].data.touchpointId)).toBe(
              evidence.eventId,
            );
            expect(events[at].data.occurredAt).toBe(evidence.occurredAt);
          }
          expect(signal.reason.length).toBeGreaterThan(0);
          expect(Date.parse(signal.dueAt)).toBeLessThanOrEqual(Date.parse(asOf));
          expect(Date.parse(signal.expiresAt)).toBeGreaterThan(Date.parse(signal.dueAt));
          if (signal.valueAtStake)
            expect(Number.isSafeInteger(signal.valueAtStake.minor)).toBe(true);
        }
        const later = new Map(
          deriveSignals(
            facts,
            DEFAULT_SIGNAL_RULES,
            new Date(Date.parse(asOf) + more * DAY).toISOString(),
          ).map((s) => [s.id, signalContent(s)]),
        );
        for (const signal of signals) expect(later.get(signal.id)).toBe(signalContent(signal));
      }),
    );
  });
});
