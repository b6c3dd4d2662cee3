import fc from 'fast-check';
import type { RiskBand, ValueTier } from '@rapport/analytics';
import { isPending } from '../derive-signals';
import type { Signal } from '../signal';
import { signalContent } from '../signal-content';
import { DEFAULT_SIGNAL_RULES, type SignalRulesConfig } from '../signal-rules.config';
import { evaluatePopulation, type PopulationEvaluation } from './evaluate-population';
import {
  populationWindowsDue,
  type CustomerStanding,
  type PopulationRow,
} from './population-facts';
import {
  advanceWatermark,
  populationLeadInMs,
  populationWindowsDueAcross,
  type WatermarkJump,
} from './watermark-jumps';

const DAY_MS = 86_400_000;
const WINDOW_SECONDS = 86_400;
const ORIGIN = Date.UTC(2019, 0, 1);
const CUSTOMERS = ['C-0', 'C-1', 'C-2'];
const TIERS: ValueTier[] = ['A', 'B', 'C', 'none'];
const BANDS: RiskBand[] = ['low', 'medium', 'high'];

interface HistoryEvent {
  readonly customer: number;
  readonly at: number;
}

/**
 * Events in position order: mostly a few days apart, sometimes months (a long silence, or a
 * first event dated far back), sometimes late (event time before what was read already). A
 * silence up to four times the longest lead-in (60 days) makes every kind of skipped stretch;
 * years would only add boundaries for the every-boundary run to evaluate one by one.
 */
const histories = fc
  .array(
    fc.record({
      customer: fc.integer({ min: 0, max: CUSTOMERS.length - 1 }),
      gapDays: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 20, max: 240 })),
      lateDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })),
      hour: fc.integer({ min: 0, max: 23 }),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((steps) => {
    let at = ORIGIN;
    return steps.map(({ customer, gapDays, lateDays, hour }): HistoryEvent => {
      at += gapDays * DAY_MS;
      return { customer, at: at - lateDays * DAY_MS + hour * 3_600_000 };
    });
  });

/**
 * Tiers and bands as a stand-in for the insights: a function of the instant only (they move as
 * time passes, with or without events), changing every `block` days in a pattern from `seed`.
 * A customer is in the population from their first event's time on.
 */
function populationAt(history: readonly HistoryEvent[], seed: number, block: number) {
  return (asOf: string): PopulationRow[] => {
    const at = Date.parse(asOf);
    const rows: PopulationRow[] = [];
    for (const [customer, customerId] of CUSTOMERS.entries()) {
      if (!history.some((e) => e.customer === customer && e.at <= at)) continue;
      const step = Math.floor((at - ORIGIN) / (block * DAY_MS));
      const mix = Math.abs(Math.imul(seed ^ (step * 2_654_435_761), customer * 40_503 + 7)) >>> 3;
      rows.push({
        customerId,
        valueTier: TIERS[mix % TIERS.length],
        riskBand: BANDS[(mix >> 4) % BANDS.length],
        revenueMinor: (mix >> 8) % 100_000,
        riskScore: 50,
        churnProbability: 0.5,
        valueAtRiskMinor: (mix >> 9) % 50_000,
        reasonCodes: [],
      });
    }
    return rows;
  };
}

interface Outcome {
  readonly evaluated: string[];
  /** Every signal an evaluation raised, pending or not (the same whatever the pace). */
  readonly raised: Map<string, string>;
  /** The signals kept in the ledger: pending at the watermark they were evaluated at. */
  readonly kept: Map<string, Signal>;
  readonly standings: Map<string, CustomerStanding>;
}

/**
 * As PopulationSignalEvaluation does: derivation reads the events `batch` at a time (recording
 * the watermark's jumps), then the population rules evaluate what is due, `maxWindows` a call,
 * until nothing is; `across` says whether the jumps' stretches are skipped.
 */
function run(
  history: readonly HistoryEvent[],
  rowsAt: (asOf: string) => PopulationRow[],
  rules: SignalRulesConfig,
  options: { readonly batch: number; readonly maxWindows: number; readonly across: boolean },
): Outcome {
  const leadIn = populationLeadInMs(rules);
  const start = new Date(history[0].at).toISOString();
  const jumps: WatermarkJump[] = [];
  const standings = new Map<string, CustomerStanding>();
  const outcome: Outcome = { evaluated: [], raised: new Map(), kept: new Map(), standings };
  let watermark: string | null = null;
  let last: string | null = null;
  for (let from = 0; from < history.length; from += options.batch) {
    const read = history.slice(from, from + options.batch);
    const advanced = advanceWatermark(
      watermark,
      read.map((e) => new Date(e.at).toISOString()),
      leadIn,
    );
    watermark = advanced.watermark;
    jumps.push(...advanced.jumps);
    for (;;) {
      const due: string[] = options.across
        ? populationWindowsDueAcross(
            jumps,
            leadIn,
            last,
            watermark,
            start,
            WINDOW_SECONDS,
            options.maxWindows,
          )
        : populationWindowsDue(last, watermark, start, WINDOW_SECONDS, options.maxWindows);
      if (due.length === 0) break;
      for (const window of due) {
        const evaluation: PopulationEvaluation = evaluatePopulation({
          rows: rowsAt(window),
          snapshot: { asOf: window, currency: 'EUR', windowMonths: 12 },
          lastWindow: last,
          windowSeconds: WINDOW_SECONDS,
          standingOf: (id) => standings.get(id),
          factsOf: () => undefined,
          rules,
        })!;
        last = evaluation.window;
        outcome.evaluated.push(window);
        for (const { customerId, standing } of evaluation.standings)
          standings.set(customerId, standing);
        for (const signal of evaluation.signals) {
          outcome.raised.set(signal.id, signalContent(signal));
          if (isPending(signal, watermark!) && !outcome.kept.has(signal.id))
            outcome.kept.set(signal.id, signal);
        }
      }
    }
  }
  return outcome;
}

/**
 * A tier move's content less what comes from the standing's `since` (its reason's "since …"
 * and the `tierSince` figure): after a skipped stretch `since` is the first boundary evaluated
 * after it, where evaluating every boundary would have found the move inside the stretch.
 */
function withoutSince(signal: Signal): string {
  const content = JSON.parse(signalContent(signal)) as {
    reason: string;
    evidence: { figures: Record<string, unknown> };
  };
  if (signal.rule !== 'tier-move') return JSON.stringify(content);
  content.reason = content.reason.replace(/\(since [^)]*\)/, '(since …)');
  content.evidence.figures.tierSince = '…';
  return JSON.stringify(content);
}

const rulesOf = fc
  .record({
    tierMoveDays: fc.integer({ min: 1, max: 60 }),
    winBackDays: fc.integer({ min: 1, max: 60 }),
    up: fc.boolean(),
    alreadyHighLimit: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ tierMoveDays, winBackDays, up, alreadyHighLimit }): SignalRulesConfig => ({
    ...DEFAULT_SIGNAL_RULES,
    tierMove: { ...DEFAULT_SIGNAL_RULES.tierMove, up, expiresAfterDays: tierMoveDays },
    winBack: {
      ...DEFAULT_SIGNAL_RULES.winBack,
      alreadyHighLimit,
      expiresAfterDays: winBackDays,
    },
  }));

describe('population boundaries across a long silence (properties)', () => {
  it('skipping the boundaries a jump of event time made due keeps every pending signal (same ids; same content but a tier move’s "since"), the same tiers and bands, and evaluates at most a lead-in’s worth of boundaries per event', () => {
    fc.assert(
      fc.property(
        histories,
        rulesOf,
        fc.integer(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (history, rules, seed, block, batch) => {
          const rowsAt = populationAt(history, seed, block);
          const every = run(history, rowsAt, rules, { batch, maxWindows: 500, across: false });
          const across = run(history, rowsAt, rules, { batch, maxWindows: 500, across: true });

          expect([...across.kept.keys()].sort()).toEqual([...every.kept.keys()].sort());
          for (const [id, signal] of across.kept)
            expect(withoutSince(signal)).toBe(withoutSince(every.kept.get(id)!));
          const tierAndBand = (standings: Map<string, CustomerStanding>) =>
            [...standings].map(([id, s]) => [id, s.tier, s.band]).sort();
          expect(tierAndBand(across.standings)).toEqual(tierAndBand(every.standings));

          const leadInDays = populationLeadInMs(rules) / DAY_MS;
          expect(across.evaluated.length).toBeLessThanOrEqual(
            1 + history.length * (leadInDays + 2),
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it('which boundaries are evaluated, the standings and the signals raised do not depend on the batches derivation read or how many boundaries a call took', () => {
    fc.assert(
      fc.property(
        histories,
        rulesOf,
        fc.integer(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 50 }),
        (history, rules, seed, block, batch, maxWindows) => {
          const rowsAt = populationAt(history, seed, block);
          const oneByOne = run(history, rowsAt, rules, { batch: 1, maxWindows: 1, across: true });
          const other = run(history, rowsAt, rules, { batch, maxWindows, across: true });
          expect(other.evaluated).toEqual(oneByOne.evaluated);
          expect([...other.standings].sort()).toEqual([...oneByOne.standings].sort());
          expect([...other.raised].sort()).toEqual([...oneByOne.raised].sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
