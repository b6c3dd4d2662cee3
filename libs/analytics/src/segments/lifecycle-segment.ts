import type { RiskBand } from '../churn/risk-score';
import type { ValueTier } from '../pareto/pareto-tiers.types';
import { daysBetween, type DateInput, toEpochMs } from '../shared/date-input';

export type LifecycleSegment = 'new' | 'active_value' | 'potential' | 'migrating' | 'dormant';

export const LIFECYCLE_SEGMENTS: readonly LifecycleSegment[] = [
  'new',
  'active_value',
  'potential',
  'migrating',
  'dormant',
];

/** Facts from the single customer view, tier report and risk assessment. */
export interface LifecycleFacts {
  readonly firstPurchaseAt: DateInput | null;
  readonly lastPurchaseAt: DateInput | null;
  readonly tier: ValueTier;
  readonly riskBand: RiskBand | null;
  readonly probabilityAlive: number | null;
}

export interface LifecycleOptions {
  /** First purchase at most this many days ago: new. Default 90. */
  readonly newWithinDays?: number;
  /** Last purchase at least this many days ago: dormant. Default 365. */
  readonly dormantAfterDays?: number;
  /** P(alive) below this: dormant. Default 0.1. */
  readonly dormantBelowProbabilityAlive?: number;
  /** P(alive) below this (or a high risk band): migrating. Default 0.5. */
  readonly migratingBelowProbabilityAlive?: number;
}

export interface LifecycleResult {
  readonly segment: LifecycleSegment;
  /** Which rule decided, for explanations: stable identifiers. */
  readonly rule:
    | 'NO_PURCHASE_YET'
    | 'RECENT_FIRST_PURCHASE'
    | 'LONG_SILENCE'
    | 'MODEL_SAYS_GONE'
    | 'AT_RISK'
    | 'TOP_TIER'
    | 'LOWER_TIER';
}

/**
 * The customer's lifecycle segment as of `asOf`. Rules apply in this order, first match wins,
 * so every customer gets exactly one segment:
 * 1. no purchase on or before asOf → potential (a prospect)
 * 2. first purchase within newWithinDays → new
 * 3. last purchase ≥ dormantAfterDays ago → dormant
 * 4. P(alive) < dormantBelowProbabilityAlive → dormant
 * 5. risk band high, or P(alive) < migratingBelowProbabilityAlive → migrating (at risk)
 * 6. tier A or B → active_value
 * 7. otherwise (tier C or none) → potential (active, room to grow)
 * A last purchase after asOf (a view ahead of asOf) counts as "today".
 */
export function classifyLifecycle(
  facts: LifecycleFacts,
  asOf: DateInput,
  options: LifecycleOptions = {},
): LifecycleResult {
  const newWithinDays = options.newWithinDays ?? 90;
  const dormantAfterDays = options.dormantAfterDays ?? 365;
  const dormantBelow = options.dormantBelowProbabilityAlive ?? 0.1;
  const migratingBelow = options.migratingBelowProbabilityAlive ?? 0.5;
  const asOfMs = toEpochMs(asOf);

  const first = facts.firstPurchaseAt === null ? null : toEpochMs(facts.firstPurchaseAt);
  if (first === null || first > asOfMs) return { segment: 'potential', rule: 'NO_PURCHASE_YET' };
  if (daysBetween(first, asOfMs) <= newWithinDays) {
    return { segment: 'new', rule: 'RECENT_FIRST_PURCHASE' };
  }
  const last =
    facts.lastPurchaseAt === null ? first : Math.min(toEpochMs(facts.lastPurchaseAt), asOfMs);
  if (daysBetween(last, asOfMs) >= dormantAfterDays)
    return { segment: 'dormant', rule: 'LONG_SILENCE' };
  const alive = facts.probabilityAlive;
  if (alive !== null && alive < dormantBelow)
    return { segment: 'dormant', rule: 'MODEL_SAYS_GONE' };
  if (facts.riskBand === 'high' || (alive !== null && alive < migratingBelow)) {
    return { segment: 'migrating', rule: 'AT_RISK' };
  }
  switch (facts.tier) {
    case 'A':
    case 'B':
      return { segment: 'active_value', rule: 'TOP_TIER' };
    case 'C':
    case 'none':
      return { segment: 'potential', rule: 'LOWER_TIER' };
    default: {
      const unknown: never = facts.tier;
      return unknown;
    }
  }
}
